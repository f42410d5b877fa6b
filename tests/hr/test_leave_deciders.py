"""The client admins hr staff decide leave for: listed for the console's choice, and a refusal on their behalf
recorded with who refused, for whom and why."""

from __future__ import annotations

from sqlalchemy import select, update

from bo_saas.audit.models import AuditEvent
from bo_saas.identity.models import Account, AccountStatus
from bo_saas.lib.caller import Role
from tests.factories import client_user
from tests.hr.test_leave_api import REQUESTS, _ask, _setup

DECIDERS = "/api/v1/hr/leave-deciders"


async def test_hr_staff_see_the_active_client_admins_and_refuse_on_one_s_behalf_with_a_reason(
    app, client, admin_session
):
    hr, employee = await _setup(app, client, admin_session)
    gone = await client_user(admin_session, hr.tenant, Role.CLIENT_ADMIN)
    await admin_session.execute(update(Account).where(Account.id == gone.id).values(status=AccountStatus.DEACTIVATED))
    await admin_session.commit()
    tenant = {"X-Tenant": str(hr.tenant.id)}
    admin_id = (await client.get("/api/v1/me", headers=hr.admin)).json()["id"]
    asked = (await client.post(REQUESTS, json=_ask(employee, "2027-04-04", "2027-04-04"), headers=hr.admin)).json()

    by_staff = await client.get(DECIDERS, headers=hr.hr_agent | tenant)
    by_admin = await client.get(DECIDERS, headers=hr.admin)
    by_agent = await client.get(DECIDERS, headers=hr.agent | tenant)
    by_member = await client.get(DECIDERS, headers=hr.member)
    refused = await client.post(
        f"{REQUESTS}/{asked['id']}/reject", json={"reason": "Audit week", "on_behalf_of": admin_id},
        headers=hr.hr_agent,
    )  # fmt: skip

    assert by_staff.status_code == 200 and [d["id"] for d in by_staff.json()] == [admin_id]
    assert by_admin.json() == by_staff.json()
    assert by_agent.status_code == 403 and by_member.status_code == 403
    assert refused.status_code == 200, refused.text
    body = refused.json()
    assert (body["status"], body["reject_reason"], body["decided_on_behalf_of"]) == ("rejected", "Audit week", admin_id)
    event = await admin_session.scalar(
        select(AuditEvent).where(AuditEvent.tenant_id == hr.tenant.id, AuditEvent.action == "hr.leave_rejected")
    )
    assert event.changes["on_behalf_of"] == admin_id and event.changes["reason"] == "Audit week"
    assert event.actor_id is not None and str(event.actor_id) != admin_id
