"""A tenant's customers as the desk knows them: an email address, a name, and whether mail to it bounces."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.repository import TenantRepository
from bo_saas.support.errors import ContactNotFound
from bo_saas.support.models import SupportContact, Ticket
from bo_saas.support.schemas import ContactOut


class Contacts(TenantRepository[SupportContact]):
    model = SupportContact
    not_found = ContactNotFound
    not_found_message = "No such contact"


async def contact_for(session: AsyncSession, tenant_id: UUID, email: str, name: str) -> SupportContact:
    """The tenant's contact with this address, made on first mail (a name learnt later fills an empty one)."""
    email = email.lower()[: limits.EMAIL]
    name = name.strip()[: limits.NAME]
    # A new customer comes back from the INSERT itself; only a known one costs a second statement.
    contact = await session.scalar(
        insert(SupportContact)
        .values(id=uuid4(), tenant_id=tenant_id, email=email, name=name, created_at=utc_now())
        .on_conflict_do_nothing(constraint="support_contacts_email")
        .returning(SupportContact)
    )
    if contact is None:
        contact = (
            await session.execute(
                select(SupportContact)
                .where(SupportContact.tenant_id == tenant_id, SupportContact.email == email)
                .execution_options(populate_existing=True)
            )
        ).scalar_one()
    if name and not contact.name:
        contact.name = name
    return contact


async def mark_bouncing(session: AsyncSession, tenant_id: UUID, addresses: Iterable[str]) -> int:
    """Mark the tenant's contacts with these addresses as bouncing; how many were marked."""
    wanted = sorted({address.lower() for address in addresses})
    if not wanted:
        return 0
    result = await session.execute(
        update(SupportContact)
        .where(SupportContact.tenant_id == tenant_id, SupportContact.email.in_(wanted))
        .values(bouncing_at=func.coalesce(SupportContact.bouncing_at, utc_now()))
    )
    return result.rowcount or 0


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching_contacts(q: str) -> ColumnElement[bool]:
    """Contacts whose email or name holds ``q`` (any case); ``%`` and ``_`` are matched as written."""
    pattern = f"%{_escape_like(q.strip())}%"
    return or_(SupportContact.email.ilike(pattern, escape="\\"), SupportContact.name.ilike(pattern, escape="\\"))


_TICKET_COUNT = (
    select(func.count())
    .where(Ticket.tenant_id == SupportContact.tenant_id, Ticket.contact_id == SupportContact.id)
    .correlate(SupportContact)
    .scalar_subquery()
)
_COLUMNS = (
    SupportContact.id,
    SupportContact.email,
    SupportContact.name,
    SupportContact.bouncing_at.is_not(None).label("bouncing"),
    SupportContact.created_at,
    _TICKET_COUNT.label("ticket_count"),
)


async def list_contacts(session: AsyncSession, page: PageRequest, q: str | None) -> OffsetPagination[ContactOut]:
    filters = []
    if q and q.strip():
        filters.append(matching_contacts(q))
    return await list_page(
        session,
        select(*_COLUMNS),
        page,
        filters=filters,
        order_by=(SupportContact.created_at.desc(), SupportContact.id),
        into=ContactOut,
    )


async def contact_view(session: AsyncSession, contact_id: UUID) -> ContactOut:
    row = (await session.execute(select(*_COLUMNS).where(SupportContact.id == contact_id))).first()
    if row is None:
        raise ContactNotFound("No such contact")
    return ContactOut(**row._mapping)
