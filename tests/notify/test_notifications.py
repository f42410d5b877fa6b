"""In-app notifications: ``notify()`` as other domains call it, and ``/api/v1/notifications`` for their readers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from uuid import UUID, uuid4

from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.identity.models import AccountStatus
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.email import QUEUE as EMAIL_QUEUE
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import get_settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import Notification
from bo_saas.notify.notifications import notify
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user


async def add_notification(
    admin_session: AsyncSession, tenant_id: UUID, recipient_id: UUID, title: str, *, minutes_ago: int = 0, read=False
) -> Notification:
    now = utc_now()
    row = Notification(
        id=uuid4(),
        tenant_id=tenant_id,
        recipient_id=recipient_id,
        kind="work_item.state_changed",
        title=title,
        body=f"{title}: details",
        created_at=now - timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )
    await save(admin_session, row)
    return row


async def test_notify_writes_one_row_per_recipient_and_emails_the_active_ones(
    worker_environment,
    tmp_path: Path,
    job_broker: RedisBroker,
    job_worker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    admin_session: AsyncSession,
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN, email="ada@example.test")
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER, email="bob@example.test")
    gone = await client_user(admin_session, tenant, Role.CLIENT_MEMBER, status=AccountStatus.DEACTIVATED)
    work_item_id = uuid4()

    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        await notify(
            session,
            tenant_id=tenant.id,
            recipient_ids=iter([member.id, admin.id, member.id, gone.id]),
            kind="sla.warning",
            title="SLA warning: INV-42",
            body="INV-42 is due in 30 minutes.",
            work_item_id=work_item_id,
            email=True,
        )
        await session.commit()
    await wait_for_relays()
    await asyncio.to_thread(job_broker.join, EMAIL_QUEUE, timeout=15_000)

    rows = (await admin_session.scalars(select(Notification))).all()
    assert sorted(r.recipient_id for r in rows) == sorted([admin.id, member.id, gone.id])
    assert {(r.tenant_id, r.kind, r.title, r.body, r.work_item_id, r.read_at) for r in rows} == {
        (tenant.id, "sla.warning", "SLA warning: INV-42", "INV-42 is due in 30 minutes.", work_item_id, None)
    }
    emails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in (tmp_path / "mail").glob("*.eml")]
    assert sorted(e["To"] for e in emails) == ["ada@example.test", "bob@example.test"]
    assert {e["Subject"] for e in emails} == {"SLA warning: INV-42"}
    link = get_settings().web_url(f"/portal/items/{work_item_id}")  # clients open it in the portal
    assert {e.get_content().strip() for e in emails} == {f"INV-42 is due in 30 minutes.\n\nOpen it: {link}"}


async def test_notify_without_email_queues_nothing(
    runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)

    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        await notify(session, tenant_id=tenant.id, recipient_ids=[member.id], kind="k", title="t", body="b")
        await notify(session, tenant_id=tenant.id, recipient_ids=[], kind="k", title="nobody", body="b")
        await session.commit()

    assert await admin_session.scalar(select(func.count()).select_from(Notification)) == 1
    assert await admin_session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_list_shows_only_the_callers_own_notifications_newest_first(app, client, admin_session: AsyncSession):
    tenant, other_tenant = TenantFactory(), TenantFactory()
    await save(admin_session, tenant, other_tenant)
    me = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    colleague = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    stranger = await client_user(admin_session, other_tenant, Role.CLIENT_MEMBER)
    old = await add_notification(admin_session, tenant.id, me.id, "old", minutes_ago=10, read=True)
    new = await add_notification(admin_session, tenant.id, me.id, "new", minutes_ago=1)
    await add_notification(admin_session, tenant.id, colleague.id, "the colleague's")
    await add_notification(admin_session, other_tenant.id, stranger.id, "another tenant's")
    headers = bearer(app, me, Role.CLIENT_MEMBER, tenant.id)

    listed = (await client.get("/api/v1/notifications", headers=headers)).json()
    unread = (await client.get("/api/v1/notifications?unread=true", headers=headers)).json()
    count = (await client.get("/api/v1/notifications/unread-count", headers=headers)).json()
    paged = (await client.get("/api/v1/notifications?limit=1&offset=5", headers=headers)).json()

    assert [n["id"] for n in listed["items"]] == [str(new.id), str(old.id)]
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 50, 0)
    assert listed["items"][0] == {
        "id": str(new.id),
        "tenant_id": str(tenant.id),
        "kind": "work_item.state_changed",
        "title": "new",
        "body": "new: details",
        "work_item_id": None,
        "created_at": listed["items"][0]["created_at"],
        "read_at": None,
    }
    assert ([n["id"] for n in unread["items"]], unread["total"]) == ([str(new.id)], 1)
    assert count == {"unread": 1}
    assert (paged["items"], paged["total"]) == ([], 2)


async def test_marking_read_touches_only_the_callers_own_notification(app, client, admin_session: AsyncSession):
    tenant, other_tenant = TenantFactory(), TenantFactory()
    await save(admin_session, tenant, other_tenant)
    me = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    colleague = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    stranger = await client_user(admin_session, other_tenant, Role.CLIENT_MEMBER)
    mine = await add_notification(admin_session, tenant.id, me.id, "mine")
    theirs = await add_notification(admin_session, tenant.id, colleague.id, "theirs")
    elsewhere = await add_notification(admin_session, other_tenant.id, stranger.id, "elsewhere")
    headers = bearer(app, me, Role.CLIENT_MEMBER, tenant.id)

    read = await client.post(f"/api/v1/notifications/{mine.id}/read", headers=headers)
    read_again = await client.post(f"/api/v1/notifications/{mine.id}/read", headers=headers)
    colleagues = await client.post(f"/api/v1/notifications/{theirs.id}/read", headers=headers)
    other_tenants = await client.post(f"/api/v1/notifications/{elsewhere.id}/read", headers=headers)

    assert read.status_code == 200, read.text
    assert read.json()["id"] == str(mine.id) and read.json()["read_at"] is not None
    # Reading again keeps when it was first read.
    assert read_again.json()["read_at"] == read.json()["read_at"]
    assert (colleagues.status_code, other_tenants.status_code) == (404, 404)
    unread = set((await admin_session.scalars(select(Notification.title).where(Notification.read_at.is_(None)))).all())
    assert unread == {"theirs", "elsewhere"}


async def test_read_all_marks_only_the_callers_unread_notifications(app, client, admin_session: AsyncSession):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    me = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    colleague = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    for title in ("one", "two"):
        await add_notification(admin_session, tenant.id, me.id, title)
    await add_notification(admin_session, tenant.id, me.id, "already read", read=True)
    await add_notification(admin_session, tenant.id, colleague.id, "theirs")
    headers = bearer(app, me, Role.CLIENT_ADMIN, tenant.id)

    marked = await client.post("/api/v1/notifications/read-all", headers=headers)

    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 2}
    assert (await client.get("/api/v1/notifications/unread-count", headers=headers)).json() == {"unread": 0}
    unread = (await admin_session.scalars(select(Notification.title).where(Notification.read_at.is_(None)))).all()
    assert unread == ["theirs"]


async def test_staff_see_their_notifications_in_the_tenants_they_are_assigned_to(
    app, client, admin_session: AsyncSession
):
    a, b, unassigned = TenantFactory(), TenantFactory(), TenantFactory()
    await save(admin_session, a, b, unassigned)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(a, b))
    in_a = await add_notification(admin_session, a.id, agent.id, "in a", minutes_ago=2)
    in_b = await add_notification(admin_session, b.id, agent.id, "in b", minutes_ago=1)
    # Left from an assignment that has ended: out of the agent's scope now.
    await add_notification(admin_session, unassigned.id, agent.id, "in unassigned")
    headers = bearer(app, agent, Role.PROVIDER_AGENT)

    everywhere = (await client.get("/api/v1/notifications", headers=headers)).json()
    only_a = (await client.get("/api/v1/notifications", headers={**headers, "X-Tenant": a.slug})).json()

    assert [n["id"] for n in everywhere["items"]] == [str(in_b.id), str(in_a.id)]
    assert [n["id"] for n in only_a["items"]] == [str(in_a.id)]


async def test_api_clients_have_no_notifications(app, client, admin_session: AsyncSession):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    caller = Caller(role=Role.CLIENT_MEMBER, api_client_id=uuid4(), tenant_id=tenant.id)
    headers = {"Authorization": f"Bearer {app.state.token_signer.issue(caller)}"}

    for method, path in [
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v1/notifications/unread-count"),
        ("POST", f"/api/v1/notifications/{uuid4()}/read"),
        ("POST", "/api/v1/notifications/read-all"),
    ]:
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 403, (method, path, response.text)
        assert "API clients" in response.json()["detail"]
