"""Staff from the command line (``bo-saas staff add``) and the demo's staff."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.record import record_provider_event
from bo_saas.identity.accounts import (
    AccountError,
    add_staff_account,
    assign_staff,
    check_skills,
    find_account_by_email,
)
from bo_saas.identity.passwords import WeakPasswordError
from bo_saas.lib.caller import Role
from bo_saas.lib.db import make_engine, make_sessionmaker, set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import find_tenants
from bo_saas.tenancy.models import Tenant

DEMO_PASSWORD = "demo-password-1"
DEMO_STAFF = (
    ("admin@provider.example", "Provider Admin", Role.PROVIDER_ADMIN, ["data_entry", "bookkeeping", "hr", "support"]),
    ("agent@provider.example", "Demo Agent", Role.PROVIDER_AGENT, ["data_entry", "support", "bookkeeping", "hr"]),
)


class StaffCliError(RuntimeError):
    pass


async def add_staff(
    settings: Settings,
    *,
    email: str,
    role: str,
    name: str | None,
    password: str,
    skills: list[str],
    tenant_slugs: list[str],
    capacity: int,
) -> str:
    engine = make_engine(settings.database_url, pool_size=1)
    sessionmaker = make_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            try:
                await check_skills(session, skills)
            except AccountError as exc:
                raise StaffCliError(f"--skills: {exc}") from None
            tenant_ids, missing = await find_tenants(session, tenant_slugs)
            if missing:
                raise StaffCliError(f"--tenants: unknown tenant(s) {', '.join(missing)}")
            await session.rollback()
            set_scope(session, TenantScope(frozenset(tenant_ids)))
            async with session.begin():
                try:
                    account, _ = await add_staff_account(
                        session,
                        email=email,
                        name=name or email.split("@")[0],
                        role=Role(role),
                        password=password,
                        capacity=capacity,
                        skills=skills,
                    )
                except (AccountError, WeakPasswordError) as exc:
                    raise StaffCliError(str(exc)) from None
                await assign_staff(session, account.id, tenant_ids)

                record_provider_event(
                    session,
                    None,
                    action="staff.added",
                    subject_type="staff",
                    subject_id=str(account.id),
                    changes={
                        "email": account.email,
                        "role": role,
                        "skills": sorted(skills),
                        "tenants": sorted(tenant_slugs),
                    },
                    actor=(None, "system"),
                )
        return (
            f"added {role} {account.email} ({len(tenant_ids)} tenant(s), skills: {', '.join(sorted(skills)) or 'none'})"
        )
    finally:
        await engine.dispose()


async def ensure_demo_staff(settings: Settings) -> list[str]:
    """The demo's provider admin and agent, assigned to every tenant; left alone when present."""
    engine = make_engine(settings.database_url, pool_size=1)
    sessionmaker = make_sessionmaker(engine)
    lines = []
    try:
        async with sessionmaker() as session:
            slugs = list((await session.execute(select(Tenant.slug).order_by(Tenant.slug))).scalars())
            existing = {email for email, *_ in DEMO_STAFF if await find_account_by_email(session, email)}
        for email, name, role, skills in DEMO_STAFF:
            if email in existing:
                lines.append(f"staff {email}: unchanged")
                continue
            await add_staff(
                settings,
                email=email,
                role=role.value,
                name=name,
                password=DEMO_PASSWORD,
                skills=skills,
                tenant_slugs=slugs,
                capacity=5,
            )
            lines.append(f"staff {email}: created ({role.value}, password {DEMO_PASSWORD})")
    finally:
        await engine.dispose()
    return lines
