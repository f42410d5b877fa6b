"""Items created in bulk are, to everyone who looks at them, the items ``create_item`` makes one at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from sqlalchemy import inspect, select

from bo_saas.lib.db import scoped_session
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import WebhookDelivery
from bo_saas.tenancy.calendars import tenant_with_business_time
from bo_saas.work import bulk_items, items
from bo_saas.work.bulk_items import NewItem
from bo_saas.work.errors import InvalidWorkRequest
from bo_saas.work.models import Priority, WorkItem, WorkItemTransition
from tests.factories import WebhookEndpointFactory, save

# A Friday evening: due times in business time land days later, so a wrong calendar would show.
NOW = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
TITLE = "Contacts: rows 1-50 of contacts.csv"
PAYLOAD = {"source": "Batch contacts.csv, chunk 1 of 1", "record_count": 50}


@pytest.fixture
def frozen_now(monkeypatch):
    """Both paths read the clock in the same modules; one instant makes their rows comparable field by field."""
    for module in ("work.items", "work.bulk_items", "notify.webhooks", "sla.detection"):
        monkeypatch.setattr(f"bo_saas.{module}.utc_now", lambda: NOW)


async def _outcome(admin_session, item_id: UUID) -> dict:
    """What anyone can observe of an item: its row, its history, its webhook deliveries and its SLA timers."""
    item = await admin_session.scalar(select(WorkItem).where(WorkItem.id == item_id))
    row = {
        attr.key: getattr(item, attr.key) for attr in inspect(WorkItem).column_attrs if attr.key not in ("id", "search")
    }
    history = (
        await admin_session.execute(
            select(
                WorkItemTransition.from_state,
                WorkItemTransition.to_state,
                WorkItemTransition.actor_id,
                WorkItemTransition.actor_kind,
                WorkItemTransition.reason,
                WorkItemTransition.occurred_at,
            )
            .where(WorkItemTransition.work_item_id == item_id)
            .order_by(WorkItemTransition.occurred_at, WorkItemTransition.from_state.nulls_first())
        )
    ).all()
    deliveries = (
        await admin_session.scalars(
            select(WebhookDelivery.payload).where(
                WebhookDelivery.payload["data"]["work_item_id"].astext == str(item_id)
            )
        )
    ).all()
    events = sorted(
        (payload["event"], {k: v for k, v in payload["data"].items() if k != "work_item_id"}) for payload in deliveries
    )
    timers = sorted(
        (message["kwargs"]["due_at"], message["options"].get("eta"))
        for message in await admin_session.scalars(
            select(OutboxMessage.message).where(OutboxMessage.message["kwargs"]["work_item_id"].astext == str(item_id))
        )
    )
    return {"row": row, "history": history, "events": events, "timers": timers}


async def test_a_bulk_created_item_has_the_state_clocks_history_events_and_timers_of_one_made_by_create_item(
    app, desk, admin_session, runtime_sessionmaker, frozen_now
):
    await save(admin_session, WebhookEndpointFactory(tenant_id=desk.tenant.id))  # subscribed to every event
    async with scoped_session(runtime_sessionmaker, TenantScope.of(desk.tenant.id)) as session:
        tenant = await tenant_with_business_time(session, desk.tenant.id)
        one = await items.create_item(
            session, None, tenant, service_type="data_entry", title=TITLE, payload=PAYLOAD,
            priority=Priority.NORMAL, submit=True,
        )  # fmt: skip
        [bulk] = await bulk_items.create_items(
            session, tenant, service_type="data_entry", priority=Priority.NORMAL, new=[NewItem(TITLE, PAYLOAD)]
        )

    expected, got = await _outcome(admin_session, one.id), await _outcome(admin_session, bulk)

    assert got == expected
    assert got["row"]["state"] == "queued" and got["row"]["first_response_due_at"] > NOW
    assert [(step.from_state, step.to_state) for step in got["history"]] == [(None, "new"), ("new", "queued")]
    assert [event for event, _ in got["events"]] == ["work_item.created", "work_item.state_changed"]
    assert len(got["timers"]) == 3  # first response, resolution and the warning before them


async def test_bulk_items_the_tenant_may_not_ask_for_are_refused_with_nothing_written(
    app, desk, admin_session, runtime_sessionmaker
):
    with pytest.raises(InvalidWorkRequest, match="not available"):
        async with scoped_session(runtime_sessionmaker, TenantScope.of(desk.tenant.id)) as session:
            tenant = await tenant_with_business_time(session, desk.tenant.id)
            await bulk_items.create_items(
                session, tenant, service_type="hr", priority=Priority.NORMAL, new=[NewItem(TITLE, PAYLOAD)]
            )

    assert (await admin_session.scalars(select(WorkItem.id).where(WorkItem.tenant_id == desk.tenant.id))).all() == []
