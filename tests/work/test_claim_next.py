"""Claim-next against the real database: concurrent agents never share an item, and the filters hold."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker, scoped_session
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work.models import Priority, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.queue import claim_next_key
from tests.desk import give_skills, queued_item
from tests.factories import TenantFactory, save, staff_user

AGENTS = 8


@pytest.fixture
async def claim_engine(settings, admin_engine) -> AsyncEngine:
    engine = create_async_engine(settings.database_url, pool_size=AGENTS + 2)
    yield engine
    await engine.dispose()


async def claim(sessionmaker: async_sessionmaker, agent_id: UUID, scope: TenantScope | None) -> UUID | None:
    """One claim in its own transaction; ``scope`` None leaves the tenants to the agent's assignments."""
    async with scoped_session(sessionmaker, scope or TenantScope.nothing()) as session:
        key = await claim_next_key(session, agent_id, scope.tenant_ids if scope else None, utc_now())
        return key[1] if key else None


async def drain(sessionmaker: async_sessionmaker, agent_id: UUID, scope: TenantScope | None) -> list[UUID]:
    claimed = []
    while (item_id := await claim(sessionmaker, agent_id, scope)) is not None:
        claimed.append(item_id)
    return claimed


async def test_concurrent_agents_drain_the_queue_without_sharing_an_item(claim_engine, admin_session):
    served, unassigned = TenantFactory(), TenantFactory()
    await save(admin_session, served, unassigned)
    agents = [await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(served,)) for _ in range(AGENTS)]
    for agent in agents:
        await give_skills(admin_session, agent, "data_entry", capacity=1000)
    doable = [queued_item(served) for _ in range(400)]
    wrong_skill = [queued_item(served, skill="bookkeeping") for _ in range(20)]
    wrong_tenant = [queued_item(unassigned) for _ in range(20)]
    await save(admin_session, *doable, *wrong_skill, *wrong_tenant)

    sessionmaker = make_sessionmaker(claim_engine)
    scope = TenantScope.of(served.id)
    results = await asyncio.gather(*(drain(sessionmaker, agent.id, scope) for agent in agents))

    claimed = Counter(item_id for result in results for item_id in result)
    assert set(claimed) == {item.id for item in doable}  # drained, and only what they may do
    assert max(claimed.values()) == 1  # nobody got an item twice
    assert sum(1 for result in results if result) > 1  # the work really was spread
    rows = (await admin_session.execute(select(WorkItem.id, WorkItem.state, WorkItem.assignee_id))).all()
    by_agent = {item_id: agent.id for agent, result in zip(agents, results, strict=True) for item_id in result}
    for row in rows:
        if row.id in by_agent:
            assert (row.state, row.assignee_id) == (WorkState.IN_PROGRESS, by_agent[row.id])
        else:
            assert (row.state, row.assignee_id) == (WorkState.QUEUED, None)


async def test_an_agent_at_capacity_gets_nothing_even_when_claiming_concurrently(claim_engine, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    await give_skills(admin_session, agent, "data_entry", capacity=2)
    await save(admin_session, *(queued_item(tenant) for _ in range(10)))

    sessionmaker = make_sessionmaker(claim_engine)
    scope = TenantScope.of(tenant.id)
    results = await asyncio.gather(*(claim(sessionmaker, agent.id, scope) for _ in range(6)))

    assert sum(1 for result in results if result is not None) == 2
    assert await claim(sessionmaker, agent.id, scope) is None


async def test_an_agent_at_capacity_in_one_tenant_cannot_claim_more_by_narrowing_to_another(
    claim_engine, admin_session
):
    busy_tenant, other = TenantFactory(), TenantFactory()
    await save(admin_session, busy_tenant, other)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(busy_tenant, other))
    await give_skills(admin_session, agent, "data_entry", capacity=1)
    await save(admin_session, queued_item(busy_tenant), queued_item(other))
    sessionmaker = make_sessionmaker(claim_engine)

    assert await claim(sessionmaker, agent.id, TenantScope.of(busy_tenant.id)) is not None

    # The one item it holds is in a tenant this claim does not look in: it still counts.
    assert await claim(sessionmaker, agent.id, TenantScope.of(other.id)) is None
    assert await claim(sessionmaker, agent.id, None) is None


async def test_an_item_still_in_progress_in_a_tenant_no_longer_served_counts_against_capacity(
    claim_engine, admin_session
):
    """0035 counts the agent's whole load, wherever it is: capacity is what the agent holds, not where."""
    left, still_served = TenantFactory(), TenantFactory()
    await save(admin_session, left, still_served)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(left, still_served))
    await give_skills(admin_session, agent, "data_entry", capacity=1)
    await save(admin_session, queued_item(left), queued_item(still_served))
    sessionmaker = make_sessionmaker(claim_engine)
    assert await claim(sessionmaker, agent.id, TenantScope.of(left.id)) is not None

    await admin_session.execute(
        text("DELETE FROM staff_assignments WHERE account_id = :agent AND tenant_id = :tenant"),
        {"agent": agent.id, "tenant": left.id},
    )
    await admin_session.commit()

    assert await claim(sessionmaker, agent.id, None) is None
    assert await claim(sessionmaker, agent.id, TenantScope.of(still_served.id)) is None


async def test_claim_order_is_breached_first_then_due_then_priority_then_age(claim_engine, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    await give_skills(admin_session, agent, "data_entry", capacity=10)
    now = utc_now()
    later_low = queued_item(tenant, title="due later", due_in=timedelta(hours=3))
    soon_low = queued_item(tenant, title="due soon, low", due_in=timedelta(hours=1), priority=Priority.LOW)
    soon_urgent_young = queued_item(
        tenant, title="due soon, urgent, young", due_in=timedelta(hours=1), priority=Priority.URGENT
    )
    soon_urgent_old = queued_item(
        tenant,
        title="due soon, urgent, old",
        due_in=timedelta(hours=1),
        priority=Priority.URGENT,
        queued_at=now - timedelta(minutes=5),
    )
    breached = queued_item(tenant, title="breached", due_in=-timedelta(minutes=10), first_response_breached_at=now)
    for item in (soon_urgent_young, soon_urgent_old, soon_low):  # one due time for all three
        item.first_response_due_at = now + timedelta(hours=1)
    await save(admin_session, later_low, soon_low, soon_urgent_young, soon_urgent_old, breached)

    sessionmaker = make_sessionmaker(claim_engine)
    order = await drain(sessionmaker, agent.id, TenantScope.of(tenant.id))

    titles = {item.id: item.title for item in (later_low, soon_low, soon_urgent_young, soon_urgent_old, breached)}
    assert [titles[i] for i in order] == [
        "breached",
        "due soon, urgent, old",
        "due soon, urgent, young",
        "due soon, low",
        "due later",
    ]


async def test_without_tenants_the_claim_serves_exactly_the_agents_assignments(claim_engine, admin_session):
    served, other = TenantFactory(), TenantFactory()
    await save(admin_session, served, other)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(served,))
    await give_skills(admin_session, agent, "data_entry", capacity=100)
    mine = [queued_item(served) for _ in range(3)]
    await save(admin_session, *mine, *(queued_item(other) for _ in range(3)))

    claimed = await drain(make_sessionmaker(claim_engine), agent.id, None)

    assert sorted(claimed) == sorted(item.id for item in mine)


async def test_a_claim_writes_its_history_row_in_the_same_call(claim_engine, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    await give_skills(admin_session, agent, "data_entry", capacity=10)
    item = queued_item(tenant)
    await save(admin_session, item)

    assert await claim(make_sessionmaker(claim_engine), agent.id, TenantScope.of(tenant.id)) == item.id

    rows = (
        await admin_session.execute(
            select(
                WorkItemTransition.from_state,
                WorkItemTransition.to_state,
                WorkItemTransition.actor_id,
                WorkItemTransition.actor_kind,
                WorkItemTransition.reason,
            ).where(WorkItemTransition.work_item_id == item.id)
        )
    ).all()
    assert [tuple(row) for row in rows] == [(WorkState.QUEUED, WorkState.IN_PROGRESS, agent.id, "account", "Claimed")]


async def test_the_claim_leaves_its_transaction_the_whole_scope_it_declared(claim_engine, admin_session):
    """0011 narrows the scope to the claimed item's tenant while it writes; the caller must not see that."""
    first, second = TenantFactory(), TenantFactory()
    await save(admin_session, first, second)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(first, second))
    await give_skills(admin_session, agent, "data_entry", "support", capacity=10)
    urgent = queued_item(second, skill="support", due_in=timedelta(minutes=30))
    await save(admin_session, queued_item(first, due_in=timedelta(hours=1)), urgent)

    async with scoped_session(make_sessionmaker(claim_engine), TenantScope.nothing()) as session:
        key = await claim_next_key(session, agent.id, None, utc_now())
        scope = (await session.execute(text("SELECT current_setting('bo.tenant_ids')"))).scalar_one()
        visible = (await session.execute(select(WorkItem.id))).scalars().all()

    assert key == (second.id, urgent.id)  # the most urgent over both skills and both tenants
    assert set(scope.split(",")) == {str(first.id), str(second.id)}
    assert len(visible) == 2
