"""A priority change gives running clocks the new targets from the same start, and keeps what already happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bo_saas.lib.business_time import BusinessTime
from bo_saas.work import clocks
from bo_saas.work.clocks import Targets
from bo_saas.work.models import WorkItem, WorkState

ROUND_THE_CLOCK = BusinessTime.round_the_clock()
QUEUED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
NORMAL = Targets(first_response_minutes=120, resolution_minutes=960, warning_percent=80)
URGENT = Targets(first_response_minutes=30, resolution_minutes=240, warning_percent=80)


def _queued_item() -> WorkItem:
    item = WorkItem(state=WorkState.QUEUED, queued_at=QUEUED)
    item.first_responded_at = item.first_response_breached_at = item.resolution_breached_at = None
    item.first_response_warned_at = item.resolution_warned_at = None
    clocks.start(item, NORMAL, ROUND_THE_CLOCK, QUEUED)
    return item


def test_running_clocks_come_due_by_the_new_targets_counted_from_when_they_started() -> None:
    item = _queued_item()

    clocks.retarget(item, URGENT, ROUND_THE_CLOCK, QUEUED + timedelta(minutes=10))

    assert item.first_response_due_at == QUEUED + timedelta(minutes=30)
    assert item.resolution_due_at == QUEUED + timedelta(minutes=240)
    assert item.warning_due_at == QUEUED + timedelta(minutes=24)  # 80% of the first response target
    assert (item.sla_first_response_minutes, item.sla_resolution_minutes) == (30, 240)


def test_a_paused_resolution_clock_keeps_its_banked_minutes_and_resumes_against_the_new_target() -> None:
    item = _queued_item()
    clocks.first_response_given(item, ROUND_THE_CLOCK, QUEUED + timedelta(minutes=5))
    clocks.pause(item, ROUND_THE_CLOCK, QUEUED + timedelta(minutes=100))  # 100 minutes banked

    clocks.retarget(item, URGENT, ROUND_THE_CLOCK, QUEUED + timedelta(minutes=200))
    assert item.resolution_due_at is None and item.resolution_minutes_banked == 100
    resumed_at = QUEUED + timedelta(minutes=300)
    clocks.resume(item, ROUND_THE_CLOCK, resumed_at)

    assert item.resolution_due_at == resumed_at + timedelta(minutes=140)  # 240 - 100 still to run
    assert item.first_responded_at == QUEUED + timedelta(minutes=5)  # a response given stays given


def test_a_recorded_breach_keeps_its_due_time() -> None:
    item = _queued_item()
    item.first_response_breached_at = breached_at = QUEUED + timedelta(minutes=120)

    clocks.retarget(item, URGENT, ROUND_THE_CLOCK, QUEUED + timedelta(minutes=130))

    assert item.first_response_due_at == breached_at  # the breach happened against the target then in force
