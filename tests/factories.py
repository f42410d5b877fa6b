"""factory-boy factories for the foundation's rows; persist them with ``save``."""

from __future__ import annotations

from uuid import uuid4

import factory
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, AccountStatus, Membership, StaffAssignment, StaffProfile
from bo_saas.identity.passwords import hash_password
from bo_saas.lib.caller import Role
from bo_saas.tenancy.models import Tenant, TenantStatus

DEFAULT_PASSWORD = "correct-horse-battery"
# argon2 is slow on purpose; hash the shared test password once.
_DEFAULT_HASH = hash_password(DEFAULT_PASSWORD)


class TenantFactory(factory.Factory):
    class Meta:
        model = Tenant

    id = factory.LazyFunction(uuid4)
    slug = factory.Sequence(lambda n: f"tenant-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.title()} LLC")
    plan_code = "growth"
    timezone = "Asia/Riyadh"
    status = TenantStatus.ACTIVE
    services = factory.LazyFunction(lambda: ["data_entry", "support"])


class AccountFactory(factory.Factory):
    class Meta:
        model = Account

    id = factory.LazyFunction(uuid4)
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Sequence(lambda n: f"Person {n}")
    password_hash = _DEFAULT_HASH
    status = AccountStatus.ACTIVE
    staff_role = None
    locale = "en"
    failed_sign_ins = 0


class MembershipFactory(factory.Factory):
    class Meta:
        model = Membership

    role = Role.CLIENT_MEMBER


async def save(session: AsyncSession, *rows) -> None:
    session.add_all(rows)
    await session.commit()


async def client_user(session: AsyncSession, tenant: Tenant, role: Role = Role.CLIENT_ADMIN, **account) -> Account:
    person = AccountFactory(**account)
    session.add(person)
    await session.flush()
    await save(session, MembershipFactory(tenant_id=tenant.id, account_id=person.id, role=role))
    return person


async def staff_user(
    session: AsyncSession, role: Role = Role.PROVIDER_AGENT, tenants: tuple[Tenant, ...] = (), **account
) -> Account:
    person = AccountFactory(staff_role=role, **account)
    session.add(person)
    await session.flush()
    session.add(StaffProfile(account_id=person.id, capacity=5))
    await session.flush()
    await save(session, *(StaffAssignment(tenant_id=t.id, account_id=person.id) for t in tenants))
    return person
