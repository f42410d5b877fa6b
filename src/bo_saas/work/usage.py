"""The usage seam: metered usage recorded once, in the same transaction as the effect that earns it.

A desk (or ``work`` itself, for custom services) calls ``record_usage`` inside
the transaction that makes the effect: committing the effect and its usage is
one fact, a rollback leaves neither, and the unique key ``(tenant_id, meter,
idempotency_key)`` turns a retry, a race or a redelivered job into a no-op.
Billing reads totals with ``usage_totals``; it never imports a desk, and the
desks never import billing.

Meters are declared by domains (``lib.domain.Meter`` in ``DOMAIN.meters``);
``work`` cannot import the registry above it, so the registry hands them over
at install (``install_meters``). Recording an undeclared meter is a bug in the
caller, not bad input, and raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import DateTime, Select, String, Uuid, column, func, select, values
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.domain import Meter
from bo_saas.work.models import UsageRecord, WorkItem

MAX_KEY_LENGTH = 200

_meters: dict[str, Meter] = {}


class UnknownMeterError(LookupError):
    """A meter no installed domain declares: the code asking for it has a bug."""


def install_meters(meters: Iterable[Meter]) -> None:
    """Make ``meters`` known; idempotent. One code declared two different ways is refused."""
    for meter in meters:
        known = _meters.get(meter.code)
        if known is not None and known != meter:
            raise ValueError(f"Meter {meter.code!r} is declared twice, differently")
        _meters[meter.code] = meter


def declared_meter(code: str) -> Meter:
    try:
        return _meters[code]
    except KeyError:
        known = ", ".join(sorted(_meters)) or "none installed"
        raise UnknownMeterError(f"No domain declares the meter {code!r} (known: {known})") from None


async def record_usage(
    session: AsyncSession,
    *,
    tenant_id: UUID,
    meter: str,
    quantity: int,
    idempotency_key: str,
    occurred_at: datetime,
    work_item_id: UUID | None = None,
) -> bool:
    """Record usage in the caller's transaction; True if recorded, False if this key was already recorded.

    The caller commits (or rolls back) with its effect. Two transactions racing on
    one key both succeed: the second waits for the first and then records nothing.
    """
    declared_meter(meter)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValueError(f"Usage quantity must be a positive integer, not {quantity!r}")
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        raise ValueError(f"An idempotency key is 1 to {MAX_KEY_LENGTH} characters")
    _require_aware(occurred_at, "occurred_at")
    statement = (
        insert(UsageRecord)
        .values(
            tenant_id=tenant_id,
            id=uuid4(),
            meter=meter,
            quantity=quantity,
            idempotency_key=idempotency_key,
            occurred_at=occurred_at,
            work_item_id=work_item_id,
        )
        .on_conflict_do_nothing(constraint="usage_records_once")
        .returning(UsageRecord.id)
    )
    return (await session.execute(statement)).scalar() is not None


async def usage_totals(session: AsyncSession, tenant_id: UUID, meter: str, start: datetime, end: datetime) -> int:
    """A tenant's usage of one meter in ``[start, end)`` (by ``occurred_at``), by the meter's aggregation.

    ``sum`` adds the quantities; ``max`` is the peak quantity recorded (e.g. a
    headcount); ``unique`` counts records, one per distinct key: the recorder
    makes the key name the thing counted within its period (``employee:<id>:2026-11``).
    """
    aggregation = declared_meter(meter).aggregation
    _require_aware(start, "start")
    _require_aware(end, "end")
    value = {
        "sum": func.sum(UsageRecord.quantity),
        "max": func.max(UsageRecord.quantity),
        "unique": func.count(UsageRecord.idempotency_key.distinct()),
    }[aggregation]
    total = await session.scalar(
        select(func.coalesce(value, 0)).where(
            UsageRecord.tenant_id == tenant_id,
            UsageRecord.meter == meter,
            UsageRecord.occurred_at >= start,
            UsageRecord.occurred_at < end,
        )
    )
    return int(total)


async def usage_totals_in_windows(
    session: AsyncSession, windows: Mapping[tuple[UUID, str], tuple[datetime, datetime]]
) -> dict[tuple[UUID, str, str], int]:
    """Totals of every meter in each window ``[start, end)`` of a tenant (by ``occurred_at``), in one query.

    ``windows`` maps (tenant id, window name) to its bounds, e.g. each tenant's billing period in its own
    time zone; the answer is keyed ``(tenant id, window name, meter)``, each meter by its own aggregation
    as ``usage_totals`` counts it. Meters with no usage in a window are absent.
    """
    if not windows:
        return {}
    for start, end in windows.values():
        _require_aware(start, "start")
        _require_aware(end, "end")
    bounds = values(
        column("tenant_id", Uuid), column("name", String), column("start", DateTime(timezone=True)),
        column("end", DateTime(timezone=True)), name="windows",
    ).data([(tenant_id, name, start, end) for (tenant_id, name), (start, end) in windows.items()])  # fmt: skip
    rows = await session.execute(
        select(
            bounds.c.tenant_id,
            bounds.c.name,
            UsageRecord.meter,
            func.sum(UsageRecord.quantity),
            func.max(UsageRecord.quantity),
            func.count(UsageRecord.idempotency_key.distinct()),
        )
        .join(
            bounds,
            (UsageRecord.tenant_id == bounds.c.tenant_id)
            & (UsageRecord.occurred_at >= bounds.c.start)
            & (UsageRecord.occurred_at < bounds.c.end),
        )
        .group_by(bounds.c.tenant_id, bounds.c.name, UsageRecord.meter)
    )
    by_aggregation = {"sum": 3, "max": 4, "unique": 5}
    return {(row[0], row[1], row[2]): int(row[by_aggregation[declared_meter(row[2]).aggregation]]) for row in rows}


def usage_rows(tenant_id: UUID, start: datetime, end: datetime, meter: str | None = None) -> Select:
    """A tenant's usage rows in ``[start, end)``, each with the title of the work item that earned it (if any).

    Columns: id, meter, quantity, occurred_at, work_item_id, work_item_title: what a usage page links from.
    """
    _require_aware(start, "start")
    _require_aware(end, "end")
    statement = (
        select(
            UsageRecord.id,
            UsageRecord.meter,
            UsageRecord.quantity,
            UsageRecord.occurred_at,
            UsageRecord.work_item_id,
            WorkItem.title.label("work_item_title"),
        )
        .outerjoin(WorkItem, (WorkItem.tenant_id == UsageRecord.tenant_id) & (WorkItem.id == UsageRecord.work_item_id))
        .where(UsageRecord.tenant_id == tenant_id, UsageRecord.occurred_at >= start, UsageRecord.occurred_at < end)
    )
    return statement if meter is None else statement.where(UsageRecord.meter == meter)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC)")
