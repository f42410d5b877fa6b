"""Which plan versions were in force on which local days of a period: what an invoice prorates by.

A subscription row only knows the version in force now, so the history is read
from the audit trail billing already writes for every change (``subscriptions``
and ``plan_change``): ``subscription.started`` and ``subscription.plan_changed``
take effect when recorded, ``subscription.upgraded`` and a scheduled
``subscription.downgraded`` at their ``effective_at``. A scheduled downgrade
that a later change (or ``downgrade_cancelled``) overtook before it came never
took effect. A subscription with no such events (one migration 0012 started)
has been on its current version since it started.

A version is in force from the local day of its change (the old one up to the
day before), as ``proration.upgrade_lines`` counts; a subscription started or
cancelled within the period covers only its days.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Select, select

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.models import PlanVersion, Subscription
from bo_saas.billing.periods import Period, local_day

_IMMEDIATE = ("subscription.started", "subscription.plan_changed")
_OVERTAKING = ("subscription.upgraded", "subscription.plan_changed", "subscription.downgrade_cancelled")


@dataclass(frozen=True, slots=True)
class Segment:
    """``version`` in force on local days ``first_day``..``last_day`` of a period."""

    version: PlanVersion
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True, slots=True)
class _Switch:
    at: datetime
    plan_code: str
    version: int
    old_code: str | None = None  # the plan it moved from (None for a start)


def _switches(events: list[AuditEvent]) -> list[_Switch]:
    switches: list[_Switch] = []
    for index, event in enumerate(events):
        changes = event.changes or {}
        plan = changes.get("plan")
        code, old = (plan.get("new"), plan.get("old")) if isinstance(plan, dict) else (plan, None)
        if code is None or "version" not in changes:
            continue
        if event.action in _IMMEDIATE:
            switches.append(_Switch(event.occurred_at, code, changes["version"], old))
        elif event.action == "subscription.upgraded":
            effective = datetime.fromisoformat(changes["effective_at"])
            switches.append(_Switch(effective, code, changes["version"], old))
        elif event.action == "subscription.downgraded" and "effective_at" in changes:
            effective = datetime.fromisoformat(changes["effective_at"])
            later = events[index + 1 :]
            overtaken = any(
                other.occurred_at < effective
                and (other.action in _OVERTAKING or (other.action == event.action and "effective_at" in other.changes))
                for other in later
            )
            if not overtaken:
                switches.append(_Switch(effective, code, changes["version"], old))
        # A "downgraded" without effective_at is the scheduled one being applied: already counted.
    return sorted(switches, key=lambda switch: switch.at)


def subscription_events(tenant_ids: Collection[UUID], before: datetime) -> Select:
    """These tenants' subscription changes recorded before ``before``, oldest first (``segments_from`` reads them)."""
    return (
        select(AuditEvent)
        .where(
            AuditEvent.tenant_id.in_(tenant_ids),
            AuditEvent.subject_type == "subscription",
            AuditEvent.action.like("subscription.%"),
            AuditEvent.occurred_at < before,
        )
        .order_by(AuditEvent.occurred_at)
    )


def segments_from(
    events: list[AuditEvent],
    versions_by_id: Mapping[UUID, PlanVersion],
    timezone: str,
    subscription: Subscription,
    period: Period,
    until: datetime,
) -> list[Segment]:
    """``segments`` from what it reads: the tenant's subscription events before ``until`` and every plan version."""
    events = [event for event in events if event.occurred_at < until]
    versions = {(row.plan_code, row.version): row for row in versions_by_id.values()}
    switches = [switch for switch in _switches(events) if (switch.plan_code, switch.version) in versions]
    current = versions_by_id[subscription.plan_version_id]  # a foreign key
    if not switches:
        switches = [_Switch(subscription.started_at, current.plan_code, current.version)]
    elif switches[0].old_code is not None:
        # No start on record (migration 0012 started it): before the first change it was on the plan it left,
        # at the latest version that plan had then.
        before = [
            number
            for (code, number), row in versions.items()
            if code == switches[0].old_code and row.created_at <= switches[0].at
        ]
        if before:
            switches.insert(0, _Switch(subscription.started_at, switches[0].old_code, max(before)))
    first = max(period.first_day, local_day(subscription.started_at, timezone))
    last = min(period.last_day, local_day(until, timezone) if until < period.end else period.last_day)
    if first > last:
        return []
    # The version on each day from `first` on: the last switch whose local day is not after it.
    by_day: dict[date, PlanVersion] = {}
    for index, switch in enumerate(switches):
        day = first if index == 0 else max(local_day(switch.at, timezone), first)  # the first covers the start
        by_day[day] = versions[(switch.plan_code, switch.version)]
    starts = sorted(day for day in by_day if day <= last)
    found: list[Segment] = []
    for index, day in enumerate(starts):
        end = last if index + 1 == len(starts) else date.fromordinal(starts[index + 1].toordinal() - 1)
        if found and found[-1].version.id == by_day[day].id:
            found[-1] = Segment(found[-1].version, found[-1].first_day, end)
        else:
            found.append(Segment(by_day[day], day, end))
    return found
