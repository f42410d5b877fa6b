"""Scheduled payroll: the draft run of each month prepared on the tenant's day, in its time zone, once per period
(however many ticks run at once), skipped when the period has a run already, and waiting for the checker."""

from __future__ import annotations

import asyncio
import tomllib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.hr.domain import DOMAIN as HR_DOMAIN
from bo_saas.hr.payroll_models import PayrollRun, RunStatus
from bo_saas.hr.payroll_schedule import due_period, next_date
from bo_saas.hr.payroll_schedule_models import PayrollSchedule
from bo_saas.hr.payroll_schedule_tick import payroll_schedule_tick, run_payroll_schedule
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.tenancy.manifest_sections import ManifestError
from bo_saas.tenancy.manifests import export_manifest
from tests.factories import save
from tests.hr.payroll_helpers import RUNS, compute, employee, payroll_tenant, prepare
from tests.hr.test_hr_manifest import SECTIONS, apply, manifest, write

SCHEDULE = "/api/v1/hr/payroll-schedule"
# 25 December 2026, 01:00 in Riyadh (UTC+3) but still the 24th in UTC.
RIYADH_25TH = datetime(2026, 12, 24, 22, 0, tzinfo=UTC)
RIYADH_24TH = datetime(2026, 12, 24, 20, 0, tzinfo=UTC)


async def _runs(admin_session, tenant_id) -> list[PayrollRun]:
    rows = (await admin_session.scalars(select(PayrollRun).where(PayrollRun.tenant_id == tenant_id))).all()
    await admin_session.commit()
    return list(rows)


async def _schedule(client, headers, day: int, enabled: bool = True) -> dict:
    response = await client.put(SCHEDULE, json={"day": day, "enabled": enabled}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_day_counts_in_the_month_and_a_short_month_uses_its_last_day():
    assert due_period(date(2026, 12, 24), 25, None) is None
    assert due_period(date(2026, 12, 25), 25, None) == "2026-12"
    assert due_period(date(2026, 12, 28), 25, None) == "2026-12"  # a missed tick catches up within the month
    assert due_period(date(2026, 12, 28), 25, "2026-12") is None
    assert due_period(date(2027, 2, 28), 31, "2027-01") == "2027-02"
    assert next_date(date(2026, 12, 26), 25, "2026-12") == date(2027, 1, 25)
    assert next_date(date(2027, 1, 10), 31, "2026-12") == date(2027, 1, 31)
    assert next_date(date(2027, 2, 1), 30, "2027-01") == date(2027, 2, 28)


async def test_the_schedule_is_set_by_who_may_see_pay_audited_and_shown_with_its_next_date(app, client, admin_session):
    pt = await payroll_tenant(app, admin_session)
    hr = pt.hr
    unset = (await client.get(SCHEDULE, headers=hr.admin)).json()
    set_ = await _schedule(client, hr.admin, 25)
    by_staff = await client.put(SCHEDULE, json={"day": 31}, headers=hr.hr_agent | {"X-Tenant": str(pt.tenant_id)})
    by_member = await client.put(SCHEDULE, json={"day": 1}, headers=hr.member)
    member_read = await client.get(SCHEDULE, headers=hr.member)
    out_of_range = await client.put(SCHEDULE, json={"day": 32}, headers=hr.admin)

    assert unset == {"day": None, "enabled": False, "last_period": None, "next_date": None}
    assert set_["day"] == 25 and set_["enabled"] is True and set_["next_date"] is not None
    assert by_staff.status_code == 200 and by_staff.json()["day"] == 31
    assert by_member.status_code == 403 and member_read.status_code == 403
    assert out_of_range.status_code == 400 and "day" in out_of_range.text
    changes = (
        await admin_session.scalars(
            select(AuditEvent.changes)
            .where(AuditEvent.tenant_id == pt.tenant_id, AuditEvent.action == "hr.payroll_schedule_changed")
            .order_by(AuditEvent.occurred_at)
        )
    ).all()
    assert changes == [{"day": 25, "enabled": True}, {"day": {"old": 25, "new": 31}}]


async def test_the_tick_prepares_the_draft_on_the_tenants_day_once_and_the_checker_approves_it(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)  # the tenant is in Asia/Riyadh
    await employee(client, pt.hr.admin, "E001")
    await _schedule(client, pt.hr.admin, 25)

    before = await payroll_schedule_tick(runtime_sessionmaker, now=RIYADH_24TH)
    on_the_day = await payroll_schedule_tick(runtime_sessionmaker, now=RIYADH_25TH)
    again = await payroll_schedule_tick(runtime_sessionmaker, now=RIYADH_25TH.replace(hour=23))

    assert before == [] and len(on_the_day) == 1 and again == []
    (run,) = await _runs(admin_session, pt.tenant_id)
    assert (run.period, run.status, run.prepared_by) == ("2026-12", RunStatus.COMPUTING.value, None)
    queued = await admin_session.scalar(select(OutboxMessage).where(OutboxMessage.actor_name == "compute_payroll_run"))
    assert queued is not None and queued.message["kwargs"]["run_id"] == str(run.id)
    event = await admin_session.scalar(
        select(AuditEvent).where(AuditEvent.tenant_id == pt.tenant_id, AuditEvent.action == "hr.payroll_run_prepared")
    )
    assert event.actor_kind == "system" and event.changes["scheduled"] is True
    await admin_session.commit()

    await compute(app, runtime_sessionmaker, pt.tenant_id, str(run.id))
    draft = (await client.get(f"{RUNS}/{run.id}", headers=pt.hr.admin)).json()
    approved = await client.post(f"{RUNS}/{run.id}/approve", headers=pt.checker)
    shown = (await client.get(SCHEDULE, headers=pt.hr.admin)).json()

    assert draft["status"] == "draft" and draft["progress"]["employees_total"] == 1
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert shown["last_period"] == "2026-12"


async def test_two_ticks_at_once_prepare_one_run(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await _schedule(client, pt.hr.admin, 25)

    ticks = await asyncio.gather(*(payroll_schedule_tick(runtime_sessionmaker, now=RIYADH_25TH) for _ in range(3)))

    assert sorted(len(prepared) for prepared in ticks) == [0, 0, 1]
    assert len(await _runs(admin_session, pt.tenant_id)) == 1


async def test_a_period_prepared_by_hand_is_skipped_and_a_disabled_schedule_prepares_nothing(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    await _schedule(client, pt.hr.admin, 25)
    by_hand = await prepare(client, pt.hr.admin, "2026-12")

    skipped = await payroll_schedule_tick(runtime_sessionmaker, now=RIYADH_25TH)
    await _schedule(client, pt.hr.admin, 5, enabled=False)
    disabled = await payroll_schedule_tick(runtime_sessionmaker, now=datetime(2027, 1, 10, 9, tzinfo=UTC))

    assert skipped == [] and disabled == []
    assert [str(run.id) for run in await _runs(admin_session, pt.tenant_id)] == [by_hand["id"]]
    schedule = await admin_session.get(PayrollSchedule, pt.tenant_id)
    assert schedule.last_period == "2026-12" and schedule.enabled is False


async def test_a_tenant_without_the_hr_service_is_left_alone(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await _schedule(client, pt.hr.admin, 25)
    pt.hr.tenant.services = ["support"]
    await save(admin_session, pt.hr.tenant)

    assert await payroll_schedule_tick(runtime_sessionmaker, now=RIYADH_25TH) == []
    assert await _runs(admin_session, pt.tenant_id) == []


async def test_the_manifest_sets_the_schedule_applies_twice_unchanged_and_round_trips(
    tmp_path, runtime_sessionmaker, admin_session
):
    path = write(tmp_path, manifest({"payroll_schedule": {"day": 28}}))

    first = await apply(runtime_sessionmaker, path)
    second = await apply(runtime_sessionmaker, path)
    exported = await export_manifest(runtime_sessionmaker, "initech", SECTIONS)
    third = await apply(runtime_sessionmaker, write(tmp_path / "again", tomllib.loads(exported)))
    left_out = await apply(runtime_sessionmaker, write(tmp_path / "b", manifest({"compliance_reminder_days": 30})))
    bad = write(tmp_path / "c", manifest({"payroll_schedule": {"day": 0}}))

    assert any("payroll schedule: day 28 of each month (enabled)" in line for line in first)
    assert second == ["initech: unchanged"] and third == ["initech: unchanged"] and left_out == ["initech: unchanged"]
    assert tomllib.loads(exported)["hr"]["payroll_schedule"] == {"day": 28, "enabled": True}
    schedule = await admin_session.scalar(select(PayrollSchedule))
    assert schedule.day == 28 and schedule.enabled is True
    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, bad)
    assert "hr.payroll_schedule.day" in str(caught.value)


def test_the_schedule_loop_runs_in_one_process_of_the_fleet():
    owned = {getattr(job, "sole_owner_of", None) for job in HR_DOMAIN.background}

    assert run_payroll_schedule in owned and run_payroll_schedule not in HR_DOMAIN.background
