"""Tickets: a customer's conversation on one ``support`` work item, its reference, and how the API shows it.

A ticket's status and priority are its work item's: the queue, the SLA clocks
and QA work on the item as for any other service. The ticket adds what
support needs: the customer, the channel, a reference people can quote
(``T-000123``), tags and who is on copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from sqlalchemy import Select, any_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.repository import TenantRepository
from bo_saas.support.contacts import matching_contacts
from bo_saas.support.errors import TicketNotFound
from bo_saas.support.inbound_files import files_by_message
from bo_saas.support.models import CsatRating, SupportContact, Ticket, TicketCounter, TicketMessage
from bo_saas.support.schemas import CsatOut, CustomerOut, MessageOut, TicketOut
from bo_saas.work.models import Priority, WorkItem, WorkState

REFERENCE_PREFIX = "T-"


class Tickets(TenantRepository[Ticket]):
    model = Ticket
    not_found = TicketNotFound
    not_found_message = "No such ticket"


def reference_of(number: int) -> str:
    return f"{REFERENCE_PREFIX}{number:06d}"


async def next_reference(session: AsyncSession, tenant_id: UUID) -> str:
    """The tenant's next reference; the counter row's lock makes concurrent tickets take turns, never collide."""
    number = await session.scalar(
        insert(TicketCounter)
        .values(tenant_id=tenant_id, last_number=1)
        .on_conflict_do_update(
            index_elements=[TicketCounter.tenant_id], set_={"last_number": TicketCounter.last_number + 1}
        )
        .returning(TicketCounter.last_number)
    )
    return reference_of(number)


async def open_ticket(
    session: AsyncSession,
    *,
    tenant_id: UUID,
    work_item_id: UUID,
    channel_id: UUID,
    contact_id: UUID,
    subject: str,
    cc: Sequence[str],
) -> Ticket:
    now = utc_now()
    ticket = Ticket(
        id=uuid4(),
        tenant_id=tenant_id,
        work_item_id=work_item_id,
        channel_id=channel_id,
        contact_id=contact_id,
        reference=await next_reference(session, tenant_id),
        subject=subject,
        tags=[],
        cc=sorted(set(cc)),
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    await session.flush()
    return ticket


# --- as the API shows them -------------------------------------------------------------------------

_MESSAGE_COUNT = (
    select(func.count())
    .where(TicketMessage.tenant_id == Ticket.tenant_id, TicketMessage.ticket_id == Ticket.id)
    .correlate(Ticket)
    .scalar_subquery()
)


def _ticket_rows() -> Select:
    return (
        select(
            Ticket,
            SupportContact.email,
            SupportContact.name,
            WorkItem.state,
            WorkItem.priority,
            CsatRating.rating,
            CsatRating.comment,
            CsatRating.rated_at,
            _MESSAGE_COUNT.label("message_count"),
        )
        .join(SupportContact, (SupportContact.tenant_id == Ticket.tenant_id) & (SupportContact.id == Ticket.contact_id))
        .join(WorkItem, (WorkItem.tenant_id == Ticket.tenant_id) & (WorkItem.id == Ticket.work_item_id))
        .outerjoin(CsatRating, (CsatRating.tenant_id == Ticket.tenant_id) & (CsatRating.ticket_id == Ticket.id))
    )


def _ticket_out(row) -> TicketOut:
    ticket: Ticket = row.Ticket
    csat = CsatOut(row.rating, row.comment, row.rated_at) if row.rating is not None else None
    return TicketOut(
        id=ticket.id,
        tenant_id=ticket.tenant_id,
        work_item_id=ticket.work_item_id,
        reference=ticket.reference,
        subject=ticket.subject,
        customer=CustomerOut(email=row.email, name=row.name),
        tags=list(ticket.tags),
        status=WorkState(row.state).value,
        priority=Priority(row.priority).value,
        channel_id=ticket.channel_id,
        cc=list(ticket.cc),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        message_count=row.message_count,
        csat=csat,
    )


async def ticket_view(session: AsyncSession, ticket_id: UUID) -> TicketOut:
    row = (await session.execute(_ticket_rows().where(Ticket.id == ticket_id))).first()
    if row is None:
        raise TicketNotFound("No such ticket")
    return _ticket_out(row)


async def list_tickets(
    session: AsyncSession,
    page: PageRequest,
    *,
    states: Sequence[WorkState] | None = None,
    tag: str | None = None,
    contact_id: UUID | None = None,
    work_item_id: UUID | None = None,
    customer: str | None = None,
) -> OffsetPagination[TicketOut]:
    filters = []
    if states:
        filters.append(WorkItem.state.in_(states))
    if tag:
        filters.append(any_(Ticket.tags) == tag)
    if contact_id:
        filters.append(Ticket.contact_id == contact_id)
    if work_item_id:
        filters.append(Ticket.work_item_id == work_item_id)
    if customer and customer.strip():
        filters.append(matching_contacts(customer))
    return await list_page(
        session,
        _ticket_rows(),
        page,
        filters=filters,
        order_by=(Ticket.created_at.desc(), Ticket.id),
        into=lambda rows: [_ticket_out(row) for row in rows],
    )


async def list_messages(session: AsyncSession, ticket: Ticket, page: PageRequest) -> OffsetPagination[MessageOut]:
    """The ticket's emails, oldest first, each with the files it brought (one more statement for the page)."""

    async def with_files(messages: list[TicketMessage]) -> list[MessageOut]:
        files = await files_by_message(session, ticket.tenant_id, [message.id for message in messages])
        return [to_struct(message, MessageOut, attachments=files.get(message.id, [])) for message in messages]

    return await list_page(
        session,
        select(TicketMessage),
        page,
        filters=[TicketMessage.tenant_id == ticket.tenant_id, TicketMessage.ticket_id == ticket.id],
        order_by=(TicketMessage.created_at, TicketMessage.id),
        into=with_files,
    )


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as kept: trimmed, lower-case, each once, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip().lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)
