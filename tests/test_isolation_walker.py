"""The isolation walker: every route of the app, called as four callers.

For each route: its own-tenant caller succeeds; the same kind of caller aimed at
another tenant's ids (or a tenant caller aimed at a provider route) gets 404/403/400
and nothing of the other tenant, and the other tenant's rows are unchanged;
an anonymous caller gets 401; a lower role gets 403. A route of the app without an
entry in ROUTES fails ``test_every_route_has_an_isolation_entry``, so a new route
cannot ship without a policy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text

from bo_saas.audit.models import AuditEvent
from bo_saas.identity.models import ApiClient, StaffSkill
from bo_saas.identity.passwords import digest
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.storage import FileStorage, new_storage_key, storage_for
from bo_saas.notify.models import DeliveryStatus, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.server.app import create_app
from bo_saas.sla.models import SlaEvent
from bo_saas.work.models import Attachment, Comment, QaSampling, WorkState
from tests.desk import queued_item
from tests.factories import TenantFactory, client_user, save, staff_user

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


def _users(t, w):
    return "/api/v1/users"


ROUTES = [
    Entry("GET", "/api/v1/me", "client_member", lambda t, w: "/api/v1/me", cross_status=(200,)),
    # The caller's own menu: no ids in it, the same answer whichever tenant is named.
    Entry("GET", "/api/v1/navigation", "client_member", lambda t, w: "/api/v1/navigation", cross_status=(200,)),
    Entry(
        "PATCH",
        "/api/v1/me",
        "client_member",
        lambda t, w: "/api/v1/me",
        body=lambda t, w: {"locale": "ar"},
        cross_status=(200,),
    ),
    Entry("GET", "/api/v1/users", "client_admin", _users, lower="client_member", cross_status=(200,)),
    Entry(
        "POST",
        "/api/v1/users",
        "client_admin",
        _users,
        own_status=201,
        lower="client_member",
        body=lambda t, w: {"email": f"new-{uuid4().hex[:8]}@example.test", "name": "New Person"},
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET",
        "/api/v1/users/{user_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/users/{t.member.id}",
        lower="client_member",
    ),
    Entry(
        "PATCH",
        "/api/v1/users/{user_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/users/{t.member.id}",
        body=lambda t, w: {"name": "Renamed"},
        lower="client_member",
    ),
    Entry(
        "GET",
        "/api/v1/api-clients",
        "client_admin",
        lambda t, w: "/api/v1/api-clients",
        lower="client_member",
        cross_status=(200,),
    ),
    Entry(
        "POST",
        "/api/v1/api-clients",
        "client_admin",
        lambda t, w: "/api/v1/api-clients",
        own_status=201,
        body=lambda t, w: {"name": "ERP"},
        lower="client_member",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET",
        "/api/v1/api-clients/{api_client_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/api-clients/{t.api_client_id}",
        lower="client_member",
    ),
    Entry(
        "DELETE",
        "/api/v1/api-clients/{api_client_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/api-clients/{t.api_client_id}",
        own_status=204,
        lower="client_member",
    ),
    Entry("GET", "/api/v1/tenants", "client_member", lambda t, w: "/api/v1/tenants", cross_status=(200,)),
    Entry(
        "POST",
        "/api/v1/tenants",
        "provider_admin",
        lambda t, w: "/api/v1/tenants",
        own_status=201,
        body=lambda t, w: {"slug": f"new-{uuid4().hex[:8]}", "name": "New Co", "timezone": "UTC"},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry("GET", "/api/v1/tenants/{tenant_id:uuid}", "client_member", lambda t, w: f"/api/v1/tenants/{t.tenant.id}"),
    Entry(
        "PATCH",
        "/api/v1/tenants/{tenant_id:uuid}",
        "provider_admin",
        lambda t, w: f"/api/v1/tenants/{t.tenant.id}",
        body=lambda t, w: {"name": "Renamed Co"},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/tenants/{tenant_id:uuid}/suspend",
        "provider_admin",
        lambda t, w: f"/api/v1/tenants/{t.tenant.id}/suspend",
        body=lambda t, w: {"reason": "unpaid"},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/tenants/{tenant_id:uuid}/reactivate",
        "provider_admin",
        lambda t, w: f"/api/v1/tenants/{t.tenant.id}/reactivate",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/staff",
        "provider_admin",
        lambda t, w: "/api/v1/staff",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/staff",
        "provider_admin",
        lambda t, w: "/api/v1/staff",
        own_status=201,
        body=lambda t, w: {"email": f"s-{uuid4().hex[:8]}@provider.test", "name": "S", "tenants": [t.tenant.slug]},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/staff/{staff_id:uuid}",
        "provider_admin",
        lambda t, w: f"/api/v1/staff/{w.agent.id}",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "PATCH",
        "/api/v1/staff/{staff_id:uuid}",
        "provider_admin",
        lambda t, w: f"/api/v1/staff/{w.agent.id}",
        body=lambda t, w: {"capacity": 7},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/skills",
        "provider_admin",
        lambda t, w: "/api/v1/skills",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/audit-events",
        "client_admin",
        lambda t, w: "/api/v1/audit-events",
        lower="client_member",
        cross_status=(200,),
    ),
    # work: service catalog, work items, queue, QA
    Entry(
        "GET",
        "/api/v1/service-types",
        "client_member",
        lambda t, w: "/api/v1/service-types",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
    ),
    Entry("GET", "/api/v1/work-items", "client_member", lambda t, w: "/api/v1/work-items", cross_status=(200,)),
    Entry(
        "POST",
        "/api/v1/work-items",
        "client_member",
        lambda t, w: "/api/v1/work-items",
        body=lambda t, w: {"service_type": "data_entry", "title": "Key it", "payload": {"source": "a PDF"}},
        own_status=201,
        lower="agent",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET", "/api/v1/work-items/{item_id:uuid}", "client_member", lambda t, w: f"/api/v1/work-items/{t.work['item']}"
    ),
    Entry(
        "PATCH",
        "/api/v1/work-items/{item_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}",
        body=lambda t, w: {"shared": True},
        lower="client_member",
    ),
    Entry(
        "GET",
        "/api/v1/work-items/{item_id:uuid}/transitions",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/transitions",
    ),
    Entry(
        "POST",
        "/api/v1/work-items/{item_id:uuid}/transitions",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/transitions",
        body=lambda t, w: {"to": "cancelled", "reason": "not needed"},
    ),
    Entry(
        "GET",
        "/api/v1/work-items/{item_id:uuid}/comments",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/comments",
    ),
    Entry(
        "POST",
        "/api/v1/work-items/{item_id:uuid}/comments",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/comments",
        body=lambda t, w: {"body": "Any news?"},
        own_status=201,
    ),
    Entry(
        "POST",
        "/api/v1/work-items/{item_id:uuid}/answer",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['waiting']}/answer",
        body=lambda t, w: {"body": "Here it is"},
        lower="agent",
    ),
    Entry(
        "POST",
        "/api/v1/work-items/{item_id:uuid}/review",
        "agent",
        lambda t, w: f"/api/v1/work-items/{t.work['in_review']}/review",
        body=lambda t, w: {"verdict": "accept"},
        own_status=201,
        lower="client_admin",
    ),
    Entry(
        "PUT",
        "/api/v1/work-items/{item_id:uuid}/assignee",
        "provider_admin",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/assignee",
        body=lambda t, w: {"assignee_id": str(w.agent.id)},
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/queue/claim",
        "agent",
        lambda t, w: "/api/v1/queue/claim",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        lower="client_admin",
        cross_status=(204,),
    ),
    Entry("GET", "/api/v1/queue", "agent", lambda t, w: "/api/v1/queue", lower="client_admin", cross_status=(200,)),
    Entry(
        "GET",
        "/api/v1/qa/sampling",
        "agent",
        lambda t, w: "/api/v1/qa/sampling",
        lower="client_admin",
        cross_status=(200,),
    ),
    Entry(
        "PUT",
        "/api/v1/qa/sampling",
        "provider_admin",
        lambda t, w: "/api/v1/qa/sampling",
        body=lambda t, w: {"service_type": "data_entry", "sample_percent": 50},
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/qa/reviews",
        "agent",
        lambda t, w: "/api/v1/qa/reviews",
        lower="client_admin",
        cross_status=(200,),
    ),
    Entry(
        "GET",
        "/api/v1/qa/quality",
        "provider_admin",
        lambda t, w: "/api/v1/qa/quality",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    # sla: policies, calendar, the board
    Entry(
        "GET",
        "/api/v1/sla/policies",
        "provider_admin",
        lambda t, w: "/api/v1/sla/policies",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "PUT",
        "/api/v1/sla/policies/{plan:str}/{service_type:str}/{priority:str}",
        "provider_admin",
        lambda t, w: "/api/v1/sla/policies/growth/support/urgent",
        body=lambda t, w: {"first_response_minutes": 10, "resolution_minutes": 100},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "DELETE",
        "/api/v1/sla/policies/{plan:str}/{service_type:str}/{priority:str}",
        "provider_admin",
        lambda t, w: "/api/v1/sla/policies/growth/support/urgent",
        own_status=204,
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/sla/calendar",
        "client_member",
        lambda t, w: "/api/v1/sla/calendar",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
    ),
    Entry(
        "PUT",
        "/api/v1/sla/calendar",
        "client_admin",
        lambda t, w: "/api/v1/sla/calendar",
        body=lambda t, w: {"weekly_hours": {"sun": ["09:00-17:00"]}, "holidays": ["2026-12-02"]},
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        lower="client_member",
        cross_status=(400,),
    ),
    Entry("GET", "/api/v1/sla/events", "client_member", lambda t, w: "/api/v1/sla/events", cross_status=(200,)),
    # sla: reports
    Entry(
        "GET",
        "/api/v1/sla/reports",
        "client_member",
        lambda t, w: "/api/v1/sla/reports",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(200,),
    ),
    # notify: webhooks and notifications
    Entry(
        "GET",
        "/api/v1/webhooks",
        "client_admin",
        lambda t, w: "/api/v1/webhooks",
        lower="client_member",
        cross_status=(200,),
    ),
    Entry(
        "POST",
        "/api/v1/webhooks",
        "client_admin",
        lambda t, w: "/api/v1/webhooks",
        own_status=201,
        body=lambda t, w: {"url": "https://hooks.example.test/new"},
        lower="client_member",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET",
        "/api/v1/webhooks/{webhook_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}",
        lower="client_member",
    ),
    Entry(
        "PATCH",
        "/api/v1/webhooks/{webhook_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}",
        body=lambda t, w: {"description": "Renamed"},
        lower="client_member",
    ),
    Entry(
        "DELETE",
        "/api/v1/webhooks/{webhook_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}",
        own_status=204,
        lower="client_member",
    ),
    Entry(
        "POST",
        "/api/v1/webhooks/{webhook_id:uuid}/rotate-secret",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/rotate-secret",
        lower="client_member",
    ),
    Entry(
        "GET",
        "/api/v1/webhooks/{webhook_id:uuid}/deliveries",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/deliveries",
        lower="client_member",
    ),
    Entry(
        "POST",
        "/api/v1/webhooks/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/deliveries/{t.delivery_id}/retry",
        own_status=202,
        lower="client_member",
    ),
    Entry(
        "POST",
        "/api/v1/webhooks/{webhook_id:uuid}/ping",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/ping",
        own_status=202,
        lower="client_member",
    ),
    Entry("GET", "/api/v1/notifications", "client_member", lambda t, w: "/api/v1/notifications", cross_status=(200,)),
    Entry(
        "GET",
        "/api/v1/notifications/unread-count",
        "client_member",
        lambda t, w: "/api/v1/notifications/unread-count",
        cross_status=(200,),
    ),
    Entry(
        "POST",
        "/api/v1/notifications/{notification_id:uuid}/read",
        "client_member",
        lambda t, w: f"/api/v1/notifications/{t.notification_id}/read",
    ),
    Entry(
        "POST",
        "/api/v1/notifications/read-all",
        "client_member",
        lambda t, w: "/api/v1/notifications/read-all",
        cross_status=(200,),
    ),
    # work: attachments
    Entry(
        "GET",
        "/api/v1/work-items/{item_id:uuid}/attachments",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/attachments",
    ),
    Entry(
        "POST",
        "/api/v1/work-items/{item_id:uuid}/attachments",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/attachments",
        files={"file": ("walk.pdf", b"%PDF-1.4 uploaded in the walk\n", "application/pdf")},
        own_status=201,
    ),
    Entry(
        "GET",
        "/api/v1/work-items/{item_id:uuid}/attachments/{attachment_id:uuid}",
        "client_member",
        lambda t, w: f"/api/v1/work-items/{t.work['item']}/attachments/{t.attachment_id}",
    ),
]


def _app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue  # the OpenAPI document, public by design
        for method in getattr(route, "methods", ()):
            if method not in ("OPTIONS", "HEAD"):
                found.add((method, route.path))
    return found


def test_every_route_has_an_isolation_entry(settings):
    app = create_app(settings)
    covered = {(e.method, e.path) for e in ROUTES} | ANONYMOUS_ROUTES
    missing = sorted(_app_routes(app) - covered)
    assert not missing, f"routes without an isolation-walker entry: {missing}"
    stale = sorted(covered - _app_routes(app))
    assert not stale, f"walker entries for routes that no longer exist: {stale}"


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


async def _world(session, storage: FileStorage) -> World:
    a, b = await _tenant_world(session), await _tenant_world(session)
    provider_admin = await staff_user(session, Role.PROVIDER_ADMIN)
    agent = await staff_user(session, Role.PROVIDER_AGENT, tenants=(a.tenant,))
    await save(session, StaffSkill(account_id=agent.id, skill_code="data_entry"))
    for tenant_world in (a, b):
        await _work_world(session, tenant_world, assignee=provider_admin)
        await _attachment_world(session, tenant_world, storage)
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


@pytest.mark.parametrize("entry", ROUTES, ids=lambda e: f"{e.method} {e.path}")
async def test_route_keeps_tenants_apart(entry: Entry, app, client, admin_session):
    world = await _world(admin_session, storage_for(app.state.settings))
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
