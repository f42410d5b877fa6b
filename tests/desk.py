"""A service desk to work in: one tenant, its people, and provider staff with skills and assignments.

The `desk` fixture is registered in tests/conftest.py so every domain's tests can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bo_saas.identity.models import StaffProfile, StaffSkill
from bo_saas.lib.caller import Role
from bo_saas.work.models import WorkItem
from tests.auth import bearer
from tests.factories import TenantFactory, WorkItemFactory, client_user, save, staff_user


@dataclass
class Desk:
    app: Any
    tenant: Any
    admin: Any
    member: Any
    other_member: Any
    agent: Any
    reviewer: Any
    provider_admin: Any

    def as_(self, who: str) -> dict[str, str]:
        person = getattr(self, who)
        if who in ("admin", "member", "other_member"):
            role = Role.CLIENT_ADMIN if who == "admin" else Role.CLIENT_MEMBER
            return bearer(self.app, person, role, tenant_id=self.tenant.id)
        role = Role.PROVIDER_ADMIN if who == "provider_admin" else Role.PROVIDER_AGENT
        return bearer(self.app, person, role)


async def give_skills(session, person, *skills: str, capacity: int | None = None) -> None:
    if capacity is not None:
        profile = await session.get(StaffProfile, person.id)
        profile.capacity = capacity
    await save(session, *(StaffSkill(account_id=person.id, skill_code=s) for s in skills))


@pytest.fixture
async def desk(app, admin_session) -> Desk:
    tenant = TenantFactory(services=["data_entry", "support", "bookkeeping"])
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    other_member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    reviewer = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN, tenants=(tenant,))
    for person in (agent, reviewer, provider_admin):
        await give_skills(admin_session, person, "data_entry", "support", "bookkeeping")
    return Desk(app, tenant, admin, member, other_member, agent, reviewer, provider_admin)


DATA_ENTRY = {"service_type": "data_entry", "title": "Key in November invoices", "payload": {"source": "42 PDFs"}}


def queued_item(tenant, *, skill: str = "data_entry", due_in: timedelta = timedelta(hours=2), **fields) -> WorkItem:
    """A queued item of ``skill`` as the API leaves it, first response due ``due_in`` from now (``WorkItemFactory``)."""
    values = {"service_type": skill, "skill_code": skill, "title": f"{skill} item", **fields}
    return WorkItemFactory(tenant_id=tenant.id, due_in=due_in, **values)
