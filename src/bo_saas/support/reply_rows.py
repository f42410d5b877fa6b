"""An agent's reply as rows: a lock, one read for everything it needs, one write for everything it changes.

The reply is the desk's hottest write. Through the ORM it read the ticket, the
work item, the customer, the channel, the agent's name (twice), the macro, the
messages for References and the tenant's calendar one statement each, and
hydrated every row; here the same facts come from one statement (after the lock) and the
changes (the outgoing message, the ticket, the public comment, the item's
first response) go back in another, on the request's own transaction (so the
tenant scope RLS reads is the one the session declared). What happens around
them (the sending job, timers, webhooks, the audit event) stays with the
functions every other path uses: see ``support.replies``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from bo_saas.work.models import SlaStatus, WorkState

# The lock comes first, in a statement of its own: two replies to one ticket take turns, and the second must
# then read the first one's message (for its References) and first response. Read in the locking statement,
# those rows would come from the snapshot taken before the wait. Ticket then item, as the ORM path locked them.
_LOCK_SQL = """
    SELECT t.tenant_id
    FROM support_tickets t
    JOIN work_items w ON w.tenant_id = t.tenant_id AND w.id = t.work_item_id
    WHERE t.id = $1
    FOR UPDATE OF t, w
"""

# Then everything else, by the ticket's full key (so the planner starts from it, whatever its statistics say).
# The calendar column has ``tenancy.calendars.calendar_json``'s shape, for ``business_time_from``. The macro is
# looked up by id alone, as ``Macros.get`` does: RLS bounds it to the tenants in the request's scope.
_CONTEXT_SQL = """
    SELECT t.tenant_id, t.id, t.work_item_id, t.reference, t.subject, t.cc,
           c.email AS contact_email, c.name AS contact_name,
           ch.from_address, ch.from_name, ch.signature,
           (SELECT a.name FROM accounts a WHERE a.id = $3) AS account_name,
           (SELECT m.body FROM support_macros m WHERE m.id = $4) AS macro_body,
           thread.chain, thread.inbound,
           tn.timezone, json_build_array(cal.weekly_hours, cal.holidays, cal.holiday_country)::text AS calendar,
           w.state::text AS state, w.service_type, w.title, w.priority::text AS priority,
           w.sla_status::text AS sla_status, w.requester_id, w.queued_at, w.first_responded_at,
           w.sla_first_response_minutes, w.sla_resolution_minutes, w.sla_warning_percent,
           w.first_response_due_at, w.resolution_due_at, w.warning_due_at, w.resolution_minutes_banked,
           w.resolution_running_since, w.first_response_warned_at, w.resolution_warned_at,
           w.first_response_breached_at, w.resolution_breached_at
    FROM support_tickets t
    JOIN work_items w ON w.tenant_id = t.tenant_id AND w.id = t.work_item_id
    JOIN support_contacts c ON c.tenant_id = t.tenant_id AND c.id = t.contact_id
    JOIN support_channels ch ON ch.tenant_id = t.tenant_id AND ch.id = t.channel_id
    JOIN tenants tn ON tn.id = t.tenant_id
    LEFT JOIN business_calendars cal ON cal.tenant_id = t.tenant_id
    CROSS JOIN LATERAL (
        -- The inner ORDER BY walks the ticket's own index (support_messages_ticket), not the tenant's messages.
        SELECT array_agg(s.message_id ORDER BY s.created_at, s.id) AS chain,
               array_agg(s.message_id ORDER BY s.created_at, s.id) FILTER (WHERE s.direction = 'inbound') AS inbound
        FROM (
            SELECT message_id, direction, created_at, id FROM support_messages
            WHERE tenant_id = t.tenant_id AND ticket_id = t.id
            ORDER BY created_at, id
        ) s
    ) thread
    WHERE t.tenant_id = $1 AND t.id = $2
"""

# The columns ``ItemClocks`` carries, in the record's names (``work.clocks`` reads and sets them by these names).
_CLOCK_FIELDS = (
    "queued_at",
    "first_responded_at",
    "sla_first_response_minutes",
    "sla_resolution_minutes",
    "sla_warning_percent",
    "first_response_due_at",
    "resolution_due_at",
    "warning_due_at",
    "resolution_minutes_banked",
    "resolution_running_since",
    "first_response_warned_at",
    "resolution_warned_at",
    "first_response_breached_at",
    "resolution_breached_at",
)


@dataclass(slots=True)
class ItemClocks:
    """The ticket's work item as ``work.clocks``, ``sla`` timers and ``work.items.event_data`` read it.

    A plain object, not a ``WorkItem``: the reply changes two of its columns and writes them itself.
    """

    id: UUID
    tenant_id: UUID
    state: WorkState
    service_type: str
    title: str
    priority: str
    sla_status: SlaStatus
    requester_id: UUID | None
    queued_at: datetime | None
    first_responded_at: datetime | None
    sla_first_response_minutes: int | None
    sla_resolution_minutes: int | None
    sla_warning_percent: int | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    warning_due_at: datetime | None
    resolution_minutes_banked: float
    resolution_running_since: datetime | None
    first_response_warned_at: datetime | None
    resolution_warned_at: datetime | None
    first_response_breached_at: datetime | None
    resolution_breached_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReplyContext:
    tenant_id: UUID
    ticket_id: UUID
    reference: str
    subject: str
    cc: list[str]
    contact_email: str
    contact_name: str | None
    from_address: str
    from_name: str
    signature: str
    account_name: str | None
    macro_body: str | None  # None: no macro asked for, or none visible by that id
    chain: list[str]  # the ticket's Message-IDs, oldest first
    last_inbound: str | None
    timezone: str
    calendar: str
    item: ItemClocks


async def read_context(
    driver: asyncpg.Connection, ticket_id: UUID, account_id: UUID | None, macro_id: UUID | None
) -> ReplyContext | None:
    """Lock the ticket and its item and read what the reply needs; None when the ticket is not visible."""
    tenant_id = await driver.fetchval(_LOCK_SQL, ticket_id)
    if tenant_id is None:
        return None
    record = await driver.fetchrow(_CONTEXT_SQL, tenant_id, ticket_id, account_id, macro_id)
    item = ItemClocks(
        id=record["work_item_id"],
        tenant_id=record["tenant_id"],
        state=WorkState(record["state"]),
        service_type=record["service_type"],
        title=record["title"],
        priority=record["priority"],
        sla_status=SlaStatus(record["sla_status"]),
        requester_id=record["requester_id"],
        **{name: record[name] for name in _CLOCK_FIELDS},
    )
    inbound = record["inbound"]
    return ReplyContext(
        tenant_id=record["tenant_id"],
        ticket_id=record["id"],
        reference=record["reference"],
        subject=record["subject"],
        cc=list(record["cc"]),
        contact_email=record["contact_email"],
        contact_name=record["contact_name"],
        from_address=record["from_address"],
        from_name=record["from_name"],
        signature=record["signature"],
        account_name=record["account_name"],
        macro_body=record["macro_body"],
        chain=list(record["chain"] or ()),
        last_inbound=inbound[-1] if inbound else None,
        timezone=record["timezone"],
        calendar=record["calendar"],
        item=item,
    )


# One statement for every row the reply writes; the CTEs all run, whatever the outer statement reads.
_WRITE_SQL = """
    WITH message AS (
        INSERT INTO support_messages (
            tenant_id, id, ticket_id, direction, kind, message_id, in_reply_to, "references", from_address,
            from_name, to_addresses, cc_addresses, subject, text, new_text, html, flagged, auto_submitted,
            agent_id, raw_size, received_at, sent_at, created_at)
        VALUES ($1, $2, $3, 'outbound', 'reply', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, NULL, false, false,
                $13, 0, NULL, NULL, $14)
    ), ticket AS (
        UPDATE support_tickets SET cc = $15, updated_at = $14 WHERE tenant_id = $1 AND id = $3
    ), comment AS (
        INSERT INTO work_item_comments (
            tenant_id, id, work_item_id, author_id, author_kind, author_name, body, internal, created_at)
        VALUES ($1, $16, $17, $18, $19, $20, $21, false, $14)
    )
    UPDATE work_items SET updated_at = $14, first_responded_at = $22, warning_due_at = $23
    WHERE tenant_id = $1 AND id = $17
"""


@dataclass(frozen=True, slots=True)
class OutgoingReply:
    """The reply's message row, as stored."""

    id: UUID
    message_id: str
    in_reply_to: str | None
    references: list[str]
    from_address: str
    from_name: str
    to_addresses: list[str]
    cc_addresses: list[str]
    subject: str
    text: str
    agent_id: UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReplyComment:
    """The public comment the reply also is on the work item (the item's conversation shows it)."""

    id: UUID
    author_id: UUID | None
    author_kind: str
    author_name: str
    body: str


async def write_reply(
    driver: asyncpg.Connection,
    context: ReplyContext,
    message: OutgoingReply,
    *,
    ticket_cc: list[str],
    comment: ReplyComment,
) -> None:
    """Store the message, the ticket's copies and time, the comment, and the item's time and first response."""
    item = context.item
    args: list[Any] = [
        context.tenant_id,
        message.id,
        context.ticket_id,
        message.message_id,
        message.in_reply_to,
        message.references,
        message.from_address,
        message.from_name,
        message.to_addresses,
        message.cc_addresses,
        message.subject,
        message.text,
        message.agent_id,
        message.created_at,
        ticket_cc,
        comment.id,
        item.id,
        comment.author_id,
        comment.author_kind,
        comment.author_name,
        comment.body,
        item.first_responded_at,
        item.warning_due_at,
    ]
    await driver.execute(_WRITE_SQL, *args)
