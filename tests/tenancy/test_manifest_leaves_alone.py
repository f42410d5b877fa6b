"""What a manifest does not name, it leaves as the API set it: status, calendar and QA rates."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.lib.caller import Role
from bo_saas.tenancy.models import BusinessCalendar, Tenant, TenantStatus
from bo_saas.work.models import QaSampling
from tests.auth import bearer
from tests.factories import staff_user
from tests.tenancy.test_manifests import acme, apply, write


async def test_settings_made_through_the_api_survive_a_manifest_that_does_not_name_them(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession, app, client
) -> None:
    without = acme()
    del without["calendar"]
    path = write(tmp_path, "acme.toml", acme())
    await apply(runtime_sessionmaker, path)
    tenant = (await admin_session.execute(select(Tenant))).scalar_one()
    tenant_id = tenant.id
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN, (tenant,))
    headers = {**bearer(app, provider_admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant_id)}
    calendar = {"weekly_hours": {"sat": ["10:00-12:00"]}, "holidays": [], "holiday_country": None}
    assert (await client.put("/api/v1/sla/calendar", json=calendar, headers=headers)).status_code == 200
    rate = {"service_type": "support", "sample_percent": 40}
    assert (await client.put("/api/v1/qa/sampling", json=rate, headers=headers)).status_code == 200
    suspended = await client.post(f"/api/v1/tenants/{tenant_id}/suspend", json={"reason": "unpaid"}, headers=headers)
    assert suspended.status_code == 200

    write(tmp_path, "acme.toml", without)
    _, lines = await apply(runtime_sessionmaker, path)

    admin_session.expire_all()
    assert lines == ["acme: unchanged"]
    assert (await admin_session.get(Tenant, tenant_id)).status is TenantStatus.SUSPENDED
    assert (await admin_session.get(BusinessCalendar, tenant_id)).weekly_hours == {"sat": ["10:00-12:00"]}
    rates = (await admin_session.execute(select(QaSampling.service_type, QaSampling.sample_percent))).all()
    assert [tuple(row) for row in rates] == [("support", 40)]


async def test_a_manifest_that_names_them_sets_them_again(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme(status="suspended", qa={"sample_percent": {"support": 40}}))
    await apply(runtime_sessionmaker, path)

    write(tmp_path, "acme.toml", acme(status="active", qa={"sample_percent": {"support": 10}}))
    _, lines = await apply(runtime_sessionmaker, path)

    assert 'acme: changed status: "suspended" -> "active"' in lines
    assert (await admin_session.scalar(select(QaSampling.sample_percent))) == 10
    assert (await admin_session.scalar(select(Tenant.status))) is TenantStatus.ACTIVE
