"""Billing runs started from the console: recorded at once (202), carried out by a worker, followed by their row."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from bo_saas.billing import runs
from bo_saas.billing.models import BillingRun, Invoice
from bo_saas.billing.runs import carry_out, open_run
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox_models import OutboxMessage
from tests.auth import bearer
from tests.billing.helpers import RUNS, run_through_api, subscribed_tenant
from tests.factories import staff_user


async def _provider(app, admin_session) -> dict[str, str]:
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    return bearer(app, admin, Role.PROVIDER_ADMIN)


async def _row(admin_session, run_id) -> BillingRun:
    run = await admin_session.scalar(
        select(BillingRun).where(BillingRun.id == run_id).execution_options(populate_existing=True)
    )
    await admin_session.commit()
    return run


async def test_a_run_started_from_the_console_answers_at_once_and_a_worker_finishes_it(
    app, client, admin_session, job_worker
):
    tenants = [await subscribed_tenant(admin_session, "growth") for _ in range(3)]
    headers = await _provider(app, admin_session)

    started, finished = await run_through_api(client, headers, {"period": "2026-10"})
    again, rerun = await run_through_api(client, headers, {"period": "2026-10", "dry_run": True})

    assert started.status_code == 202, started.text
    body = started.json()
    assert (body["status"], body["period"], body["tenants_total"], body["tenants_done"]) == ("running", "2026-10", 3, 0)
    assert (finished["status"], finished["tenants_done"], finished["tenants_total"]) == ("finished", 3, 3)
    assert (finished["created"], finished["failed"], finished["failures"], finished["error"]) == (3, 0, [], None)
    assert finished["finished_at"] is not None
    assert (again.status_code, rerun["dry_run"], rerun["unchanged"], rerun["created"]) == (202, True, 3, 0)
    counts = await admin_session.execute(select(Invoice.tenant_id, func.count()).group_by(Invoice.tenant_id))
    assert dict(counts.all()) == {tenant.id: 1 for tenant in tenants}


async def test_two_runs_of_one_period_started_at_once_make_one_invoice_per_tenant(
    app, client, admin_session, job_worker
):
    tenants = [await subscribed_tenant(admin_session, "growth") for _ in range(4)]
    headers = await _provider(app, admin_session)

    answers = await asyncio.gather(*(run_through_api(client, headers, {"period": "2026-10"}) for _ in range(2)))

    assert [finished["status"] for _, finished in answers] == ["finished", "finished"]
    assert sorted(finished["created"] for _, finished in answers) in ([0, 4], [1, 3], [2, 2])
    assert sum(finished["created"] + finished["unchanged"] for _, finished in answers) == 8
    counts = await admin_session.execute(select(Invoice.tenant_id, func.count()).group_by(Invoice.tenant_id))
    assert dict(counts.all()) == {tenant.id: 1 for tenant in tenants}


async def test_a_refused_run_records_nothing_queues_nothing_and_an_unknown_run_is_404(app, client, admin_session):
    await subscribed_tenant(admin_session, "growth", slug="acme")
    headers = await _provider(app, admin_session)

    not_ended = await client.post(RUNS, json={"period": "2999-01"}, headers=headers)
    nobody = await client.post(RUNS, json={"period": "2026-10", "tenant": "nobody"}, headers=headers)
    unknown = await client.get(f"{RUNS}/{uuid4()}", headers=headers)

    assert not_ended.status_code == 400 and not_ended.json()["detail"].startswith("period: 2999-01 has not ended")
    assert (nobody.status_code, nobody.json()["detail"]) == (400, "tenant: no tenant 'nobody'")
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("No billing run ")
    assert await admin_session.scalar(select(func.count()).select_from(BillingRun)) == 0
    assert await admin_session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_the_runs_row_counts_tenants_done_as_each_chunk_finishes(
    admin_session, runtime_sessionmaker, monkeypatch
):
    monkeypatch.setattr(runs, "CHUNK", 2)
    for _ in range(5):
        await subscribed_tenant(admin_session, "growth")
    async with runtime_sessionmaker() as session, session.begin():
        run = await open_run(
            session, period="2026-10", tenant_slug=None, dry_run=False, started_by="test", now=utc_now()
        )
    seen = []
    bill_some = runs._bill_some

    async def watched(*args, **kwargs):
        row = await _row(admin_session, run.id)
        seen.append((row.tenants_done, row.tenants_total, row.created, row.status))
        return await bill_some(*args, **kwargs)

    monkeypatch.setattr(runs, "_bill_some", watched)

    await carry_out(runtime_sessionmaker, run.id)

    assert seen == [(0, 5, 0, "running"), (2, 5, 2, "running"), (4, 5, 4, "running")]
    row = await _row(admin_session, run.id)
    assert (row.tenants_done, row.created, row.status) == (5, 5, "finished")


async def test_a_finished_run_carried_out_again_does_nothing_and_one_that_breaks_is_failed_with_its_reason(
    admin_session, runtime_sessionmaker, monkeypatch
):
    await subscribed_tenant(admin_session, "growth")
    finished = await runs.run_billing(runtime_sessionmaker, period="2026-10")
    async with runtime_sessionmaker() as session, session.begin():
        broken = await open_run(
            session, period="2026-09", tenant_slug=None, dry_run=False, started_by="test", now=utc_now()
        )

    async def database_gone(session):
        raise ConnectionError("the database went away")

    repeated = await carry_out(runtime_sessionmaker, finished.run_id)
    monkeypatch.setattr(runs, "all_versions", database_gone)
    with pytest.raises(ConnectionError):  # re-raised for the worker's log
        await carry_out(runtime_sessionmaker, broken.id)

    assert repeated is None
    assert (await _row(admin_session, finished.run_id)).created == 1
    row = await _row(admin_session, broken.id)
    assert (row.status, row.error, row.tenants_done) == ("failed", "ConnectionError: the database went away", 0)
    assert row.finished_at is not None
