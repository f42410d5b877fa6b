"""The usage seam on the real database: recorded once with its effect, whatever races, retries or reopens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bo_saas.lib.db import make_sessionmaker, scoped_session
from bo_saas.lib.domain import Meter
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work import desks, usage
from bo_saas.work.models import CustomServiceType, Priority, QaSampling, UsageRecord, WorkItem, WorkState
from bo_saas.work.usage import UnknownMeterError, record_usage, usage_totals
from tests.desk import DATA_ENTRY
from tests.factories import save

RACERS = 6
CUSTOM = "inventory_check"
# Meters only these tests declare, for the aggregations no shipped meter uses yet.
PEAK = Meter("test_usage.peak", "employee", "max", "Peak headcount (tests)")
DISTINCT = Meter("test_usage.distinct", "employee", "unique", "Distinct employees (tests)")


@pytest.fixture
async def custom_service(desk, admin_session) -> str:
    """A custom service type of the desk's tenant: its items earn ``work.items``."""
    await save(
        admin_session,
        CustomServiceType(tenant_id=desk.tenant.id, code=CUSTOM, name="Inventory check", skill_code="data_entry"),
    )
    return CUSTOM


@pytest.fixture
async def race_engine(settings, admin_engine) -> AsyncEngine:
    engine = create_async_engine(settings.database_url, pool_size=RACERS + 2)
    yield engine
    await engine.dispose()


async def _usage(admin_session, tenant_id, meter: str = desks.WORK_ITEMS_METER) -> list[UsageRecord]:
    rows = await admin_session.scalars(
        select(UsageRecord).where(UsageRecord.tenant_id == tenant_id, UsageRecord.meter == meter)
    )
    records = list(rows)
    await admin_session.commit()
    return records


async def _record(sessionmaker, tenant_id, key: str, quantity: int = 1, meter: str = desks.WORK_ITEMS_METER, **more):
    async with scoped_session(sessionmaker, TenantScope.of(tenant_id)) as session:
        return await record_usage(
            session,
            tenant_id=tenant_id,
            meter=meter,
            quantity=quantity,
            idempotency_key=key,
            occurred_at=more.pop("occurred_at", datetime.now(UTC)),
            **more,
        )


async def _request(client, desk, service_type: str = CUSTOM, payload: dict | None = None) -> str:
    created = await client.post(
        "/api/v1/work-items", json={"service_type": service_type, "title": "Count the north store",
        "payload": payload or {}}, headers=desk.as_("member"),
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def _claim(client, desk, item_id: str) -> None:
    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.status_code == 200 and claimed.json()["id"] == item_id, claimed.text


async def _move(client, desk, item_id: str, who: str, to: str):
    return await client.post(f"/api/v1/work-items/{item_id}/transitions", json={"to": to}, headers=desk.as_(who))


async def test_a_redelivered_job_with_the_same_key_records_once(desk, runtime_sessionmaker, admin_session):
    first = await _record(runtime_sessionmaker, desk.tenant.id, "job:42")
    again = await _record(runtime_sessionmaker, desk.tenant.id, "job:42")

    assert (first, again) == (True, False)
    assert [r.quantity for r in await _usage(admin_session, desk.tenant.id)] == [1]


async def test_a_rolled_back_effect_leaves_no_usage(desk, runtime_sessionmaker, admin_session):
    with pytest.raises(RuntimeError, match="the effect failed"):
        async with scoped_session(runtime_sessionmaker, TenantScope.of(desk.tenant.id)) as session:
            recorded = await record_usage(
                session, tenant_id=desk.tenant.id, meter=desks.WORK_ITEMS_METER, quantity=3,
                idempotency_key="effect:1", occurred_at=datetime.now(UTC),
            )  # fmt: skip
            assert recorded
            raise RuntimeError("the effect failed after recording its usage")

    assert await _usage(admin_session, desk.tenant.id) == []
    # The key is free again: the retried effect earns its usage.
    assert await _record(runtime_sessionmaker, desk.tenant.id, "effect:1", quantity=3)


async def test_concurrent_finishes_of_one_item_record_its_usage_once(desk, custom_service, race_engine, admin_session):
    item_id = uuid4()
    await save(
        admin_session,
        WorkItem(
            id=item_id, tenant_id=desk.tenant.id, service_type=custom_service, skill_code="data_entry",
            title="Count", payload={}, priority=Priority.NORMAL, state=WorkState.IN_PROGRESS,
        ),
    )  # fmt: skip
    sessionmaker = make_sessionmaker(race_engine)
    start = asyncio.Barrier(RACERS)

    async def finish() -> None:
        async with scoped_session(sessionmaker, TenantScope.of(desk.tenant.id)) as session:
            item = await session.get(WorkItem, (desk.tenant.id, item_id))
            await start.wait()  # every racer has its own transaction open before any of them records
            await desks.item_done(session, item, datetime.now(UTC))

    await asyncio.gather(*(finish() for _ in range(RACERS)))

    records = await _usage(admin_session, desk.tenant.id)
    assert [(r.work_item_id, r.quantity) for r in records] == [(item_id, 1)]


async def test_racing_done_requests_through_the_api_earn_once(client, desk, custom_service, admin_session):
    item_id = await _request(client, desk)
    await _claim(client, desk, item_id)

    answers = await asyncio.gather(*(_move(client, desk, item_id, "agent", "done") for _ in range(4)))

    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    assert len(await _usage(admin_session, desk.tenant.id)) == 1


async def test_claiming_earns_nothing_and_done_earns_one_item(client, desk, custom_service, admin_session):
    item_id = await _request(client, desk)
    await _claim(client, desk, item_id)
    assert await _usage(admin_session, desk.tenant.id) == []

    done = await _move(client, desk, item_id, "agent", "done")

    assert done.status_code == 200 and done.json()["state"] == "done", done.text
    [record] = await _usage(admin_session, desk.tenant.id)
    assert (str(record.work_item_id), record.quantity) == (item_id, 1)
    assert record.occurred_at.tzinfo is not None


async def test_reopened_and_done_again_earns_nothing_more(client, desk, custom_service, admin_session):
    item_id = await _request(client, desk)
    await _claim(client, desk, item_id)
    assert (await _move(client, desk, item_id, "agent", "done")).status_code == 200

    reopened = await _move(client, desk, item_id, "member", "queued")
    assert reopened.status_code == 200, reopened.text
    await _claim(client, desk, item_id)
    again = await _move(client, desk, item_id, "agent", "done")

    assert again.status_code == 200 and again.json()["state"] == "done", again.text
    assert len(await _usage(admin_session, desk.tenant.id)) == 1


async def test_a_sampled_item_earns_when_qa_accepts_it_not_before(client, desk, custom_service, admin_session):
    await save(admin_session, QaSampling(tenant_id=desk.tenant.id, service_type=custom_service, sample_percent=100))
    item_id = await _request(client, desk)
    await _claim(client, desk, item_id)

    handed_in = await _move(client, desk, item_id, "agent", "done")
    assert handed_in.json()["state"] == "in_review", handed_in.text
    assert await _usage(admin_session, desk.tenant.id) == []

    accepted = await client.post(
        f"/api/v1/work-items/{item_id}/review", json={"verdict": "accept"}, headers=desk.as_("reviewer")
    )

    assert accepted.status_code == 201, accepted.text
    item = await client.get(f"/api/v1/work-items/{item_id}", headers=desk.as_("member"))
    assert item.json()["state"] == "done"
    assert len(await _usage(admin_session, desk.tenant.id)) == 1


async def test_a_built_in_service_without_a_desk_earns_nothing(client, desk, admin_session):
    item_id = await _request(client, desk, DATA_ENTRY["service_type"], DATA_ENTRY["payload"])
    await _claim(client, desk, item_id)

    assert (await _move(client, desk, item_id, "agent", "done")).status_code == 200
    assert (await admin_session.scalar(select(func.count()).select_from(UsageRecord))) == 0


async def test_an_undeclared_meter_or_a_non_positive_quantity_is_refused(desk, runtime_sessionmaker, admin_session):
    with pytest.raises(UnknownMeterError, match="nobody.declares"):
        await _record(runtime_sessionmaker, desk.tenant.id, "k", meter="nobody.declares")
    for quantity in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match="positive integer"):
            await _record(runtime_sessionmaker, desk.tenant.id, "k", quantity=quantity)
    with pytest.raises(ValueError, match="timezone-aware"):
        await _record(runtime_sessionmaker, desk.tenant.id, "k", occurred_at=datetime(2026, 11, 1))
    assert await _usage(admin_session, desk.tenant.id) == []


async def test_usage_totals_follow_the_meters_aggregation_within_the_period(desk, runtime_sessionmaker):
    usage.install_meters([PEAK, DISTINCT])
    november = datetime(2026, 11, 1, tzinfo=UTC)
    december = datetime(2026, 12, 1, tzinfo=UTC)
    tenant_id = desk.tenant.id
    for key, quantity, day in (("a", 4, 2), ("b", 6, 20), ("late", 100, 31)):
        when = november + timedelta(days=day - 1)
        await _record(runtime_sessionmaker, tenant_id, key, quantity, occurred_at=when)
        await _record(runtime_sessionmaker, tenant_id, key, quantity, meter=PEAK.code, occurred_at=when)
    for key in ("employee:1:2026-11", "employee:2:2026-11", "employee:1:2026-11"):
        await _record(runtime_sessionmaker, tenant_id, key, meter=DISTINCT.code, occurred_at=november)
    await _record(runtime_sessionmaker, tenant_id, "before", 50, occurred_at=november - timedelta(seconds=1))

    async with scoped_session(runtime_sessionmaker, TenantScope.of(tenant_id)) as session:
        totals = {
            meter: await usage_totals(session, tenant_id, meter, november, december)
            for meter in (desks.WORK_ITEMS_METER, PEAK.code, DISTINCT.code)
        }
        nothing = await usage_totals(session, tenant_id, desks.WORK_ITEMS_METER, december, december)

    # Nov 31 does not exist: "late" is Dec 1, the first instant after the period.
    assert totals == {desks.WORK_ITEMS_METER: 10, PEAK.code: 6, DISTINCT.code: 2}
    assert nothing == 0
