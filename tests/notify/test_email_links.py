"""Emails about a work item link to it in the web app: the portal for the client, the console for staff."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bo_saas.lib.db import scoped_session
from bo_saas.lib.email import open_sealed
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import get_settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.notifications import notify
from tests.desk import DATA_ENTRY
from tests.work.helpers import work_item


@pytest.fixture
def public_url(monkeypatch):
    monkeypatch.setenv("BO_PUBLIC_URL", "https://work.example.com")
    get_settings.cache_clear()
    yield "https://work.example.com"
    monkeypatch.undo()
    get_settings.cache_clear()


async def _bodies_to(admin_session, address: str) -> list[str]:
    rows = (
        await admin_session.execute(select(OutboxMessage).where(OutboxMessage.actor_name == "send_email"))
    ).scalars()
    kwargs = [row.message["kwargs"] for row in rows]
    return [open_sealed(get_settings(), k["body"], k.get("sealed")) for k in kwargs if k["to"] == address]


async def test_the_question_email_links_the_client_to_the_item_in_the_portal(client, desk, admin_session, public_url):
    item_id = (await client.post("/api/v1/work-items", json=DATA_ENTRY, headers=desk.as_("member"))).json()["id"]
    assert (await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))).status_code == 200
    asked = await client.post(
        f"/api/v1/work-items/{item_id}/transitions",
        json={"to": "waiting_on_client", "reason": "Which currency?"},
        headers=desk.as_("agent"),
    )
    assert asked.status_code == 200, asked.text

    (body,) = await _bodies_to(admin_session, desk.member.email)
    assert "Which currency?" in body
    assert f"{public_url}/portal/items/{item_id}" in body


async def test_an_email_to_staff_links_to_the_item_in_the_console(desk, admin_session, runtime_sessionmaker):
    item_id = (await work_item(admin_session, desk.tenant)).id
    async with scoped_session(runtime_sessionmaker, TenantScope.of(desk.tenant.id)) as session:
        await notify(
            session,
            tenant_id=desk.tenant.id,
            recipient_ids=[desk.agent.id],
            kind="sla.breach",
            title="SLA breached",
            body="Resolution is overdue.",
            work_item_id=item_id,
            email=True,
        )

    (body,) = await _bodies_to(admin_session, desk.agent.email)
    assert body.endswith(f"Open it: {get_settings().web_url()}/console/items/{item_id}")
