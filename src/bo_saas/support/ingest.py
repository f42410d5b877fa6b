"""Inbound mail to tickets: the one path the inbound endpoint and the SMTP listener share.

``ingest`` works inside the channel's tenant scope only (the caller found the
tenant through ``channels.route`` and scoped the session to it), so nothing it
reads or writes can belong to another tenant. In one transaction:

1. parse (size limit, unreadable mail refused before anything is written);
2. the same message twice is stored once: by Message-ID, or for a message
   without one by a stable id made from its bytes; of two concurrent
   deliveries, the second waits on the first's row in the unique index, finds
   it stored (``INSERT … ON CONFLICT DO NOTHING``) and rolls its own work back;
3. a bounce marks the bounced contacts; an auto-submitted message (RFC 3834,
   bulk, lists, bounces, our own mail coming back) never opens a ticket, never
   moves one and is never acknowledged: it is kept on its ticket when it
   threads, else ignored;
4. a reply joins its ticket (``threads.find_ticket``); one from someone who is
   neither the customer nor on copy is kept but flagged and moves nothing;
   the customer's reply to a ticket waiting on them puts it back to work, to a
   done ticket (within the reopen window) reopens it; a closed ticket's
   reply opens a new ticket;
5. anything else opens a ticket on a new ``support`` work item (queue, SLA,
   conversation as for any item) and, if the channel says so and the guard
   allows, acknowledges it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID, uuid4

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_engine, make_sessionmaker, scoped_session, set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.storage import storage_for
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.notifications import notify
from bo_saas.support import threads
from bo_saas.support.acknowledgements import acknowledge
from bo_saas.support.channels import ChannelRoute, route
from bo_saas.support.contacts import contact_for, mark_bouncing
from bo_saas.support.errors import MessageTooLarge, UnreadableMessage
from bo_saas.support.inbound_files import store_attachments
from bo_saas.support.loops import bounced_addresses, is_auto_submitted, may_be_bounce
from bo_saas.support.mail_parsing import (
    MAX_MESSAGE_BYTES,
    MalformedMessageError,
    MessageTooLargeError,
    ParsedMessage,
    parse_message,
)
from bo_saas.support.models import (
    SUBJECT,
    Direction,
    MessageKind,
    SupportChannel,
    SupportContact,
    Ticket,
    TicketMessage,
)
from bo_saas.support.tickets import open_ticket
from bo_saas.tenancy.calendars import tenant_with_business_time
from bo_saas.work import items, states
from bo_saas.work.models import Comment, Priority, WorkItem, WorkState

log = structlog.get_logger(__name__)

NO_SUBJECT = "(no subject)"
FORM_STRING = 500  # the support form's one-line "customer" field


@dataclass(frozen=True, slots=True)
class IngestResult:
    ticket_id: UUID | None
    message_id: UUID | None  # the stored TicketMessage
    outcome: str  # created | appended | duplicate | ignored


def read(raw: bytes) -> ParsedMessage:
    """The parsed message; 413 over the size limit and 422 for bytes that are not mail, nothing written."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageTooLarge(f"The message is larger than the {MAX_MESSAGE_BYTES // (1024 * 1024)} MB limit")
    try:
        return parse_message(raw)
    except MessageTooLargeError as exc:
        raise MessageTooLarge(str(exc) or "The message is too large") from None
    except MalformedMessageError as exc:
        raise UnreadableMessage(f"The body is not a readable mail message: {exc}") from None


def stable_message_id(parsed: ParsedMessage, raw: bytes) -> str:
    """The Message-ID to store: the message's own, or one made from its bytes so a redelivery still matches."""
    if parsed.message_id:
        return parsed.message_id.lower()[:998]
    return f"{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id.invalid"


class _StoredMeanwhile(Exception):
    """A concurrent delivery of the same message committed first: this one's work is rolled back."""


async def ingest(
    session: AsyncSession,
    settings: Settings,
    channel_route: ChannelRoute,
    raw: bytes,
    channel: SupportChannel | None = None,  # the caller's, read in this transaction already (the inbound route)
) -> IngestResult:
    """Store one inbound message for the channel, and commit. ``session`` is scoped to the channel's tenant."""
    parsed = read(raw)
    stored_files: list[str] = []
    try:
        result = await _ingest(session, settings, channel_route, channel, parsed, raw, stored_files)
        await session.commit()
    except _StoredMeanwhile:
        await session.rollback()
        await _forget_files(settings, stored_files)
        known, _ = await threads.by_message_ids(
            session, channel_route.tenant_id, parsed, stable_message_id(parsed, raw)
        )
        await session.commit()
        result = _known_result(known) if known is not None else IngestResult(None, None, "ignored")
    except BaseException:
        await session.rollback()
        await _forget_files(settings, stored_files)
        raise
    log.info("support.ingested", tenant=str(channel_route.tenant_id), outcome=result.outcome)
    return result


async def _ingest(
    session: AsyncSession,
    settings: Settings,
    channel_route: ChannelRoute,
    channel: SupportChannel | None,
    parsed: ParsedMessage,
    raw: bytes,
    stored_files: list[str],
) -> IngestResult:
    tenant_id = channel_route.tenant_id
    if channel is None:
        channel = (
            await session.execute(
                select(SupportChannel).where(
                    SupportChannel.tenant_id == tenant_id, SupportChannel.id == channel_route.channel_id
                )
            )
        ).scalar_one()
    message_id = stable_message_id(parsed, raw)
    known, answered = await threads.by_message_ids(session, tenant_id, parsed, message_id)
    if known is not None:
        return _known_result(known)

    bounced = bounced_addresses(raw) if may_be_bounce(parsed) else set()
    if bounced:
        await mark_bouncing(session, tenant_id, bounced)
    sender = parsed.from_address
    ours = sender in (channel.address, channel.from_address.lower())
    automatic = bool(bounced) or ours or is_auto_submitted(parsed)
    ticket = await threads.find_ticket(session, tenant_id, parsed, by_ids=answered)

    if automatic or not sender:
        if ticket is None:
            return IngestResult(None, None, "ignored")
        stored_id = await _store(session, ticket, parsed, message_id, raw, flagged=False, automatic=True)
        return IngestResult(ticket.id, stored_id, "appended")

    now = utc_now()
    item, contact = await _item_and_contact(session, ticket) if ticket is not None else (None, None)
    if item is not None and _closed_for_replies(item, now):
        ticket = item = None  # a reply to a closed conversation starts a new one
    if ticket is not None and item is not None:
        flagged = sender != contact.email and sender not in ticket.cc
        stored_id = await _store(session, ticket, parsed, message_id, raw, flagged=flagged, automatic=False)
        _mirror_in_conversation(session, item, parsed, contact if not flagged else None, sender)
        stored_files += await store_attachments(session, settings, item, parsed, stored_id)
        if not flagged:
            ticket.cc = _merged_cc(ticket.cc, parsed, channel, contact.email)
            await _customer_replied(session, item, now)
        ticket.updated_at = now
        return IngestResult(ticket.id, stored_id, "appended")

    contact = await contact_for(session, tenant_id, sender, parsed.from_name)
    # Its calendar comes along: queuing the new item reads it next.
    tenant = await tenant_with_business_time(session, tenant_id)
    subject = (parsed.subject.strip() or NO_SUBJECT)[:SUBJECT]
    item = await items.create_item(
        session,
        None,
        tenant,
        service_type="support",
        title=subject[: limits.TITLE],
        payload={"channel": "email", "customer": _customer_line(contact)[:FORM_STRING], "message": _summary(parsed)},
        priority=Priority.NORMAL,
        submit=True,
    )
    ticket = await open_ticket(
        session,
        tenant_id=tenant_id,
        work_item_id=item.id,
        channel_id=channel.id,
        contact_id=contact.id,
        subject=subject,
        cc=_merged_cc([], parsed, channel, contact.email),
    )
    stored_id = await _store(session, ticket, parsed, message_id, raw, flagged=False, automatic=False)
    _mirror_in_conversation(session, item, parsed, contact, sender)
    stored_files += await store_attachments(session, settings, item, parsed, stored_id)
    await session.flush()
    await acknowledge(session, channel, contact, ticket, now, message_id)
    return IngestResult(ticket.id, stored_id, "created")


def _known_result(known: threads.Known) -> IngestResult:
    # Our own message coming back (a loop through a forwarder) is not the customer's duplicate.
    outcome = "duplicate" if known.direction is Direction.INBOUND else "ignored"
    return IngestResult(known.ticket_id, known.id if outcome == "duplicate" else None, outcome)


async def _store(
    session: AsyncSession,
    ticket: Ticket,
    parsed: ParsedMessage,
    message_id: str,
    raw: bytes,
    *,
    flagged: bool,
    automatic: bool,
) -> UUID:
    """Store the message; its id. Raises ``_StoredMeanwhile`` when a concurrent delivery stored it first."""
    now = utc_now()
    statement = insert(TicketMessage).values(
        id=uuid4(),
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.id,
        direction=Direction.INBOUND,
        kind=MessageKind.CUSTOMER,
        message_id=message_id,
        in_reply_to=parsed.in_reply_to[0].lower()[:998] if parsed.in_reply_to else None,
        references=[reference.lower() for reference in parsed.references],
        from_address=parsed.from_address[: limits.EMAIL],
        from_name=parsed.from_name[: limits.NAME],
        to_addresses=list(parsed.to),
        cc_addresses=list(parsed.cc),
        subject=(parsed.subject or NO_SUBJECT)[:SUBJECT],
        text=parsed.text,
        new_text=parsed.new_text,
        html=parsed.html,
        flagged=flagged,
        auto_submitted=automatic,
        raw_size=len(raw),
        received_at=now,
        created_at=now,
    )
    # The unique (tenant, Message-ID) index makes a concurrent delivery wait here for the first one's commit.
    stored_id = await session.scalar(
        statement.on_conflict_do_nothing(constraint="support_messages_message_id").returning(TicketMessage.id)
    )
    if stored_id is None:
        raise _StoredMeanwhile
    return stored_id


def _customer_line(contact: SupportContact) -> str:
    return f"{contact.name} <{contact.email}>" if contact.name else contact.email


def _summary(parsed: ParsedMessage) -> str:
    text = (parsed.new_text or parsed.text or parsed.subject).strip() or NO_SUBJECT
    return text[: limits.BODY]


def _merged_cc(current: list[str], parsed: ParsedMessage, channel: SupportChannel, customer: str) -> list[str]:
    """Who is on copy: kept, plus those the customer copied, never the customer or the channel itself."""
    ours = {channel.address, channel.from_address.lower(), customer}
    return sorted({*current, *(address.lower() for address in parsed.cc)} - ours)


def _closed_for_replies(item: WorkItem, now) -> bool:
    if item.state in (WorkState.REJECTED, WorkState.CANCELLED):
        return True
    return item.state is WorkState.DONE and not states.within_reopen_window(item, now)


async def _item_and_contact(session: AsyncSession, ticket: Ticket) -> tuple[WorkItem, SupportContact]:
    """The ticket's work item, locked (a reply may move it), and its customer: one statement."""
    row = (
        await session.execute(
            select(WorkItem, SupportContact)
            .join(
                SupportContact,
                (SupportContact.tenant_id == WorkItem.tenant_id) & (SupportContact.id == ticket.contact_id),
            )
            .where(WorkItem.tenant_id == ticket.tenant_id, WorkItem.id == ticket.work_item_id)
            .with_for_update(of=WorkItem)
        )
    ).one()
    return row.WorkItem, row.SupportContact


def _mirror_in_conversation(
    session: AsyncSession, item: WorkItem, parsed: ParsedMessage, contact: SupportContact | None, sender: str
) -> None:
    """The new text as a public reply on the work item, so the item's conversation reads like the ticket."""
    name = (contact.name or contact.email) if contact else f"{parsed.from_name or sender} (not the customer)"
    session.add(
        Comment(
            id=uuid4(),
            tenant_id=item.tenant_id,
            work_item_id=item.id,
            author_id=None,
            author_kind="customer",
            author_name=name[: limits.NAME],
            body=_summary(parsed),
            internal=False,
            created_at=utc_now(),
        )
    )


async def _customer_replied(session: AsyncSession, item: WorkItem, now) -> None:
    """The customer's reply moves the item as a client's answer does: back to work, or reopened when done."""
    if item.state is WorkState.WAITING_ON_CLIENT:
        await items.move(session, item, WorkState.IN_PROGRESS, caller=None, reason="The customer replied by email")
        if item.assignee_id is not None:
            await notify(
                session,
                tenant_id=item.tenant_id,
                recipient_ids=[item.assignee_id],
                kind="work_item.answered",
                title=f"The customer answered on “{item.title}”",
                body="A reply arrived by email.",
                work_item_id=item.id,
            )
    elif item.state is WorkState.DONE:
        await items.move(session, item, WorkState.QUEUED, caller=None, reason="Reopened: the customer wrote again")


async def _forget_files(settings: Settings, keys: list[str]) -> None:
    if not keys:
        return
    storage = storage_for(settings)
    for key in keys:
        await storage.delete(key)


# --- for the SMTP listener, which knows only a recipient address -------------------------------------

_sessionmakers: dict[str, async_sessionmaker[AsyncSession]] = {}


def _sessionmaker(settings: Settings) -> async_sessionmaker[AsyncSession]:
    # One engine per process and database: the listener handles many messages on one event loop.
    if settings.database_url not in _sessionmakers:
        _sessionmakers[settings.database_url] = make_sessionmaker(make_engine(settings.database_url, pool_size=2))
    return _sessionmakers[settings.database_url]


async def channel_exists_for_address(settings: Settings, recipient: str) -> bool:
    """Whether some channel receives mail for ``recipient`` (the listener's answer to RCPT TO)."""
    async with scoped_session(_sessionmaker(settings), TenantScope.nothing()) as lookup:
        return await route(lookup, address=recipient) is not None


async def ingest_for_recipient(settings: Settings, recipient: str, raw: bytes) -> IngestResult | None:
    """Ingest mail addressed to ``recipient``; None when no channel has that inbound address."""
    sessionmaker = _sessionmaker(settings)
    async with scoped_session(sessionmaker, TenantScope.nothing()) as lookup:
        found = await route(lookup, address=recipient)
    if found is None:
        return None
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(found.tenant_id))
        return await ingest(session, settings, found, raw)
