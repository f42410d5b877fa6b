"""Who may do what in a tenant's books, and which tenant's books a request means.

Provider staff serving the tenant keep the books: an agent needs the
``bookkeeping`` skill (a provider admin may do any staff work). The tenant's
own people read them, and its client admin may approve an entry as the
second person. Another tenant's books are simply not there (RLS): 404.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.books import book_for, find_book
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest, NotYourApproval
from bo_saas.bookkeeping.models import Book
from bo_saas.identity.models import StaffSkill
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ForbiddenError, NotFoundError
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.tenancy.models import Tenant

SKILL = "bookkeeping"
SERVICE = "bookkeeping"


def one_tenant(scope: TenantScope) -> UUID:
    """The one tenant whose books a request reads; books are never mixed across tenants."""
    if len(scope.tenant_ids) != 1:
        raise InvalidBookkeepingRequest("Choose one tenant's books with the X-Tenant header")
    (tenant_id,) = scope.tenant_ids
    return tenant_id


def tenant_today(tenant: Tenant, now: datetime | None = None) -> date:
    """Today in the tenant's own time zone: the default date of what its people book."""
    return (now or utc_now()).astimezone(ZoneInfo(tenant.timezone)).date()


async def open_book(session: AsyncSession, tenant_id: UUID) -> Book:
    """The tenant's book, opened with the defaults on first use when the tenant has the bookkeeping service."""
    book = await find_book(session, tenant_id)
    if book is not None:
        return book
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFoundError("No such tenant")
    if SERVICE not in (tenant.services or ()):
        raise NotFoundError(f"Tenant {tenant.slug} has no books: the bookkeeping service is not enabled")
    return await book_for(session, tenant_id, tenant_today(tenant))


async def has_skill(session: AsyncSession, account_id: UUID | None) -> bool:
    if account_id is None:
        return False
    return bool(
        await session.scalar(
            select(exists().where(StaffSkill.account_id == account_id, StaffSkill.skill_code == SKILL))
        )
    )


async def require_keeper(session: AsyncSession, caller: Caller, tenant_id: UUID) -> Tenant:
    """The tenant, when the caller may keep its books (staff serving it, with the skill); 403 otherwise."""
    tenant = await tenant_for_write(session, caller, TenantScope.of(tenant_id))
    skilled = caller.role is Role.PROVIDER_AGENT and await has_skill(session, caller.account_id)
    refuse_unless_keeper(caller, skilled=skilled)
    return tenant


def refuse_unless_keeper(caller: Caller, *, skilled: bool) -> None:
    """403 unless the caller keeps books: provider staff, an agent only with the skill (``skilled``, read by the
    caller, e.g. in the statement that locks the row)."""
    if caller.role is Role.PROVIDER_AGENT and not skilled:
        raise ForbiddenError("Only provider staff with the bookkeeping skill keep the books")
    if not caller.is_staff:
        raise ForbiddenError("Only provider staff keep the books; the tenant's people read them")


async def require_approver(session: AsyncSession, caller: Caller, tenant_id: UUID, maker_id: UUID | None) -> Tenant:
    """The tenant, when the caller may be an entry's second person: a keeper or the client admin, not its maker."""
    if caller.role is Role.CLIENT_ADMIN:
        tenant = await tenant_for_write(session, caller, TenantScope.of(tenant_id))
    elif caller.is_staff:
        tenant = await require_keeper(session, caller, tenant_id)
    else:
        raise ForbiddenError("Only the tenant's client admin or its bookkeepers approve entries")
    if caller.actor_id is not None and caller.actor_id == maker_id:
        raise NotYourApproval("You made this entry: a second person must approve it (maker-checker)")
    return tenant
