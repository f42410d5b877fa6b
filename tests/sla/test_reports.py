"""Monthly SLA reports: exact figures a person can check by hand, local months, CSV, and who sees what.

The tenant under test, acme, works Sunday to Thursday 09:00-17:00 in Riyadh (UTC+3, no DST), so
Friday, Saturday and nights are not business time. Every item's times below are Riyadh wall-clock
times unless they say UTC; the comments carry the arithmetic the assertions check.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from bo_saas.audit.models import ProviderAuditEvent
from bo_saas.identity.models import ApiClient
from bo_saas.identity.passwords import digest
from bo_saas.lib.caller import Caller, Role
from bo_saas.sla.reports import monthly_report, percentile
from bo_saas.tenancy.models import Tenant
from bo_saas.work.models import Priority, WorkState
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user
from tests.sla.helpers import RIYADH, business_calendar, riyadh, work_item

REPORTS = "/api/v1/sla/reports"
NOVEMBER = {"month": "2026-11"}


@dataclass
class Tenants:
    acme: Tenant  # the tenant whose figures are checked
    zenith: Tenant  # another tenant, with its own November work


async def _acme_november(session, acme: Tenant) -> None:
    await business_calendar(session, acme)
    high, normal = Priority.HIGH, Priority.NORMAL

    # support / high: four items done in November.
    # Queued Thu 5th 16:30, answered Sun 8th 09:15: Thu 16:30-17:00 (30) + Fri/Sat closed + Sun 09:00-09:15 (15) = 45.
    await work_item(session, acme, priority=high, queued_at=riyadh(2026, 11, 5, 16, 30),
                    first_responded_at=riyadh(2026, 11, 8, 9, 15), closed_at=riyadh(2026, 11, 8, 12),
                    resolution_minutes_banked=210.0)  # fmt: skip
    # Queued Mon 9th 08:00 (before opening), answered 09:30: only 09:00-09:30 counts = 30.
    await work_item(session, acme, priority=high, queued_at=riyadh(2026, 11, 9, 8),
                    first_responded_at=riyadh(2026, 11, 9, 9, 30), closed_at=riyadh(2026, 11, 9, 11),
                    resolution_minutes_banked=120.0)  # fmt: skip
    # Queued Wed 11th 16:00, answered Thu 12th 10:00: 60 + (night) + 60 = 120; the first response breached.
    await work_item(session, acme, priority=high, queued_at=riyadh(2026, 11, 11, 16),
                    first_responded_at=riyadh(2026, 11, 12, 10), closed_at=riyadh(2026, 11, 12, 15),
                    first_response_breached_at=riyadh(2026, 11, 11, 17), resolution_minutes_banked=420.0)  # fmt: skip
    # Queued Sun 15th 10:00, answered 10:10 = 10; resolution breached (600 banked, waits on the client left out).
    await work_item(session, acme, priority=high, queued_at=riyadh(2026, 11, 15, 10),
                    first_responded_at=riyadh(2026, 11, 15, 10, 10), closed_at=riyadh(2026, 11, 17, 10),
                    resolution_breached_at=riyadh(2026, 11, 16, 15), resolution_minutes_banked=600.0)  # fmt: skip

    # data_entry / normal.
    # Done in November: queued Tue 24th 16:50, answered Wed 25th 09:05: 10 + 5 = 15.
    await work_item(session, acme, service_type="data_entry", priority=normal, queued_at=riyadh(2026, 11, 24, 16, 50),
                    first_responded_at=riyadh(2026, 11, 25, 9, 5), closed_at=riyadh(2026, 11, 25, 13),
                    resolution_minutes_banked=250.0)  # fmt: skip
    # Done in November: queued Mon 16th 09:00, answered 09:40 = 40.
    await work_item(session, acme, service_type="data_entry", priority=normal, queued_at=riyadh(2026, 11, 16, 9),
                    first_responded_at=riyadh(2026, 11, 16, 9, 40), closed_at=riyadh(2026, 11, 16, 12),
                    resolution_minutes_banked=180.0)  # fmt: skip
    # Answered in November, still being worked: counts for first response only.
    # Queued Thu 19th 16:00, answered Sun 22nd 09:00: 60 + (Fri, Sat) + 0 = 60.
    await work_item(session, acme, service_type="data_entry", priority=normal, state=WorkState.IN_PROGRESS,
                    queued_at=riyadh(2026, 11, 19, 16), first_responded_at=riyadh(2026, 11, 22, 9),
                    resolution_minutes_banked=0.0, resolution_running_since=riyadh(2026, 11, 19, 16))  # fmt: skip
    # Answered in October, done Mon 2 November with the resolution breached: counts for resolution only.
    await work_item(session, acme, service_type="data_entry", priority=normal, queued_at=riyadh(2026, 10, 29, 16),
                    first_responded_at=riyadh(2026, 10, 29, 16, 20), closed_at=riyadh(2026, 11, 2, 10),
                    resolution_breached_at=riyadh(2026, 11, 1, 16), resolution_minutes_banked=600.0)  # fmt: skip

    # bookkeeping / low: closed 2026-10-31 21:30 UTC, which is 1 November 00:30 in Riyadh: November's.
    await work_item(session, acme, service_type="bookkeeping", priority=Priority.LOW,
                    queued_at=riyadh(2026, 10, 29, 10), first_responded_at=riyadh(2026, 10, 29, 10, 30),
                    closed_at=datetime(2026, 10, 31, 21, 30, tzinfo=UTC), resolution_minutes_banked=420.0)  # fmt: skip

    # Not counted in November:
    # done in October (answered in October too);
    await work_item(session, acme, priority=high, queued_at=riyadh(2026, 10, 25, 9),
                    first_responded_at=riyadh(2026, 10, 25, 9, 10), closed_at=riyadh(2026, 10, 25, 10),
                    resolution_minutes_banked=60.0)  # fmt: skip
    # rejected in November, though answered in November: rejected and cancelled items count nowhere;
    await work_item(session, acme, priority=high, state=WorkState.REJECTED, queued_at=riyadh(2026, 11, 1, 9),
                    first_responded_at=riyadh(2026, 11, 1, 9, 5), closed_at=riyadh(2026, 11, 2, 9),
                    resolution_minutes_banked=480.0)  # fmt: skip
    await work_item(session, acme, priority=high, state=WorkState.CANCELLED, queued_at=riyadh(2026, 11, 3, 9),
                    first_responded_at=riyadh(2026, 11, 3, 9, 1), closed_at=riyadh(2026, 11, 3, 11),
                    resolution_minutes_banked=120.0)  # fmt: skip
    # queued 2026-11-30 19:00 UTC (22:00 Mon 30th Riyadh), answered 21:30 UTC and closed 22:30 UTC,
    # which are 00:30 and 01:30 on 1 December in Riyadh: December's, though still November in UTC.
    await work_item(session, acme, service_type="hr", priority=Priority.URGENT,
                    queued_at=datetime(2026, 11, 30, 19, tzinfo=UTC),
                    first_responded_at=datetime(2026, 11, 30, 21, 30, tzinfo=UTC),
                    closed_at=datetime(2026, 11, 30, 22, 30, tzinfo=UTC), resolution_minutes_banked=0.0)  # fmt: skip


@pytest.fixture
async def tenants(admin_session) -> Tenants:
    acme = TenantFactory(slug="acme", timezone="Asia/Riyadh")
    zenith = TenantFactory(slug="zenith", timezone="Europe/London")
    await save(admin_session, acme, zenith)
    await _acme_november(admin_session, acme)
    # zenith has no calendar row: it works round the clock in London time. Queued 10:00, answered 10:20 = 20.
    await work_item(admin_session, zenith, priority=Priority.HIGH, queued_at=datetime(2026, 11, 10, 10, tzinfo=UTC),
                    first_responded_at=datetime(2026, 11, 10, 10, 20, tzinfo=UTC),
                    closed_at=datetime(2026, 11, 10, 12, tzinfo=UTC), resolution_minutes_banked=120.0)  # fmt: skip
    return Tenants(acme, zenith)


def _row(tenant: Tenant, service_type, priority, **figures) -> dict:
    return {"tenant_id": str(tenant.id), "tenant_slug": tenant.slug, "service_type": service_type,
            "priority": priority, **figures}  # fmt: skip


def _acme_november_rows(acme: Tenant) -> list[dict]:
    return [
        # One item, met; answered in October, so no first-response figures.
        _row(
            acme,
            "bookkeeping",
            "low",
            items=1,
            met=1,
            breached=0,
            compliance_percent=100.0,
            first_responses=0,
            first_response_median_minutes=None,
            first_response_p90_minutes=None,
            resolution_median_minutes=420.0,
            resolution_p90_minutes=420.0,
        ),  # fmt: skip
        # Done: 250 (met), 180 (met), 600 (breached): compliance 2/3 = 66.7%.
        # Resolution sorted 180, 250, 600: median = 250; p90 at position 0.9 * 2 = 1.8: 250 + 0.8 * 350 = 530.
        # First responses sorted 15, 40, 60: median 40; p90 at 1.8: 40 + 0.8 * 20 = 56.
        _row(
            acme,
            "data_entry",
            "normal",
            items=3,
            met=2,
            breached=1,
            compliance_percent=66.7,
            first_responses=3,
            first_response_median_minutes=40.0,
            first_response_p90_minutes=56.0,
            resolution_median_minutes=250.0,
            resolution_p90_minutes=530.0,
        ),  # fmt: skip
        # Two met, two breached: 50%. First responses sorted 10, 30, 45, 120:
        # median at position 1.5: 30 + 0.5 * 15 = 37.5; p90 at 0.9 * 3 = 2.7: 45 + 0.7 * 75 = 97.5.
        # Resolution sorted 120, 210, 420, 600: median 210 + 0.5 * 210 = 315; p90 420 + 0.7 * 180 = 546.
        _row(
            acme,
            "support",
            "high",
            items=4,
            met=2,
            breached=2,
            compliance_percent=50.0,
            first_responses=4,
            first_response_median_minutes=37.5,
            first_response_p90_minutes=97.5,
            resolution_median_minutes=315.0,
            resolution_p90_minutes=546.0,
        ),  # fmt: skip
        # Totals: 8 items, 5 met, 3 breached = 62.5%.
        # First responses sorted 10, 15, 30, 40, 45, 60, 120: median (position 3) 40; p90 at 5.4: 60 + 0.4 * 60 = 84.
        # Resolution sorted 120, 180, 210, 250, 420, 420, 600, 600: median at 3.5: 250 + 0.5 * 170 = 335;
        # p90 at 0.9 * 7 = 6.3: 600 + 0.3 * 0 = 600.
        _row(
            acme,
            None,
            None,
            items=8,
            met=5,
            breached=3,
            compliance_percent=62.5,
            first_responses=7,
            first_response_median_minutes=40.0,
            first_response_p90_minutes=84.0,
            resolution_median_minutes=335.0,
            resolution_p90_minutes=600.0,
        ),  # fmt: skip
    ]


def _zenith_november_rows(zenith: Tenant) -> list[dict]:
    figures = dict(items=1, met=1, breached=0, compliance_percent=100.0, first_responses=1,
                   first_response_median_minutes=20.0, first_response_p90_minutes=20.0,
                   resolution_median_minutes=120.0, resolution_p90_minutes=120.0)  # fmt: skip
    return [_row(zenith, "support", "high", **figures), _row(zenith, None, None, **figures)]


def _as_client(app, tenant: Tenant, person, role: Role = Role.CLIENT_MEMBER) -> dict[str, str]:
    return bearer(app, person, role, tenant.id)


async def test_november_figures_per_service_type_priority_and_tenant_totals(app, client, admin_session, tenants):
    member = await client_user(admin_session, tenants.acme, Role.CLIENT_MEMBER)

    response = await client.get(REPORTS, params=NOVEMBER, headers=_as_client(app, tenants.acme, member))

    assert response.status_code == 200, response.text
    assert response.json() == {"month": "2026-11", "rows": _acme_november_rows(tenants.acme)}


async def test_an_item_closed_late_on_30_november_utc_counts_in_the_tenants_december(admin_session, tenants):
    # November's rows (above) have no hr row; December's has it. Queued 22:00 and answered 00:30 the
    # next night: no business time between, so 0 minutes to first response.
    december = await monthly_report(admin_session, [tenants.acme.id], date(2026, 12, 1))

    figures = dict(items=1, met=1, breached=0, compliance_percent=100.0, first_responses=1,
                   first_response_median_minutes=0.0, first_response_p90_minutes=0.0,
                   resolution_median_minutes=0.0, resolution_p90_minutes=0.0)  # fmt: skip
    assert [_as_json(row) for row in december] == [
        _row(tenants.acme, "hr", "urgent", **figures),
        _row(tenants.acme, None, None, **figures),
    ]


async def test_an_item_closed_on_31_october_utc_counts_in_the_tenants_november(admin_session, tenants):
    october = await monthly_report(admin_session, [tenants.acme.id], date(2026, 10, 1))

    # The bookkeeping item closed 31 October 21:30 UTC is November's in Riyadh: October has its first
    # response (Thu 29th 10:00-10:30 = 30) but does not count it as done. October's done items are the
    # support one of the 25th (answered in 10); the data-entry one was answered on the 29th (16:00-16:20 = 20).
    assert [
        (row.service_type, row.priority, row.items, row.first_responses, row.first_response_median_minutes)
        for row in october
    ] == [
        ("bookkeeping", "low", 0, 1, 30.0),
        ("data_entry", "normal", 0, 1, 20.0),
        ("support", "high", 1, 1, 10.0),
        (None, None, 1, 3, 20.0),
    ]


async def test_csv_download_parses_back_to_the_json_rows(app, client, admin_session, tenants):
    admin = await client_user(admin_session, tenants.acme, Role.CLIENT_ADMIN)
    headers = _as_client(app, tenants.acme, admin, Role.CLIENT_ADMIN)

    as_json = await client.get(REPORTS, params=NOVEMBER, headers=headers)
    as_csv = await client.get(REPORTS, params={**NOVEMBER, "format": "csv"}, headers=headers)

    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["content-disposition"] == 'attachment; filename="sla-report-2026-11.csv"'
    assert as_csv.text.endswith("\r\n")
    parsed = list(csv.DictReader(io.StringIO(as_csv.text, newline="")))
    json_rows = as_json.json()["rows"]
    assert len(parsed) == len(json_rows) == 4
    for line, row in zip(parsed, json_rows, strict=True):
        assert list(line) == list(row)
        assert line == {column: _csv_text(column, value) for column, value in row.items()}
    totals = parsed[-1]
    # Percentages always carry one decimal; other numbers are written plainly.
    assert (totals["compliance_percent"], totals["first_response_p90_minutes"], totals["service_type"]) == (
        "62.5",
        "84",
        "",
    )
    assert parsed[2]["first_response_median_minutes"] == "37.5"


def _csv_text(column: str, value) -> str:
    if value is None:
        return ""
    if column == "compliance_percent":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-1", "November", "2026/11", "26-11", "2026-11-01"])
async def test_a_malformed_month_is_a_400_that_says_the_format(app, client, admin_session, tenants, month):
    member = await client_user(admin_session, tenants.acme, Role.CLIENT_MEMBER)

    response = await client.get(REPORTS, params={"month": month}, headers=_as_client(app, tenants.acme, member))

    assert response.status_code == 400, response.text
    assert "YYYY-MM" in response.json()["detail"]


async def test_a_month_that_has_not_begun_is_a_400(app, client, admin_session, tenants):
    member = await client_user(admin_session, tenants.acme, Role.CLIENT_MEMBER)

    response = await client.get(REPORTS, params={"month": "2999-01"}, headers=_as_client(app, tenants.acme, member))

    assert response.status_code == 400
    assert "has not begun" in response.json()["detail"]


async def test_without_a_month_the_report_is_for_the_tenants_current_month(app, client, admin_session, tenants):
    member = await client_user(admin_session, tenants.acme, Role.CLIENT_MEMBER)

    response = await client.get(REPORTS, headers=_as_client(app, tenants.acme, member))

    assert response.status_code == 200, response.text
    assert response.json()["month"] == datetime.now(RIYADH).strftime("%Y-%m")


async def test_a_client_only_ever_sees_its_own_tenant(app, client, admin_session, tenants):
    member = await client_user(admin_session, tenants.acme, Role.CLIENT_MEMBER)
    api_client = ApiClient(id=uuid4(), tenant_id=tenants.acme.id, name="erp", secret_hash=digest("s"))
    await save(admin_session, api_client)
    api_caller = Caller(role=Role.CLIENT_MEMBER, api_client_id=api_client.id, tenant_id=tenants.acme.id)
    as_api_client = {"Authorization": f"Bearer {app.state.token_signer.issue(api_caller)}"}
    as_member = _as_client(app, tenants.acme, member)

    by_api_client = await client.get(REPORTS, params=NOVEMBER, headers=as_api_client)
    naming_zenith = await client.get(
        REPORTS, params=NOVEMBER, headers={**as_member, "X-Tenant": str(tenants.zenith.id)}
    )

    assert by_api_client.json()["rows"] == _acme_november_rows(tenants.acme)
    assert naming_zenith.status_code == 200 and naming_zenith.json()["rows"] == []
    for response in (by_api_client, naming_zenith):
        assert str(tenants.zenith.id) not in response.text and "zenith" not in response.text


async def test_an_agent_sees_only_the_tenants_it_is_assigned_to(app, client, admin_session, tenants):
    coral = TenantFactory(slug="coral")
    await save(admin_session, coral)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenants.acme, coral))

    response = await client.get(REPORTS, params=NOVEMBER, headers=bearer(app, agent, Role.PROVIDER_AGENT))

    assert response.status_code == 200, response.text
    # coral has no work: its totals row says so with zeros rather than leaving it out.
    coral_totals = _row(coral, None, None, items=0, met=0, breached=0, compliance_percent=None, first_responses=0,
                        first_response_median_minutes=None, first_response_p90_minutes=None,
                        resolution_median_minutes=None, resolution_p90_minutes=None)  # fmt: skip
    assert response.json()["rows"] == [*_acme_november_rows(tenants.acme), coral_totals]
    assert str(tenants.zenith.id) not in response.text


async def test_a_provider_admin_without_x_tenant_reads_every_tenant_and_that_is_audited(
    app, client, admin_session, tenants
):
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = bearer(app, provider_admin, Role.PROVIDER_ADMIN)

    everyone = await client.get(REPORTS, params=NOVEMBER, headers=headers)
    only_zenith = await client.get(REPORTS, params=NOVEMBER, headers={**headers, "X-Tenant": "zenith"})

    assert everyone.json()["rows"] == [*_acme_november_rows(tenants.acme), *_zenith_november_rows(tenants.zenith)]
    assert only_zenith.json()["rows"] == _zenith_november_rows(tenants.zenith)
    widened = select(ProviderAuditEvent).where(ProviderAuditEvent.action == "tenant.access_widened")
    widenings = (await admin_session.execute(widened)).scalars().all()
    # One for all tenants, one for X-Tenant naming a tenant the admin is not assigned to.
    assert {(event.subject_id, event.changes.get("tenants")) for event in widenings} == {
        (None, "all"),
        (str(tenants.zenith.id), None),
    }
    assert all(event.actor_id == provider_admin.id for event in widenings)


def test_percentiles_interpolate_linearly_between_closest_ranks():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    # Position (n - 1) * p from 0: [10, 30, 45, 120] -> median at 1.5, p90 at 2.7.
    assert percentile([120.0, 10.0, 45.0, 30.0], 0.5) == 37.5
    assert percentile([120.0, 10.0, 45.0, 30.0], 0.9) == pytest.approx(97.5)


def _as_json(row) -> dict:
    """A ReportRow as the JSON answer shows it."""
    return {field: _json_value(getattr(row, field)) for field in row.__struct_fields__}


def _json_value(value):
    return str(value) if isinstance(value, UUID) else value
