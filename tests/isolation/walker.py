"""The isolation walker's engine: the worlds it builds, the route table it collects, and one walk.

For each route: its own-tenant caller succeeds; the same kind of caller aimed at
another tenant's ids (or a tenant caller aimed at a provider route) gets 404/403/400
and nothing of the other tenant, and the other tenant's rows are unchanged;
an anonymous caller gets 401; a lower role gets 403.

The route table is collected, not kept here: every ``routes_<domain>.py`` in this
package exports ``ROUTES`` (and may export ``seed(session, tenant_world)`` for rows
of its own), so a new domain adds one fragment file. A domain mounted only in
tests (``EXTRA_DOMAINS``, such as the test desk) keeps its fragment beside it, in
``<package>.isolation``, and is walked on an app built with it.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import pkgutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from uuid import uuid4

from sqlalchemy import text

from bo_saas.audit.models import AuditEvent
from bo_saas.identity.models import ApiClient, StaffSkill
from bo_saas.identity.passwords import digest
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.storage import FileStorage, new_storage_key, storage_for
from bo_saas.notify.models import DeliveryStatus, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.sla.models import SlaEvent
from bo_saas.work.models import Attachment, Comment, QaSampling, WorkState
from tests.desk import queued_item
from tests.factories import TenantFactory, client_user, save, staff_user

# Domains tests mount beside the shipped ones (``registry([...])``); a fragment is ``<package>.isolation``.
EXTRA_DOMAINS = ("tests.testdesk.domain",)
FRAGMENT_PREFIX = "routes_"

ANONYMOUS_ROUTES = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    # The web app's files (server/web_app.py): public, like a login page; data only comes from /api.
    ("GET", "/"),
    ("GET", "/{path:path}"),
    ("GET", "/assets/{file_path:path}"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/revoke"),
    ("POST", "/api/v1/auth/invitations/accept"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    # Support: a mail service posts signed raw mail (the channel's signature is the credential), and a
    # customer rates a done ticket through a signed link; tests/support proves both keep tenants apart.
    ("POST", "/api/v1/support/inbound/{channel_id:uuid}"),
    ("GET", "/csat/{token:str}"),
    ("POST", "/csat/{token:str}"),
    # Billing: Stripe posts signed events (the webhook secret's signature is the credential); the tenant
    # comes from our own rows, never the body. tests/billing/test_payments_events.py proves it.
    ("POST", "/api/v1/billing/stripe/events"),
}


@dataclass
class TenantWorld:
    tenant: Any
    admin: Any
    member: Any
    api_client_id: Any
    webhook_id: Any
    delivery_id: Any
    notification_id: Any
    work: dict[str, Any] = field(default_factory=dict)  # work-item ids by role in the walk (see _work_world)
    attachment_id: Any = None  # a file on work["item"] (see _attachment_world)

    def ids(self) -> set[str]:
        own = {str(self.tenant.id), str(self.admin.id), str(self.member.id), str(self.api_client_id)}
        own |= {str(self.webhook_id), str(self.delivery_id), str(self.notification_id)}
        own |= {str(self.attachment_id)} if self.attachment_id else set()
        return own | {str(i) for i in self.work.values()}


@dataclass
class World:
    a: TenantWorld
    b: TenantWorld
    provider_admin: Any
    agent: Any  # assigned to tenant a only


@dataclass
class Entry:
    method: str
    path: str  # the app's route template
    caller: str  # client_admin, client_member, agent, provider_admin
    url: Callable[[TenantWorld, World], str]
    body: Callable[[TenantWorld, World], Any] | None = None
    own_status: int = 200
    lower: str | None = None  # a caller that must be refused with 403
    # Who aims at the other tenant: by default the same kind of caller as `caller`.
    cross_caller: str | None = None
    cross_status: tuple[int, ...] = (404,)
    form: bool = False
    files: dict | None = None  # multipart files (httpx's files=), sent with the body as form fields
    headers: Callable[[TenantWorld, World], dict] = field(default=lambda t, w: {})


def _app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue  # the OpenAPI document, public by design
        for method in getattr(route, "methods", ()):
            if method not in ("OPTIONS", "HEAD"):
                found.add((method, route.path))
    return found


async def _tenant_world(session) -> TenantWorld:
    tenant = TenantFactory()
    await save(session, tenant)
    admin = await client_user(session, tenant, Role.CLIENT_ADMIN)
    member = await client_user(session, tenant, Role.CLIENT_MEMBER)
    api_client = ApiClient(id=uuid4(), tenant_id=tenant.id, name="sync", secret_hash=digest("s"))
    session.add(api_client)
    session.add(AuditEvent(tenant_id=tenant.id, actor_kind="system", action="seeded", changes={}))
    webhook = WebhookEndpoint(id=uuid4(), tenant_id=tenant.id, url="https://hooks.example.test/bo", secret="whsec_s")
    session.add(webhook)
    await session.flush()
    # Failed, so the own-tenant retry succeeds.
    delivery = WebhookDelivery(
        id=uuid4(), tenant_id=tenant.id, endpoint_id=webhook.id, event="work_item.created", payload={},
        status=DeliveryStatus.FAILED, attempts=1,
    )  # fmt: skip
    session.add(delivery)
    await session.flush()
    session.add(WebhookAttempt(tenant_id=tenant.id, delivery_id=delivery.id, status_code=500, duration_ms=5))
    notification = Notification(
        id=uuid4(), tenant_id=tenant.id, recipient_id=member.id, kind="sla.warning", title="Due soon", body="Soon"
    )
    session.add(notification)
    await session.commit()
    return TenantWorld(
        tenant,
        admin,
        member,
        api_client.id,
        webhook_id=webhook.id,
        delivery_id=delivery.id,
        notification_id=notification.id,
    )


async def _world(session, storage: FileStorage, seeds: Sequence[Seed] = ()) -> World:
    a, b = await _tenant_world(session), await _tenant_world(session)
    provider_admin = await staff_user(session, Role.PROVIDER_ADMIN)
    agent = await staff_user(session, Role.PROVIDER_AGENT, tenants=(a.tenant,))
    await save(session, StaffSkill(account_id=agent.id, skill_code="data_entry"))
    for tenant_world in (a, b):
        await _work_world(session, tenant_world, assignee=provider_admin)
        await _attachment_world(session, tenant_world, storage)
        for seed in seeds:  # the fragments' own rows, after the work items they may hang on
            await seed(session, tenant_world)
    return World(a, b, provider_admin, agent)


async def _work_world(session, t: TenantWorld, assignee) -> None:
    """Per tenant: a queued item, one waiting on the client, one in review, with a comment and an SLA event."""
    queued = queued_item(t.tenant, requester_id=t.member.id)
    waiting = queued_item(t.tenant, requester_id=t.member.id, state=WorkState.WAITING_ON_CLIENT)
    waiting.assignee_id = assignee.id
    in_review = queued_item(t.tenant, requester_id=t.member.id, state=WorkState.IN_REVIEW)
    in_review.assignee_id = assignee.id
    session.add_all([queued, waiting, in_review])
    await session.flush()
    comment = Comment(
        id=uuid4(), tenant_id=t.tenant.id, work_item_id=queued.id, author_kind="account", author_name="A", body="hi"
    )
    event = SlaEvent(
        id=uuid4(), tenant_id=t.tenant.id, work_item_id=queued.id, clock="first_response", kind="breach",
        due_at=queued.first_response_due_at, recorded_at=queued.first_response_due_at, detected_by="sweeper",
    )  # fmt: skip
    sampling = QaSampling(tenant_id=t.tenant.id, service_type="data_entry", sample_percent=10)
    await save(session, comment, event, sampling)
    t.work.update(item=queued.id, waiting=waiting.id, in_review=in_review.id, comment=comment.id, sla_event=event.id)


WALK_PDF = b"%PDF-1.4 isolation walk\n"


async def _attachment_world(session, t: TenantWorld, storage: FileStorage) -> None:
    """Per tenant: a file on the queued item, its bytes in the test storage (the download route reads them)."""
    key = new_storage_key(t.tenant.id)
    await storage.save(key, WALK_PDF)
    attachment = Attachment(
        id=uuid4(), tenant_id=t.tenant.id, work_item_id=t.work["item"], filename="walk.pdf",
        content_type="application/pdf", size_bytes=len(WALK_PDF), sha256=hashlib.sha256(WALK_PDF).hexdigest(),
        storage_key=key, uploaded_by=t.member.id, uploader_kind="account",
    )  # fmt: skip
    await save(session, attachment)
    t.attachment_id = attachment.id


def _headers(app, world: World, tenant: TenantWorld, who: str) -> dict[str, str]:
    callers = {
        "client_admin": Caller(role=Role.CLIENT_ADMIN, account_id=tenant.admin.id, tenant_id=tenant.tenant.id),
        "client_member": Caller(role=Role.CLIENT_MEMBER, account_id=tenant.member.id, tenant_id=tenant.tenant.id),
        "agent": Caller(role=Role.PROVIDER_AGENT, account_id=world.agent.id),
        "provider_admin": Caller(role=Role.PROVIDER_ADMIN, account_id=world.provider_admin.id),
    }
    return {"Authorization": f"Bearer {app.state.token_signer.issue(callers[who])}"}


async def _snapshot_of(admin_session, tenant_id) -> dict[str, list]:
    """Every row that belongs to the tenant, in every tenant-owned table, plus its tenant row."""
    tables = (
        (
            await admin_session.execute(
                text(
                    "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' "
                    "AND table_schema = 'public' ORDER BY table_name"
                )
            )
        )
        .scalars()
        .all()
    )
    snapshot = {}
    for table in tables:
        rows = await admin_session.execute(
            text(f"SELECT * FROM {table} WHERE tenant_id = :t ORDER BY 1, 2"), {"t": tenant_id}
        )
        snapshot[table] = [tuple(r) for r in rows]
    rows = await admin_session.execute(text("SELECT * FROM tenants WHERE id = :t"), {"t": tenant_id})
    snapshot["tenants"] = [tuple(r) for r in rows]
    await admin_session.commit()
    return snapshot


async def _call(client, entry: Entry, url: str, headers: dict, body):
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["data" if entry.form or entry.files else "json"] = body
    if entry.files is not None:
        kwargs["files"] = entry.files
    return await client.request(entry.method, url, **kwargs)


Seed = Callable[[Any, "TenantWorld"], Awaitable[None]]


def fragments() -> list[ModuleType]:
    """Every ``routes_<domain>`` module of this package, in name order."""
    package = importlib.import_module(__package__)
    names = sorted(
        info.name for info in pkgutil.iter_modules(package.__path__) if info.name.startswith(FRAGMENT_PREFIX)
    )
    return [importlib.import_module(f"{__package__}.{name}") for name in names]


def extra_fragments() -> list[ModuleType]:
    """The fragments of the test-only domains that exist in this checkout."""
    found = []
    for domain in EXTRA_DOMAINS:
        fragment = domain.rsplit(".", 1)[0] + ".isolation"
        if importlib.util.find_spec(domain) is not None and importlib.util.find_spec(fragment) is not None:
            found.append(importlib.import_module(fragment))
    return found


def routes_of(modules: Sequence[ModuleType]) -> list[Entry]:
    return [entry for module in modules for entry in module.ROUTES]


def seeds_of(modules: Sequence[ModuleType]) -> list[Seed]:
    return [module.seed for module in modules if hasattr(module, "seed")]


def uncovered(app, entries: Sequence[Entry]) -> tuple[list, list]:
    """Routes of the app without an entry, and entries for routes the app does not have."""
    covered = {(e.method, e.path) for e in entries} | ANONYMOUS_ROUTES
    routes = _app_routes(app)
    return sorted(routes - covered), sorted(covered - routes)


async def walk(entry: Entry, app, client, admin_session, seeds: Sequence[Seed] = ()) -> None:
    """Call the entry's route as the four callers and check what each may and may not do and see."""
    world = await _world(admin_session, storage_for(app.state.settings), seeds)
    a, b = world.a, world.b
    before = await _snapshot_of(admin_session, b.tenant.id)

    # Anonymous: no token, no entry.
    anonymous = await _call(
        client, entry, entry.url(a, world), entry.headers(a, world), entry.body and entry.body(a, world)
    )
    assert anonymous.status_code == 401, anonymous.text

    # A lower role is refused, and the refusal says why.
    if entry.lower:
        lower = await _call(
            client,
            entry,
            entry.url(a, world),
            {**_headers(app, world, a, entry.lower), **entry.headers(a, world)},
            entry.body and entry.body(a, world),
        )
        assert lower.status_code == 403, lower.text
        assert lower.json()["detail"]

    # The other tenant: tenant A's caller aimed at tenant B's ids (and B named in X-Tenant).
    cross_who = entry.cross_caller or entry.caller
    cross = await _call(
        client,
        entry,
        entry.url(b, world),
        {**_headers(app, world, a, cross_who), **entry.headers(b, world)},
        entry.body and entry.body(b, world),
    )
    assert cross.status_code in entry.cross_status, f"{cross.status_code}: {cross.text}"
    leaked = {i for i in b.ids() if i in cross.text}
    assert not leaked, f"tenant B's ids in the answer to tenant A: {leaked}"
    assert await _snapshot_of(admin_session, b.tenant.id) == before, "tenant B's rows changed"

    # Own tenant: the route does its job.
    own = await _call(
        client,
        entry,
        entry.url(a, world),
        {**_headers(app, world, a, entry.caller), **entry.headers(a, world)},
        entry.body and entry.body(a, world),
    )
    assert own.status_code == entry.own_status, own.text
    if entry.caller.startswith("client"):
        assert not {i for i in b.ids() if i in own.text}, "tenant B's ids in tenant A's own answer"
    assert await _snapshot_of(admin_session, b.tenant.id) == before, "tenant B's rows changed"
