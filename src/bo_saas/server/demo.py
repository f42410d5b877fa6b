"""What ``bo-saas demo`` adds to the demo tenants: sample requests, and a banner of who can sign in.

The sample requests go through the same services the API uses (create, assign,
ask, reply, finish), so their SLA clocks, history, notifications and webhooks
are what real work would have. A tenant that has any request already is left
alone: a second ``demo`` run adds none.
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.accounts import find_account_by_email
from bo_saas.identity.models import Membership
from bo_saas.identity.staff_cli import DEMO_PASSWORD, DEMO_STAFF
from bo_saas.lib.broker import current_broker, setup_broker
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import make_engine, make_sessionmaker, set_scope
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant
from bo_saas.work.items import add_comment, assign, create_item, request_transition
from bo_saas.work.models import Priority, WorkItem, WorkState

S = WorkState
DEMO_ADMIN, DEMO_AGENT = (email for email, *_ in DEMO_STAFF)


@dataclass(frozen=True)
class SampleRequest:
    """A request as a client member sends it, and how far the provider has taken it."""

    service_type: str
    title: str
    payload: dict[str, Any]
    state: WorkState  # queued, in_progress, waiting_on_client or done
    priority: Priority = Priority.NORMAL
    question: str = ""  # the agent's question, for waiting_on_client
    replies: tuple[str, ...] = field(default=())  # the agent's public replies before finishing, for done


SAMPLE_REQUESTS: dict[str, tuple[SampleRequest, ...]] = {
    "acme": (
        SampleRequest(
            "data_entry", "Key in the March supplier invoices",
            {"source": "Scanned supplier invoices, March (shared folder)", "record_count": 214}, S.QUEUED,
        ),
        SampleRequest(
            "support", "Answer customer emails about late deliveries",
            {"channel": "email", "message": "About 40 customers asked where their orders are."}, S.IN_PROGRESS,
            priority=Priority.HIGH,
        ),
        SampleRequest(
            "inventory_check", "Quarterly stock count, Riyadh warehouse",
            {"location": "riyadh", "item_count": 340}, S.WAITING_ON_CLIENT,
            question="Should the count include goods in transit from Jeddah?",
        ),
        SampleRequest(
            "support", "Refund requests from the spring sale",
            {"channel": "chat", "message": "Twelve customers asked for refunds on sale items."}, S.DONE,
            replies=("All twelve refunds are processed; the customers have their confirmations.",),
        ),
    ),
    "globex": (
        SampleRequest(
            "bookkeeping", "Book the February bank statement",
            {"period": "2026-02", "task": "book_documents", "document_count": 86}, S.QUEUED,
        ),
        SampleRequest(
            "hr", "Onboard Lena Fischer",
            {"request": "hire", "employee": "Lena Fischer", "details": "Starts as a buyer in purchasing."},
            S.IN_PROGRESS,
        ),
        SampleRequest(
            "bookkeeping", "Reconcile the January supplier accounts",
            {"period": "2026-01", "task": "reconcile"}, S.WAITING_ON_CLIENT,
            question="Two invoices from Müller AG have no purchase order. Were they approved?",
        ),
        SampleRequest(
            "hr", "Update bank details for two employees",
            {"request": "change", "details": "New IBANs for Jonas Weber and Eva Klein from next payroll."}, S.DONE,
            replies=("Both IBANs are changed and take effect with the next payroll run.",),
        ),
    ),
}  # fmt: skip


def add_sample_requests(settings: Settings) -> list[str]:
    """Give each demo tenant without requests its samples; one line per tenant saying what was done."""
    try:
        current_broker()
    except RuntimeError:
        setup_broker(settings.redis_url)  # notifications and webhooks go out through the outbox
    return asyncio.run(_add_sample_requests(settings))


async def _add_sample_requests(settings: Settings) -> list[str]:
    engine = make_engine(settings.database_url, pool_size=1)
    sessionmaker = make_sessionmaker(engine)
    lines = []
    try:
        for slug, samples in SAMPLE_REQUESTS.items():
            async with sessionmaker() as session:
                tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
                admin = await find_account_by_email(session, DEMO_ADMIN)
                agent = await find_account_by_email(session, DEMO_AGENT)
            if tenant is None or admin is None or agent is None:
                lines.append(f"sample requests for {slug}: skipped (no such tenant, or no demo staff)")
                continue
            async with sessionmaker() as session:
                set_scope(session, TenantScope.of(tenant.id))
                async with session.begin():
                    if await session.scalar(select(exists().where(WorkItem.tenant_id == tenant.id))):
                        lines.append(f"sample requests for {slug}: unchanged (it has requests)")
                        continue
                    requester = await _requester(session, tenant)
                    staff = (
                        Caller(Role.PROVIDER_ADMIN, account_id=admin.id),
                        Caller(Role.PROVIDER_AGENT, account_id=agent.id),
                    )
                    for sample in samples:
                        await _add(session, tenant, requester, staff, sample)
            lines.append(f"sample requests for {slug}: added {len(samples)}")
        await wait_for_relays()
    finally:
        await engine.dispose()
    return lines


async def _requester(session: AsyncSession, tenant: Tenant) -> Caller:
    """The tenant's first member, or else its first admin: the person the samples come from."""
    membership = await session.scalar(
        select(Membership)
        .where(Membership.tenant_id == tenant.id, Membership.role.in_((Role.CLIENT_MEMBER, Role.CLIENT_ADMIN)))
        .order_by(Membership.role == Role.CLIENT_ADMIN, Membership.created_at)
        .limit(1)
    )
    if membership is None:
        raise RuntimeError(f"the demo tenant {tenant.slug} has no client users")
    return Caller(membership.role, account_id=membership.account_id, tenant_id=tenant.id)


async def _add(
    session: AsyncSession, tenant: Tenant, requester: Caller, staff: tuple[Caller, Caller], sample: SampleRequest
) -> None:
    admin, agent = staff
    item = await create_item(
        session, requester, tenant, service_type=sample.service_type, title=sample.title,
        payload=sample.payload, priority=sample.priority, submit=True,
    )  # fmt: skip
    if sample.state is S.QUEUED:
        return
    await assign(session, admin, item, agent.account_id)
    if sample.state is S.WAITING_ON_CLIENT:
        await request_transition(session, agent, item, S.WAITING_ON_CLIENT, sample.question)
    elif sample.state is S.DONE:
        for reply in sample.replies:
            await add_comment(session, agent, item, reply, internal=False)
        await request_transition(session, agent, item, S.DONE, None)
    if item.state is not sample.state:  # e.g. QA sampled a finished item: pick a service QA does not sample
        raise RuntimeError(f"sample {sample.title!r} ended {item.state}, not {sample.state}")


# --- the banner ---------------------------------------------------------------------------------

_ROLE_TEXT = {
    "client_admin": "client admin of {tenant}: sends and follows all its requests, manages its users and API clients",
    "client_member": "member of {tenant}: sends requests and follows their own and shared ones",
}
_STAFF_TEXT = {
    Role.PROVIDER_ADMIN: "provider admin: onboards tenants and staff, sets SLA policies, sees and assigns all work",
    Role.PROVIDER_AGENT: "agent serving every demo tenant: claims work from the queue, asks clients, finishes it",
}


def sign_in_lines(manifests: Iterable[Path]) -> list[str]:
    """Every demo sign-in with what it can do: the demo staff, then each manifest's users with a password."""
    rows = [(email, _STAFF_TEXT[role], DEMO_PASSWORD) for email, _name, role, _skills in DEMO_STAFF]
    for path in sorted(manifests):
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
        services = [*manifest.get("services", ()), *(t["code"] for t in manifest.get("service_types", ()))]
        tenant = f"{manifest['name']} ({manifest['slug']}; {', '.join(services)})"
        for user in manifest.get("users", ()):
            if user.get("password") and user.get("role") in _ROLE_TEXT:
                rows.append((user["email"], _ROLE_TEXT[user["role"]].format(tenant=tenant), user["password"]))
    width = max(len(email) for email, *_ in rows)
    return [
        f"  {email:<{width}}  {text}" + ("" if password == DEMO_PASSWORD else f" (password {password})")
        for email, text, password in rows
    ]


def banner(url: str, manifests: Iterable[Path]) -> str:
    return "\n".join(
        [
            f"bo-saas demo on {url}  (API docs: {url}/schema; stop with Ctrl-C)",
            f"sign in with password {DEMO_PASSWORD}:",
            *sign_in_lines(manifests),
        ]
    )
