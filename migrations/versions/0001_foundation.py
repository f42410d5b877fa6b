"""Foundation: tenants, identity, audit trail, outbox, RLS.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from helpers import APPEND_ONLY, RUNTIME_GROUP, create_provider_table, create_tenant_table, grant_runtime, timestamps

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLE = pg.ENUM("provider_admin", "provider_agent", "client_admin", "client_member", name="role", create_type=False)
ACCOUNT_STATUS = pg.ENUM("invited", "active", "deactivated", name="account_status", create_type=False)
TENANT_STATUS = pg.ENUM("active", "suspended", name="tenant_status", create_type=False)


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _event_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid()),
        sa.Column("actor_kind", sa.String(20), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("subject_type", sa.String(40)),
        sa.Column("subject_id", sa.String(80)),
        sa.Column("changes", pg.JSONB(), nullable=False, server_default="{}"),
        sa.Column("ip", sa.String(64)),
        sa.Column("request_id", sa.String(64)),
    ]


def upgrade() -> None:
    # The runtime group: owns nothing, cannot bypass RLS. Login roles join it (`bo-saas migrate`).
    op.execute(
        f"""DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{RUNTIME_GROUP}') THEN
            CREATE ROLE {RUNTIME_GROUP} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
          END IF;
        END $$"""
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {RUNTIME_GROUP}")
    # The allowed tenant set of the current transaction; unset or '' allows nothing.
    op.execute(
        """CREATE FUNCTION bo_tenant_ids() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE AS
           $$ SELECT string_to_array(nullif(current_setting('bo.tenant_ids', true), ''), ',')::uuid[] $$"""
    )
    ROLE.create(op.get_bind())
    ACCOUNT_STATUS.create(op.get_bind())
    TENANT_STATUS.create(op.get_bind())

    create_provider_table(
        "plans",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        grant="SELECT",
    )
    op.bulk_insert(
        sa.table("plans", sa.column("code"), sa.column("name")),
        [
            {"code": "starter", "name": "Starter"},
            {"code": "growth", "name": "Growth"},
            {"code": "enterprise", "name": "Enterprise"},
        ],
    )
    create_provider_table(
        "tenants",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("slug", sa.String(63), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("plan_code", sa.String(40), sa.ForeignKey("plans.code"), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("status", TENANT_STATUS, nullable=False, server_default="active"),
        sa.Column("services", pg.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("suspended_reason", sa.Text()),
        *timestamps(),
        sa.CheckConstraint("slug ~ '^[a-z0-9][a-z0-9-]*$'", name="tenants_slug_format"),
    )
    create_provider_table(
        "accounts",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.Text()),
        sa.Column("status", ACCOUNT_STATUS, nullable=False),
        sa.Column("staff_role", ROLE),
        sa.Column("locale", sa.String(16), nullable=False, server_default="en"),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"),
        _aware("locked_until"),
        _aware("last_sign_in_at"),
        sa.Column("invite_token_hash", sa.String(64), unique=True),
        _aware("invite_expires_at"),
        *timestamps(),
        sa.CheckConstraint("email = lower(email)", name="accounts_email_lower"),
        sa.CheckConstraint(
            "staff_role IS NULL OR staff_role IN ('provider_admin', 'provider_agent')", name="accounts_staff_role"
        ),
    )
    create_provider_table(
        "skills",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
    )
    op.bulk_insert(
        sa.table("skills", sa.column("code"), sa.column("name")),
        [
            {"code": "data_entry", "name": "Data entry"},
            {"code": "bookkeeping", "name": "Bookkeeping"},
            {"code": "hr", "name": "HR"},
            {"code": "support", "name": "Customer support"},
        ],
    )
    create_provider_table(
        "staff_profiles",
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("capacity", sa.Integer(), nullable=False, server_default="5"),
        *timestamps(),
        sa.CheckConstraint("capacity BETWEEN 0 AND 1000", name="staff_profiles_capacity"),
    )
    create_provider_table(
        "staff_skills",
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("staff_profiles.account_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("skills.code"), primary_key=True),
    )
    create_provider_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _aware("issued_at", nullable=False),
        _aware("expires_at", nullable=False),
        _aware("spent_at"),
        _aware("revoked_at"),
    )
    op.create_index("refresh_tokens_family", "refresh_tokens", ["family_id"])

    create_tenant_table(
        "business_calendars",
        sa.Column("weekly_hours", pg.JSONB(), nullable=False, server_default="{}"),
        sa.Column("holidays", pg.ARRAY(sa.Date()), nullable=False, server_default="{}"),
        sa.Column("holiday_country", sa.String(8)),
        *timestamps(),
        key=(),
    )
    create_tenant_table(
        "memberships",
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        *timestamps(),
        sa.CheckConstraint("role IN ('client_admin', 'client_member')", name="memberships_client_role"),
        key=("account_id",),
    )
    op.create_index("memberships_account", "memberships", ["account_id"])
    create_tenant_table(
        "staff_assignments",
        sa.Column(
            "account_id", sa.Uuid(), sa.ForeignKey("staff_profiles.account_id", ondelete="CASCADE"), nullable=False
        ),
        *timestamps(),
        key=("account_id",),
    )
    op.create_index("staff_assignments_account", "staff_assignments", ["account_id"])
    create_tenant_table(
        "api_clients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL")),
        _aware("revoked_at"),
        _aware("last_used_at"),
        *timestamps(),
    )
    create_tenant_table("audit_events", *_event_columns(), grant=APPEND_ONLY)
    op.create_index("audit_events_recent", "audit_events", ["tenant_id", sa.text("occurred_at DESC")])
    create_provider_table(
        "provider_audit_events",
        *_event_columns(),
        sa.PrimaryKeyConstraint("id"),
        grant=APPEND_ONLY,
    )
    op.create_index("provider_audit_events_recent", "provider_audit_events", [sa.text("occurred_at DESC")])

    create_provider_table(
        "outbox_messages",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("message_id", sa.String(36), nullable=False, unique=True),
        sa.Column("queue_name", sa.String(80), nullable=False),
        sa.Column("actor_name", sa.String(120), nullable=False),
        sa.Column("message", pg.JSONB(), nullable=False),
        _aware("created_at", nullable=False),
        _aware("sent_at"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text()),
    )
    op.create_index("outbox_unsent", "outbox_messages", ["id"], postgresql_where=sa.text("sent_at IS NULL"))
    create_provider_table(
        "processed_messages",
        sa.Column("message_id", sa.String(36), primary_key=True),
        sa.Column("actor_name", sa.String(120), nullable=False),
        _aware("processed_at", nullable=False),
    )

    # Sign-in must learn where an account belongs before any tenant is known. This one
    # narrow function answers only that (tenant ids and the role there) for one account;
    # its owner must be able to read past RLS (a superuser or BYPASSRLS migration role).
    op.execute(
        """CREATE FUNCTION bo_account_tenants(p_account_id uuid)
           RETURNS TABLE (tenant_id uuid, role text)
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
             SELECT m.tenant_id, m.role::text FROM memberships m WHERE m.account_id = p_account_id
             UNION ALL
             SELECT s.tenant_id, 'assigned' FROM staff_assignments s WHERE s.account_id = p_account_id
           $$"""
    )
    op.execute("REVOKE ALL ON FUNCTION bo_account_tenants(uuid) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION bo_account_tenants(uuid) TO {RUNTIME_GROUP}")
    grant_runtime("outbox_messages_id_seq", "USAGE, SELECT")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS bo_account_tenants(uuid)")
    for table in (
        "processed_messages", "outbox_messages", "provider_audit_events", "audit_events", "api_clients",
        "staff_assignments", "memberships", "business_calendars", "refresh_tokens", "staff_skills",
        "staff_profiles", "skills", "accounts", "tenants", "plans",
    ):
        op.drop_table(table)
    for enum_name in ("tenant_status", "account_status", "role"):
        op.execute(f"DROP TYPE IF EXISTS {enum_name}")
    op.execute("DROP FUNCTION IF EXISTS bo_tenant_ids()")
