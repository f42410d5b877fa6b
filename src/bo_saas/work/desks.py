"""The desk seam: a domain that does one service's work plugs into the work item's life here.

A desk (data entry, bookkeeping, HR, support) keeps its own records, each on
one work item of its service type (``models.DeskRecord``). The work item stays
the unit of the queue, the SLA clocks, QA and the conversation; the desk says
when its part is complete, how much usage the item earns when it is done, and
where its workspace is in the web app. Desks are declared in ``DOMAIN.desks``
and handed over by the registry at install (``install_desks``), since ``work``
cannot import the floors above it.

``work.items.move`` calls this module twice: ``require_part_complete`` before
an item goes to review or done, and ``item_done`` when it reaches done (the
usage it earns, then the desk's own ``on_done``, e.g. support asking the
customer to rate the answer); and ``item_closed`` when it is rejected or
cancelled (the desk's ``on_closed``, e.g. a data entry batch that no longer
waits for that chunk).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.errors import ConflictError
from bo_saas.work.models import CustomServiceType, WorkItem
from bo_saas.work.usage import declared_meter, record_usage

# Custom service types (defined by a tenant's manifest) have no desk: one unit per item done.
WORK_ITEMS_METER = "work.items"


@dataclass(frozen=True, slots=True)
class Desk:
    """What a desk tells ``work`` about the items of the service type it delivers."""

    service_type: str  # the service type code whose items this desk works
    meter: str  # the meter the desk's items earn (declared in some DOMAIN.meters)
    # Units earned when the item is done (e.g. the records in a chunk); 0 earns nothing.
    quantity: Callable[[AsyncSession, WorkItem], Awaitable[int]]
    # What is left of the desk's part, said to the agent ("2 widgets unchecked"); None when complete.
    remaining: Callable[[AsyncSession, WorkItem], Awaitable[str | None]]
    # The web app's route of the desk's workspace for one item, with "{item_id}" in it.
    workspace: str
    # What the desk does when one of its items reaches done, in the same transaction (None: nothing).
    # Runs every time the item reaches done (a reopened item may be done again): make it idempotent.
    on_done: Callable[[AsyncSession, WorkItem, datetime], Awaitable[None]] | None = None
    # What the desk does when one of its items is rejected or cancelled, in the same transaction (None: nothing).
    # It earns nothing, but whatever waited for the item must stop waiting. Make it idempotent too.
    on_closed: Callable[[AsyncSession, WorkItem, datetime], Awaitable[None]] | None = None

    def workspace_for(self, item_id: UUID) -> str:
        return self.workspace.format(item_id=item_id)


class DeskPartIncompleteError(ConflictError):
    """409: the item cannot go to review or done while its desk says its part is not complete."""

    def __init__(self, desk: Desk, remaining: str) -> None:
        super().__init__(
            f"The {desk.service_type} desk's part is not complete: {remaining}",
            extra={"service_type": desk.service_type, "remaining": remaining},
        )


_desks: dict[str, Desk] = {}


def install_desks(desks: Iterable[Desk]) -> None:
    """Register desks; idempotent. Their meters must be declared (install the meters first)."""
    for desk in desks:
        declared_meter(desk.meter)
        if "{item_id}" not in desk.workspace:
            raise ValueError(f"The {desk.service_type} desk's workspace {desk.workspace!r} has no {{item_id}}")
        known = _desks.get(desk.service_type)
        if known is not None and known != desk:
            raise ValueError(f"Two desks deliver the service type {desk.service_type!r}")
        _desks[desk.service_type] = desk


def desk_for(service_type: str) -> Desk | None:
    return _desks.get(service_type)


async def require_part_complete(session: AsyncSession, item: WorkItem) -> None:
    """Refuse (409) when the item's desk says its part is not complete; items without a desk pass."""
    desk = desk_for(item.service_type)
    if desk is None:
        return
    remaining = await desk.remaining(session, item)
    if remaining is not None:
        raise DeskPartIncompleteError(desk, remaining)


async def item_done(session: AsyncSession, item: WorkItem, now: datetime) -> None:
    """Record the usage the item earns by reaching done, and tell its desk, in the transaction that makes it done.

    The key names the item and its meter, never the moment: an item reopened and
    done again, or a racing second finish, earns nothing more.
    """
    earned = await earned_usage(session, item)
    desk = desk_for(item.service_type)
    if desk is not None and desk.on_done is not None:
        await desk.on_done(session, item, now)
    if earned is None:
        return
    meter, quantity = earned
    if quantity > 0:
        await record_usage(
            session,
            tenant_id=item.tenant_id,
            meter=meter,
            quantity=quantity,
            idempotency_key=done_usage_key(item.id),
            occurred_at=now,
            work_item_id=item.id,
        )


async def item_closed(session: AsyncSession, item: WorkItem, now: datetime) -> None:
    """Tell the item's desk it was rejected or cancelled, in the transaction that closes it."""
    desk = desk_for(item.service_type)
    if desk is not None and desk.on_closed is not None:
        await desk.on_closed(session, item, now)


def done_usage_key(item_id: UUID) -> str:
    """The usage key of an item's reaching done: it names the item and never the moment."""
    return f"work_item:{item_id}:done"


async def earned_usage(session: AsyncSession, item: WorkItem) -> tuple[str, int] | None:
    """The meter and units ``item`` earns by being done, as its desk counts them now; None: no meter applies."""
    desk = desk_for(item.service_type)
    if desk is not None:
        return desk.meter, await desk.quantity(session, item)
    custom = await session.scalar(
        select(
            exists().where(CustomServiceType.tenant_id == item.tenant_id, CustomServiceType.code == item.service_type)
        )
    )
    # Built-in services without a desk yet earn nothing: their desks will meter them.
    return (WORK_ITEMS_METER, 1) if custom else None
