"""The Support desk's records: channels, customers (contacts), tickets, their messages, macros and ratings.

Every table is tenant-owned: ``tenant_id`` leads the key, every reference and
every unique constraint includes it, and the migration forces RLS on it. The
one fact that spans tenants, a channel's inbound address, is unique across the
platform (mail for one address must reach one tenant): a provider-level table
kept by a trigger holds it, and it is read before any tenant is known only
through the narrow SECURITY DEFINER function ``bo_support_channel_route``
(migration 0009).
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey, value_enum
from bo_saas.work.models import DeskRecord, work_item_key

SUBJECT = 998  # RFC 5322's line limit: longer subjects are cut when stored, never refused
MESSAGE_ID = 998
SIGNATURE = 2000
MACRO_BODY = limits.BODY
COMMENT = 2000  # a CSAT comment


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageKind(enum.StrEnum):
    CUSTOMER = "customer"  # inbound mail (from the customer, someone on copy, or someone else: see ``flagged``)
    REPLY = "reply"  # an agent's answer from the console
    ACKNOWLEDGEMENT = "acknowledgement"  # the automatic "we got your message"
    CSAT_REQUEST = "csat_request"  # "how did we do?" once the ticket is done


def _aware(nullable: bool = True):
    return mapped_column(DateTimeUTC(timezone=True), nullable=nullable)


class SupportChannel(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """Where a tenant's customers write (``address``) and how replies go out (``from_name``/``from_address``)."""

    __tablename__ = "support_channels"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="support_channels_name"),
        # Stored lower-cased, so "Help@" and "help@" are one address. Across the platform an address
        # is unique too (it routes mail to one tenant): the provider-level support_inbound_addresses
        # table, kept by a trigger (migration 0009), holds that rule.
        UniqueConstraint("tenant_id", "address", name="support_channels_address"),
    )
    name: Mapped[str] = mapped_column(String(limits.NAME))
    address: Mapped[str] = mapped_column(String(limits.EMAIL))  # stored lower-cased
    from_name: Mapped[str] = mapped_column(String(limits.NAME))
    from_address: Mapped[str] = mapped_column(String(limits.EMAIL))
    signature: Mapped[str] = mapped_column(String(SIGNATURE), default="")
    auto_ack: Mapped[bool] = mapped_column(Boolean, default=True)
    sealed_secret: Mapped[str] = mapped_column(Text)  # lib.sealed: the HMAC key of the inbound endpoint


class SupportContact(TenantOwned, UUIDPrimaryKey, Base):
    """A customer of the tenant who writes in: not a user of the platform, never signs in."""

    __tablename__ = "support_contacts"
    __table_args__ = (UniqueConstraint("tenant_id", "email", name="support_contacts_email"),)
    email: Mapped[str] = mapped_column(String(limits.EMAIL))  # lower-cased addr-spec
    name: Mapped[str] = mapped_column(String(limits.NAME), default="")
    bouncing_at: Mapped[datetime | None] = _aware()  # mail to it bounced: no more acknowledgements
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Ticket(DeskRecord, Base):
    """One customer conversation, on one work item of the ``support`` service (queue, SLA, QA)."""

    __tablename__ = "support_tickets"
    __table_args__ = (
        work_item_key(),
        ForeignKeyConstraint(["tenant_id", "channel_id"], ["support_channels.tenant_id", "support_channels.id"]),
        ForeignKeyConstraint(["tenant_id", "contact_id"], ["support_contacts.tenant_id", "support_contacts.id"]),
        UniqueConstraint("tenant_id", "reference", name="support_tickets_reference"),
        UniqueConstraint("tenant_id", "work_item_id", name="support_tickets_work_item"),
    )
    channel_id: Mapped[UUID]
    contact_id: Mapped[UUID]
    reference: Mapped[str] = mapped_column(String(20))  # "T-000123", shown in subjects as "[T-000123]"
    subject: Mapped[str] = mapped_column(String(SUBJECT))
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    cc: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)  # addresses on copy, lower-cased
    csat_requested_at: Mapped[datetime | None] = _aware()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now, onupdate=utc_now)


class TicketMessage(TenantOwned, UUIDPrimaryKey, Base):
    """One email on a ticket, in or out. ``message_id`` is unique per tenant: a redelivery is stored once."""

    __tablename__ = "support_messages"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "ticket_id"], ["support_tickets.tenant_id", "support_tickets.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("tenant_id", "message_id", name="support_messages_message_id"),
        CheckConstraint("direction IN ('inbound', 'outbound')", name="support_messages_direction"),
        Index("support_messages_ticket", "tenant_id", "ticket_id", "created_at"),
    )
    ticket_id: Mapped[UUID]
    direction: Mapped[Direction] = mapped_column(value_enum(Direction, "support_direction"))
    kind: Mapped[MessageKind] = mapped_column(value_enum(MessageKind, "support_message_kind"))
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID))  # without angle brackets, lower-cased
    in_reply_to: Mapped[str | None] = mapped_column(String(MESSAGE_ID))
    references: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    from_address: Mapped[str] = mapped_column(String(limits.EMAIL))
    from_name: Mapped[str] = mapped_column(String(limits.NAME), default="")
    to_addresses: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    cc_addresses: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    subject: Mapped[str] = mapped_column(String(SUBJECT))
    text: Mapped[str] = mapped_column(Text, default="")
    new_text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)  # sanitised (nh3) before it is stored
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # from neither the customer nor anyone on copy
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    agent_id: Mapped[UUID | None]  # the account that wrote an outbound reply
    raw_size: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime | None] = _aware()
    sent_at: Mapped[datetime | None] = _aware()  # set by the sending job
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class MessageAttachment(TenantOwned, Base):
    """Which inbound message brought which of the ticket's files.

    The file itself is the work item's (``work.models.Attachment``: the queue, QA and downloads treat it as
    any upload); this row only places it under the mail that carried it. A file came with one message at most.
    """

    __tablename__ = "support_message_attachments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "message_id"], ["support_messages.tenant_id", "support_messages.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["tenant_id", "attachment_id"], ["attachments.tenant_id", "attachments.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("tenant_id", "attachment_id", name="support_message_attachments_attachment"),
    )
    message_id: Mapped[UUID] = mapped_column(primary_key=True)
    attachment_id: Mapped[UUID] = mapped_column(primary_key=True)


class Macro(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A canned reply; ``{customer_name}``, ``{ticket_reference}`` and ``{agent_name}`` are filled in."""

    __tablename__ = "support_macros"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="support_macros_name"),)
    name: Mapped[str] = mapped_column(String(limits.NAME))
    body: Mapped[str] = mapped_column(String(MACRO_BODY))


class CsatRating(TenantOwned, UUIDPrimaryKey, Base):
    """The customer's rating of a done ticket: 1 to 5, once."""

    __tablename__ = "support_csat_ratings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "ticket_id"], ["support_tickets.tenant_id", "support_tickets.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("tenant_id", "ticket_id", name="support_csat_once"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="support_csat_rating"),
    )
    ticket_id: Mapped[UUID]
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(COMMENT), default="")
    rated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class TicketCounter(TenantOwned, Base):
    """The last ticket number a tenant gave out: ``T-000123`` references count per tenant, not per platform."""

    __tablename__ = "support_ticket_counters"
    last_number: Mapped[int] = mapped_column(Integer, default=0)
