"""An item's two SLA clocks, kept on the item's row and moved by its state changes.

First response: starts when the item is first queued; met by the provider's first
public reply or question to the client (``waiting_on_client``). Claiming or assigning
the item is not a response: the client sees nothing of it.
Resolution: starts at the same moment, pauses while ``waiting_on_client``,
stops at ``done`` (met) or when the item is rejected or cancelled, and resumes
when a done item is reopened. Both run in the tenant's business time.

The resolution clock banks the business minutes of each finished run
(``resolution_minutes_banked``) and remembers when the current run began
(``resolution_running_since``), so pauses never need to be replayed.

Every function here only changes the row; ``sla`` (through ``work.lifecycle``) arms
the timers for the due times these functions set and records warnings and breaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bo_saas.lib.business_time import BusinessTime
from bo_saas.work.models import SlaStatus, WorkItem, WorkState


@dataclass(frozen=True, slots=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int


# The states in which a clock can still come due.
OPEN_STATES = (WorkState.QUEUED, WorkState.IN_PROGRESS, WorkState.WAITING_ON_CLIENT, WorkState.IN_REVIEW)


def due_instants(item: WorkItem) -> set[datetime]:
    """Every instant at which something may become due for this item (none once it is closed)."""
    instants: set[datetime] = set()
    if item.state not in OPEN_STATES:
        return instants
    if item.first_responded_at is None and item.first_response_breached_at is None and item.first_response_due_at:
        instants.add(item.first_response_due_at)
    if item.resolution_running_since is not None and item.resolution_breached_at is None and item.resolution_due_at:
        instants.add(item.resolution_due_at)
    if item.warning_due_at is not None:
        instants.add(item.warning_due_at)
    return instants


def start(item: WorkItem, targets: Targets, calendar: BusinessTime, now: datetime) -> None:
    """Fix the item's policy and start both clocks (the first time it is queued)."""
    item.sla_first_response_minutes = targets.first_response_minutes
    item.sla_resolution_minutes = targets.resolution_minutes
    item.sla_warning_percent = targets.warning_percent
    item.first_response_due_at = calendar.add_minutes(now, targets.first_response_minutes)
    item.resolution_minutes_banked = 0.0
    item.resolution_running_since = now
    item.resolution_due_at = calendar.add_minutes(now, targets.resolution_minutes)
    item.sla_status = SlaStatus.OK
    reschedule_warning(item, calendar, now)


def retarget(item: WorkItem, targets: Targets, calendar: BusinessTime, now: datetime) -> None:
    """A new policy for an item whose clocks started (its priority changed): each running clock comes due
    by the new target counted from the same start; a response, a banked pause or a breach already recorded stays.
    """
    item.sla_first_response_minutes = targets.first_response_minutes
    item.sla_resolution_minutes = targets.resolution_minutes
    item.sla_warning_percent = targets.warning_percent
    if item.queued_at is not None and item.first_responded_at is None and item.first_response_breached_at is None:
        item.first_response_due_at = calendar.add_minutes(item.queued_at, targets.first_response_minutes)
    if item.resolution_running_since is not None and item.resolution_breached_at is None:
        remaining = max(0.0, targets.resolution_minutes - item.resolution_minutes_banked)
        item.resolution_due_at = calendar.add_minutes(item.resolution_running_since, remaining)
    reschedule_warning(item, calendar, now)


def first_response_given(item: WorkItem, calendar: BusinessTime, now: datetime) -> None:
    if item.first_responded_at is not None or item.sla_first_response_minutes is None:
        return
    item.first_responded_at = now
    reschedule_warning(item, calendar, now)


def pause(item: WorkItem, calendar: BusinessTime, now: datetime) -> None:
    if item.resolution_running_since is None:
        return
    _bank(item, calendar, now)
    item.paused_at = now
    item.resolution_due_at = None
    reschedule_warning(item, calendar, now)


def resume(item: WorkItem, calendar: BusinessTime, now: datetime) -> None:
    if item.resolution_running_since is not None or item.sla_resolution_minutes is None:
        return
    item.resolution_running_since = now
    item.paused_at = None
    remaining = max(0.0, item.sla_resolution_minutes - item.resolution_minutes_banked)
    item.resolution_due_at = calendar.add_minutes(now, remaining)
    if item.sla_status is SlaStatus.MET:
        item.sla_status = SlaStatus.WARNING if _warned(item) else SlaStatus.OK
    reschedule_warning(item, calendar, now)


def stop(item: WorkItem, calendar: BusinessTime, now: datetime) -> None:
    """The item is closed: bank the last run; done without a breach counts as met."""
    if item.sla_resolution_minutes is None:
        return
    if item.resolution_running_since is not None:
        _bank(item, calendar, now)
    item.paused_at = None
    item.warning_due_at = None
    if item.state is WorkState.DONE and not _breached(item):
        item.sla_status = SlaStatus.MET


def minutes_used(item: WorkItem, calendar: BusinessTime, now: datetime) -> float:
    """Business minutes the resolution clock has run so far."""
    used = item.resolution_minutes_banked
    if item.resolution_running_since is not None:
        used += calendar.minutes_between(item.resolution_running_since, now)
    return used


def _bank(item: WorkItem, calendar: BusinessTime, now: datetime) -> None:
    item.resolution_minutes_banked = minutes_used(item, calendar, now)
    item.resolution_running_since = None


def _breached(item: WorkItem) -> bool:
    return item.first_response_breached_at is not None or item.resolution_breached_at is not None


def _warned(item: WorkItem) -> bool:
    return item.first_response_warned_at is not None or item.resolution_warned_at is not None


def pending_warning(item: WorkItem, calendar: BusinessTime, now: datetime) -> tuple[str, datetime] | None:
    """The next warning still to send: (clock, when), or None."""
    share = (item.sla_warning_percent or 0) / 100
    candidates: list[tuple[datetime, str]] = []
    if (
        item.first_responded_at is None
        and item.first_response_warned_at is None
        and item.first_response_breached_at is None
        and item.queued_at is not None
        and item.sla_first_response_minutes is not None
    ):
        at = calendar.add_minutes(item.queued_at, item.sla_first_response_minutes * share)
        candidates.append((at, "first_response"))
    if (
        item.resolution_running_since is not None
        and item.resolution_warned_at is None
        and item.resolution_breached_at is None
        and item.sla_resolution_minutes is not None
    ):
        still = item.sla_resolution_minutes * share - item.resolution_minutes_banked
        at = calendar.add_minutes(item.resolution_running_since, still) if still > 0 else now
        candidates.append((at, "resolution"))
    if not candidates:
        return None
    at, clock = min(candidates)
    return clock, at


def reschedule_warning(item: WorkItem, calendar: BusinessTime, now: datetime) -> None:
    """Set ``warning_due_at`` to the next warning still to send (after any change to the clocks)."""
    pending = pending_warning(item, calendar, now)
    item.warning_due_at = pending[1] if pending else None
