"""Support desk: channels, contacts, tickets, messages, macros, CSAT ratings, ticket counters.

Every table is tenant-owned with forced RLS (``create_tenant_table``). Inbound
mail arrives before any tenant is known (the SMTP listener knows a recipient
address, the inbound endpoint a channel id): ``bo_support_channel_route``
answers only which tenant and channel that is, with its owner's rights, and
nothing else; the runtime role gets no bypass.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from helpers import RUNTIME_GROUP, create_tenant_table, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DIRECTION = pg.ENUM("inbound", "outbound", name="support_direction", create_type=False)
KIND = pg.ENUM("customer", "reply", "acknowledgement", "csat_request", name="support_message_kind", create_type=False)


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _texts(name: str) -> sa.Column:
    return sa.Column(name, pg.ARRAY(sa.Text()), nullable=False, server_default="{}")


def upgrade() -> None:
    bind = op.get_bind()
    DIRECTION.create(bind)
    KIND.create(bind)

    create_tenant_table(
        "support_channels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("from_name", sa.String(200), nullable=False),
        sa.Column("from_address", sa.String(320), nullable=False),
        sa.Column("signature", sa.String(2000), nullable=False, server_default=""),
        sa.Column("auto_ack", sa.Boolean(), nullable=False, server_default="true"),
        sa.Column("sealed_secret", sa.Text(), nullable=False),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "name", name="support_channels_name"),
        sa.CheckConstraint("address = lower(address)", name="support_channels_address_lower"),
    )
    op.create_unique_constraint("support_channels_address", "support_channels", ["tenant_id", "address"])
    # Mail for one address reaches one tenant, so an address is unique across the platform. A tenant
    # table's unique keys all lead with tenant_id, so that rule lives in a provider-level table of bare
    # addresses (no tenant in it), kept in step with the channels by a trigger; the runtime role has no
    # grant on it. Inbound routing finds the channel by id (the plain index below), never by scanning.
    op.create_index("support_channels_id", "support_channels", ["id"])
    op.create_table(
        "support_inbound_addresses",
        sa.Column("address", sa.String(320), primary_key=True),
        sa.Column("channel_id", sa.Uuid(), nullable=False, unique=True),
    )
    op.execute(
        """CREATE FUNCTION bo_support_keep_route() RETURNS trigger
           LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           BEGIN
             IF TG_OP IN ('UPDATE', 'DELETE') THEN
               DELETE FROM support_inbound_addresses WHERE channel_id = OLD.id;
             END IF;
             IF TG_OP IN ('INSERT', 'UPDATE') THEN
               -- Another tenant's address: a unique violation, answered as a conflict.
               INSERT INTO support_inbound_addresses (address, channel_id) VALUES (NEW.address, NEW.id);
             END IF;
             RETURN NULL;
           END $$"""
    )
    op.execute("REVOKE ALL ON FUNCTION bo_support_keep_route() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER support_channels_route AFTER INSERT OR DELETE OR UPDATE OF address ON support_channels"
        " FOR EACH ROW EXECUTE FUNCTION bo_support_keep_route()"
    )

    create_tenant_table(
        "support_contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        _aware("bouncing_at"),
        _created(),
        sa.UniqueConstraint("tenant_id", "email", name="support_contacts_email"),
    )

    create_tenant_table(
        "support_ticket_counters",
        sa.Column("last_number", sa.Integer(), nullable=False, server_default="0"),
        key=(),
    )

    create_tenant_table(
        "support_tickets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(998), nullable=False),
        _texts("tags"),
        _texts("cc"),
        _aware("csat_requested_at"),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tenant_id", "channel_id"], ["support_channels.tenant_id", "support_channels.id"]),
        sa.ForeignKeyConstraint(["tenant_id", "contact_id"], ["support_contacts.tenant_id", "support_contacts.id"]),
        sa.UniqueConstraint("tenant_id", "reference", name="support_tickets_reference"),
        sa.UniqueConstraint("tenant_id", "work_item_id", name="support_tickets_work_item"),
    )
    op.create_index("support_tickets_contact", "support_tickets", ["tenant_id", "contact_id"])
    op.create_index("support_tickets_channel", "support_tickets", ["tenant_id", "channel_id"])

    create_tenant_table(
        "support_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("direction", DIRECTION, nullable=False),
        sa.Column("kind", KIND, nullable=False),
        sa.Column("message_id", sa.String(998), nullable=False),
        sa.Column("in_reply_to", sa.String(998), nullable=True),
        _texts("references"),
        sa.Column("from_address", sa.String(320), nullable=False),
        sa.Column("from_name", sa.String(200), nullable=False, server_default=""),
        _texts("to_addresses"),
        _texts("cc_addresses"),
        sa.Column("subject", sa.String(998), nullable=False),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        sa.Column("new_text", sa.Text(), nullable=False, server_default=""),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("auto_submitted", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("raw_size", sa.Integer(), nullable=False, server_default="0"),
        _aware("received_at"),
        _aware("sent_at"),
        _created(),
        sa.ForeignKeyConstraint(
            ["tenant_id", "ticket_id"], ["support_tickets.tenant_id", "support_tickets.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "message_id", name="support_messages_message_id"),
        sa.CheckConstraint("direction IN ('inbound', 'outbound')", name="support_messages_direction"),
    )
    op.create_index("support_messages_ticket", "support_messages", ["tenant_id", "ticket_id", "created_at"])
    # The acknowledgement rate guard counts recent acknowledgements to one address.
    op.create_index(
        "support_messages_acknowledgements",
        "support_messages",
        ["tenant_id", "created_at"],
        postgresql_where=sa.text("kind = 'acknowledgement'"),
    )

    create_tenant_table(
        "support_macros",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("body", sa.String(20_000), nullable=False),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "name", name="support_macros_name"),
    )

    create_tenant_table(
        "support_csat_ratings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(2000), nullable=False, server_default=""),
        sa.Column("rated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "ticket_id"], ["support_tickets.tenant_id", "support_tickets.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "ticket_id", name="support_csat_once"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="support_csat_rating"),
    )

    # Inbound mail's one pre-tenant question: which tenant and channel is this channel id or address?
    # Nothing else is answered (no secret, no names); the owner reads past RLS, the runtime role only calls.
    op.execute(
        """CREATE FUNCTION bo_support_channel_route(p_channel_id uuid, p_address text)
           RETURNS TABLE (tenant_id uuid, channel_id uuid)
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
             SELECT c.tenant_id, c.id FROM support_channels c
              WHERE c.id = coalesce(
                p_channel_id, (SELECT a.channel_id FROM support_inbound_addresses a WHERE a.address = lower(p_address)))
              LIMIT 1
           $$"""
    )
    op.execute("REVOKE ALL ON FUNCTION bo_support_channel_route(uuid, text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION bo_support_channel_route(uuid, text) TO {RUNTIME_GROUP}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS bo_support_channel_route(uuid, text)")
    op.execute("DROP TRIGGER IF EXISTS support_channels_route ON support_channels")
    op.execute("DROP FUNCTION IF EXISTS bo_support_keep_route()")
    op.drop_table("support_inbound_addresses")
    for table in (
        "support_csat_ratings", "support_macros", "support_messages", "support_tickets",
        "support_ticket_counters", "support_contacts", "support_channels",
    ):  # fmt: skip
        op.drop_table(table)
    KIND.drop(op.get_bind())
    DIRECTION.drop(op.get_bind())
