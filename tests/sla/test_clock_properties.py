"""An item's resolution clock, moved by pauses and resumes, agrees with the business-time arithmetic.

``sla.clocks`` banks the business minutes of each run on the item's row rather
than keeping every pause. Whatever the calendar (any zone, DST, holidays) and
whatever the waiting periods, the due time it keeps after the last resume must
be the one ``clock_due_at`` computes from the full list of pauses, and the
minutes it reports as used must be ``clock_used_minutes``'s. Pauses here begin
before the target is reached: later ones would come after a breach, which is
recorded at the original due time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bo_saas.lib.business_time import Pause, clock_due_at, clock_used_minutes
from bo_saas.sla.policies import Targets
from bo_saas.work import clocks
from bo_saas.work.models import Priority, WorkItem, WorkState
from tests.sla.test_business_time_properties import PER_ZONE_SETTINGS, ZONES, scenarios

MINUTE = timedelta(minutes=1)


def _fresh_item() -> WorkItem:
    return WorkItem(
        service_type="data_entry",
        skill_code="data_entry",
        title="t",
        payload={},
        priority=Priority.NORMAL,
        state=WorkState.QUEUED,
        resolution_minutes_banked=0.0,
        rework_count=0,
    )


@st.composite
def waiting_periods(draw: st.DrawFn, start: datetime, span_minutes: int) -> list[Pause]:
    """Up to three closed waits after the start, in order and apart, as the state machine makes them."""
    waits: list[Pause] = []
    cursor = start
    for _ in range(draw(st.integers(0, 3))):
        begin = cursor + draw(st.integers(1, max(1, span_minutes // 3))) * MINUTE
        end = begin + draw(st.integers(1, 2 * 24 * 60)) * MINUTE
        waits.append(Pause(begin, end))
        cursor = end
    return waits


@pytest.mark.parametrize("zone", ZONES)
@PER_ZONE_SETTINGS
@given(data=st.data())
def test_banked_resolution_clock_matches_the_arithmetic_with_every_pause(zone: str, data: st.DataObject) -> None:
    spec, start, span_minutes = data.draw(scenarios(zone), label="scenario")
    if not spec.has_hours():
        return
    calendar = spec.build()
    target = data.draw(st.integers(1, 3000), label="target minutes")
    waits = data.draw(waiting_periods(start, max(span_minutes, 60)), label="waits")
    item = _fresh_item()
    item.queued_at = start
    clocks.start(item, Targets(30, target, 75), calendar, start)

    applied: list[Pause] = []
    for wait in waits:
        if clock_due_at(calendar, start, applied, target) <= wait.started_at:
            break  # the target is reached before this wait: the item would have breached first
        item.state = WorkState.WAITING_ON_CLIENT
        clocks.pause(item, calendar, wait.started_at)
        assert item.resolution_due_at is None
        item.state = WorkState.IN_PROGRESS
        clocks.resume(item, calendar, wait.ended_at)
        applied.append(wait)

    assert item.resolution_due_at == clock_due_at(calendar, start, applied, target)
    later = (applied[-1].ended_at if applied else start) + data.draw(st.integers(0, 5 * 24 * 60)) * MINUTE
    assert clocks.minutes_used(item, calendar, later) == pytest.approx(
        clock_used_minutes(calendar, start, applied, later), abs=1e-6
    )
