"""``bo-saas billing check``: done work and recorded usage agree, and every way they can disagree is named."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from uuid import uuid4

import pytest

from bo_saas.billing.periods import month_of
from bo_saas.billing.usage_check import MISSING, NOT_DONE, OTHER_PERIOD, check_lines, check_usage
from bo_saas.lib.clock import utc_now
from bo_saas.work.desks import WORK_ITEMS_METER, done_usage_key
from bo_saas.work.models import CustomServiceType, UsageRecord, WorkItemTransition, WorkState
from tests.desk import queued_item
from tests.factories import TenantFactory, save

CUSTOM = "inventory_check"


@pytest.fixture
async def custom_service(desk, admin_session) -> str:
    """A custom service type of the desk's tenant: each item done earns one ``work.items`` unit."""
    await save(
        admin_session,
        CustomServiceType(tenant_id=desk.tenant.id, code=CUSTOM, name="Inventory check", skill_code="data_entry"),
    )
    return CUSTOM


async def _done_through_the_app(client, desk, admin_session) -> str:
    item = queued_item(desk.tenant, service_type=CUSTOM, requester_id=desk.member.id)
    await save(admin_session, item)
    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.json()["id"] == str(item.id), claimed.text
    done = await client.post(
        f"/api/v1/work-items/{item.id}/transitions", json={"to": "done"}, headers=desk.as_("agent")
    )
    assert done.json()["state"] == "done", done.text
    return str(item.id)


async def test_work_done_through_the_app_agrees_with_its_usage(
    client, desk, custom_service, admin_session, runtime_sessionmaker
):
    for _ in range(3):
        await _done_through_the_app(client, desk, admin_session)
    period = month_of(utc_now(), desk.tenant.timezone).label

    [check] = await check_usage(runtime_sessionmaker, period=period, tenant_slug=desk.tenant.slug)

    assert check.expected == {WORK_ITEMS_METER: 3} and check.recorded == {WORK_ITEMS_METER: 3}
    assert check.differences == []
    assert check_lines(period, [check], utc_now())[-1] == "1 tenant(s) checked: no differences"


async def test_every_disagreement_is_listed_with_its_work_item_and_why(
    desk, custom_service, admin_session, runtime_sessionmaker
):
    tenant = desk.tenant
    now = utc_now()
    period = month_of(now, tenant.timezone)
    before = period.start - timedelta(days=3)
    agrees, unrecorded, never_done, done_last_month = (queued_item(tenant, service_type=CUSTOM) for _ in range(4))
    for item in (agrees, unrecorded, never_done, done_last_month):
        await save(admin_session, item)

    def reached_done(item, at) -> WorkItemTransition:
        return WorkItemTransition(
            tenant_id=tenant.id, id=uuid4(), work_item_id=item.id, from_state=WorkState.IN_PROGRESS,
            to_state=WorkState.DONE, actor_kind="account", occurred_at=at,
        )  # fmt: skip

    def usage(item, at, key=None) -> UsageRecord:
        return UsageRecord(
            tenant_id=tenant.id, id=uuid4(), meter=WORK_ITEMS_METER, quantity=1,
            idempotency_key=key or done_usage_key(item.id), occurred_at=at, work_item_id=item and item.id,
        )  # fmt: skip

    await save(
        admin_session,
        reached_done(agrees, now), usage(agrees, now),
        reached_done(unrecorded, now),
        usage(never_done, now),
        reached_done(done_last_month, before), usage(done_last_month, now),
        usage(None, now, key="stocktake:1"),  # no work item: counted, never a difference
    )  # fmt: skip
    stranger = TenantFactory()  # another tenant's unrecorded work is not this tenant's difference
    await save(admin_session, stranger)
    await save(admin_session, CustomServiceType(tenant_id=stranger.id, code=CUSTOM, name="x", skill_code="data_entry"))
    elsewhere = queued_item(stranger, service_type=CUSTOM)
    await save(admin_session, elsewhere)
    await save(admin_session, WorkItemTransition(
        tenant_id=stranger.id, id=uuid4(), work_item_id=elsewhere.id, from_state=WorkState.IN_PROGRESS,
        to_state=WorkState.DONE, actor_kind="account", occurred_at=now,
    ))  # fmt: skip

    [check] = await check_usage(runtime_sessionmaker, period=period.label, tenant_slug=tenant.slug)

    assert check.expected == {WORK_ITEMS_METER: 2}  # agrees + unrecorded
    assert check.recorded == {WORK_ITEMS_METER: 4}  # agrees, never_done, done_last_month, stocktake
    assert sorted((d.work_item_id, d.why, d.expected, d.recorded) for d in check.differences) == sorted(
        [
            (unrecorded.id, MISSING, 1, 0),
            (never_done.id, NOT_DONE, 0, 1),
            (done_last_month.id, OTHER_PERIOD, 0, 1),
        ]
    )
    lines = check_lines(period.label, [check], now)
    assert lines[-1] == "1 tenant(s) checked: 3 difference(s)"
    assert any(str(unrecorded.id) in line and MISSING in line for line in lines)


def _bo_saas(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bo_saas.server.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())


async def test_the_command_exits_1_on_a_difference_and_refuses_a_bad_period(
    settings, desk, custom_service, admin_session
):
    item = queued_item(desk.tenant, service_type=CUSTOM)
    await save(admin_session, item)
    await save(admin_session, WorkItemTransition(
        tenant_id=desk.tenant.id, id=uuid4(), work_item_id=item.id, from_state=WorkState.IN_PROGRESS,
        to_state=WorkState.DONE, actor_kind="account", occurred_at=utc_now(),
    ))  # fmt: skip
    period = month_of(utc_now(), desk.tenant.timezone).label

    found = _bo_saas("billing", "check", "--period", period, "--tenant", desk.tenant.slug)
    bad = _bo_saas("billing", "check", "--period", "2026-13")

    assert found.returncode == 1, found.stderr
    assert f"work item {item.id}: {MISSING}" in found.stdout
    assert bad.returncode != 0 and "YYYY-MM" in bad.stderr
