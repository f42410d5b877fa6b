"""A tenant's calendar can be reset to round the clock through the API, and that is audited."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import BusinessCalendarFactory, TenantFactory, client_user, save


async def test_a_client_admin_resets_the_calendar_to_round_the_clock(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id, holidays=[]))
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    assert (await client.get("/api/v1/sla/calendar", headers=headers)).json()["weekly_hours"] is not None

    reset = await client.delete("/api/v1/sla/calendar", headers=headers)
    again = await client.delete("/api/v1/sla/calendar", headers=headers)
    calendar = (await client.get("/api/v1/sla/calendar", headers=headers)).json()

    assert reset.status_code == 204 and again.status_code == 204
    assert calendar["weekly_hours"] is None and calendar["holidays"] == [] and calendar["holiday_country"] is None
    actions = (
        await admin_session.execute(select(AuditEvent.action).where(AuditEvent.tenant_id == tenant.id))
    ).scalars()
    assert list(actions) == ["sla.calendar_cleared"]


async def test_a_member_cannot_reset_the_calendar(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id))
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    headers = bearer(app, member, Role.CLIENT_MEMBER, tenant.id)

    refused = await client.delete("/api/v1/sla/calendar", headers=headers)

    assert refused.status_code == 403
    assert (await client.get("/api/v1/sla/calendar", headers=headers)).json()["weekly_hours"] is not None
