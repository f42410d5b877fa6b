"""Issue 11 item 8: a tenant long past due ranks after paying tenants' work, never past an SLA due time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bo_saas.billing.dunning import dunning_tick
from bo_saas.billing.standing import deprioritize_work, settle_if_paid
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker
from bo_saas.lib.tenant_scope import TenantScope
from tests.billing.helpers import billing_profile, subscribed_tenant
from tests.billing.stripe_peer import open_invoice, provider_headers
from tests.desk import give_skills, queued_item
from tests.factories import TenantFactory, save, staff_user
from tests.work.test_claim_next import drain


@pytest.fixture
async def claim_engine(settings, admin_engine) -> AsyncEngine:
    engine = create_async_engine(settings.database_url, pool_size=4)
    yield engine
    await engine.dispose()


async def _marked(admin_session, tenant) -> bool:
    value = await admin_session.scalar(
        text("SELECT work_deprioritized_at IS NOT NULL FROM tenants WHERE id = :id"), {"id": tenant.id}
    )
    await admin_session.commit()
    return value


async def _two_tenants_queue(admin_session):
    paying, late = TenantFactory(), TenantFactory()
    await save(admin_session, paying, late)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(paying, late))
    await give_skills(admin_session, agent, "data_entry", capacity=10)
    now = utc_now()
    items = {
        "late, SLA due": queued_item(late, due_in=-timedelta(minutes=5)),
        "late, due in 1 h": queued_item(late, due_in=timedelta(hours=1)),
        "paying, due in 3 h": queued_item(paying, due_in=timedelta(hours=3)),
        "paying, no SLA": queued_item(paying, due_in=timedelta(hours=3)),
        "paying, due in 2 h": queued_item(paying, due_in=timedelta(hours=2)),
    }
    items["paying, no SLA"].first_response_due_at = None
    items["late, SLA due"].first_response_due_at = now - timedelta(minutes=5)
    await save(admin_session, *items.values())
    return paying, late, agent, {item.id: title for title, item in items.items()}


async def test_a_deprioritized_tenants_work_ranks_after_paying_work_but_never_past_its_sla_due_time(
    claim_engine, admin_session
):
    paying, late, agent, titles = await _two_tenants_queue(admin_session)
    assert await deprioritize_work(admin_session, late.id, utc_now(), "INV-2026-000001")
    await admin_session.commit()

    order = await drain(make_sessionmaker(claim_engine), agent.id, TenantScope.of(paying.id, late.id))

    assert [titles[i] for i in order] == [
        "late, SLA due",  # its SLA is due: first, whoever pays
        "paying, due in 2 h",
        "paying, due in 3 h",
        "paying, no SLA",
        "late, due in 1 h",  # not yet due: after every paying tenant's item
    ]


async def test_paying_everything_due_lifts_the_rank_at_once(claim_engine, admin_session):
    paying, late, agent, titles = await _two_tenants_queue(admin_session)
    assert await deprioritize_work(admin_session, late.id, utc_now(), None)
    assert not await deprioritize_work(admin_session, late.id, utc_now(), None)  # marked once
    assert await settle_if_paid(admin_session, late.id, utc_now())  # nothing overdue: lifted
    await admin_session.commit()
    assert not await _marked(admin_session, late)

    order = await drain(make_sessionmaker(claim_engine), agent.id, TenantScope.of(paying.id, late.id))

    assert [titles[i] for i in order] == [
        "late, SLA due",
        "late, due in 1 h",
        "paying, due in 2 h",
        "paying, due in 3 h",
        "paying, no SLA",
    ]


async def test_dunning_deprioritizes_past_the_configured_days_and_a_payment_restores(
    app, client, admin_session, runtime_sessionmaker, settings
):
    tenant = await subscribed_tenant(admin_session, "growth")
    await billing_profile(admin_session, tenant, 0)
    invoice = await open_invoice(admin_session, tenant)
    after = settings.billing_deprioritize_after_days

    before = await dunning_tick(runtime_sessionmaker, settings, invoice.due_at + timedelta(days=after - 0.5))
    assert before.deprioritized == [] and not await _marked(admin_session, tenant)
    past = await dunning_tick(runtime_sessionmaker, settings, invoice.due_at + timedelta(days=after, hours=1))
    assert past.deprioritized == [tenant.id] and await _marked(admin_session, tenant)
    again = await dunning_tick(runtime_sessionmaker, settings, invoice.due_at + timedelta(days=after, hours=2))
    assert again.deprioritized == []

    transfer = {"amount": invoice.total, "reference": "TRF-1", "received_on": "2026-12-01"}
    paid = await client.post(
        f"/api/v1/invoices/{invoice.id}/payments", json=transfer,
        headers=await provider_headers(app, admin_session, tenant),
    )  # fmt: skip
    assert paid.status_code == 201, paid.text
    assert not await _marked(admin_session, tenant)
