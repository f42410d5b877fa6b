"""Request and response bodies of the Support desk's routes (``/api/v1/support/...``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.lib import limits
from bo_saas.support.models import MACRO_BODY, SIGNATURE

Name = limits.text(limits.NAME, min_length=1)
Email = limits.text(limits.EMAIL, min_length=3)
Signature = limits.text(SIGNATURE)
MacroBody = limits.text(MACRO_BODY, min_length=1)
ReplyBody = limits.text(limits.BODY)
Tag = limits.text(50, min_length=1)
PriorityName = Literal["low", "normal", "high", "urgent"]
Outcome = Literal["created", "appended", "duplicate", "ignored"]
MAX_TAGS = 20
MAX_CC = 20


# --- channels ------------------------------------------------------------------------------------


class ChannelOut(msgspec.Struct):
    id: UUID
    name: str
    address: str
    from_name: str
    from_address: str
    signature: str
    auto_ack: bool


class ChannelWithSecretOut(ChannelOut):
    """A channel as created or rotated: ``secret`` signs inbound posts and is never shown again."""

    secret: str


class ChannelCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    address: Email
    from_name: Name
    from_address: Email
    signature: Signature = ""
    auto_ack: bool = True


class ChannelUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    address: Email | None = None
    from_name: Name | None = None
    from_address: Email | None = None
    signature: Signature | None = None
    auto_ack: bool | None = None


# --- macros ---------------------------------------------------------------------------------------


class MacroOut(msgspec.Struct):
    id: UUID
    name: str
    body: str
    created_at: datetime
    updated_at: datetime


class MacroCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    body: MacroBody


class MacroUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    body: MacroBody | None = None


# --- contacts -------------------------------------------------------------------------------------


class ContactOut(msgspec.Struct):
    id: UUID
    email: str
    name: str
    bouncing: bool
    created_at: datetime
    ticket_count: int


# --- tickets --------------------------------------------------------------------------------------


class CustomerOut(msgspec.Struct):
    email: str
    name: str


class CsatOut(msgspec.Struct):
    rating: int
    comment: str
    rated_at: datetime


class TicketOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    work_item_id: UUID
    reference: str
    subject: str
    customer: CustomerOut
    tags: list[str]
    status: str  # the work item's state
    priority: str
    channel_id: UUID
    cc: list[str]
    created_at: datetime
    updated_at: datetime
    message_count: int
    csat: CsatOut | None


class TicketUpdate(msgspec.Struct, forbid_unknown_fields=True):
    tags: Annotated[list[Tag], msgspec.Meta(max_length=MAX_TAGS)] | None = None
    priority: PriorityName | None = None


class MessageAttachmentOut(msgspec.Struct):
    """A file an inbound message brought: the ticket's work-item attachment, downloaded by its route."""

    id: UUID  # GET /api/v1/work-items/{ticket's work_item_id}/attachments/{id}
    filename: str
    content_type: str
    size_bytes: int


class MessageOut(msgspec.Struct):
    id: UUID
    ticket_id: UUID
    direction: str  # inbound | outbound
    kind: str  # customer | reply | acknowledgement | csat_request
    message_id: str
    in_reply_to: str | None
    from_address: str
    from_name: str
    to_addresses: list[str]
    cc_addresses: list[str]
    subject: str
    text: str
    new_text: str
    html: str | None  # sanitised: safe to show
    flagged: bool  # from someone who is neither the customer nor on copy
    auto_submitted: bool
    agent_id: UUID | None
    received_at: datetime | None
    sent_at: datetime | None
    created_at: datetime
    # Only a customer's mail brings files; what the desk sends carries none, hence the empty default.
    attachments: list[MessageAttachmentOut] = []


class ReplyCreate(msgspec.Struct, forbid_unknown_fields=True):
    """An agent's answer: ``body``, or a macro (its placeholders filled in) with ``body`` appended if given."""

    body: ReplyBody = ""
    cc: Annotated[list[Email], msgspec.Meta(max_length=MAX_CC)] = []
    macro_id: UUID | None = None


class InboundOut(msgspec.Struct):
    ticket_id: UUID | None
    message_id: UUID | None  # the stored message (null when ignored)
    outcome: Outcome


# --- reports --------------------------------------------------------------------------------------


class ClockFigures(msgspec.Struct):
    met: int
    breached: int


class TagCount(msgspec.Struct):
    tag: str
    count: int


class SupportReportOut(msgspec.Struct):
    tenant_id: UUID
    month: str  # YYYY-MM
    tickets_in: int
    tickets_solved: int
    first_response: ClockFigures
    resolution: ClockFigures
    csat_average: float | None
    csat_count: int
    csat_distribution: dict[str, int]  # "1".."5" -> ratings
    top_tags: list[TagCount]
