"""The demo tenants come with sample requests in several states, added once, through the real services."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bo_saas.identity.staff_cli import ensure_demo_staff
from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.server.demo import add_sample_requests
from bo_saas.server.registry import load
from bo_saas.tenancy.manifests import apply_command


def _demo_tenants_and_staff(settings) -> None:
    assert apply_command(settings, PROJECT_ROOT / "tenants", load().manifest_sections, lambda _: None) == 0
    asyncio.run(ensure_demo_staff(settings))


async def _items(admin_session) -> list[tuple[str, str, str, bool, bool]]:
    rows = await admin_session.execute(
        text(
            "SELECT t.slug, w.state::text, w.service_type, w.first_response_due_at IS NOT NULL,"
            " w.resolution_running_since IS NULL"
            " FROM work_items w JOIN tenants t ON t.id = w.tenant_id ORDER BY t.slug, w.state"
        )
    )
    return [tuple(row) for row in rows]


async def test_each_demo_tenant_gets_requests_queued_in_progress_waiting_and_done(settings, admin_session):
    await asyncio.to_thread(_demo_tenants_and_staff, settings)

    lines = await asyncio.to_thread(add_sample_requests, settings)

    assert lines == ["sample requests for acme: added 4", "sample requests for globex: added 4"]
    items = await _items(admin_session)
    for slug in ("acme", "globex"):
        assert sorted(state for s, state, *_ in items if s == slug) == [
            "done", "in_progress", "queued", "waiting_on_client",
        ]  # fmt: skip
    # Each went through the services: its SLA clock started, and it stands still while waiting or once done.
    assert all(has_target for *_, has_target, _ in items)
    assert {state for _, state, _, _, stopped in items if stopped} == {"waiting_on_client", "done"}


async def test_the_demo_requests_follow_a_real_history_with_the_question_in_the_conversation(settings, admin_session):
    await asyncio.to_thread(_demo_tenants_and_staff, settings)

    await asyncio.to_thread(add_sample_requests, settings)

    waiting = (
        await admin_session.execute(
            text(
                "SELECT w.waiting_reason, c.body, c.internal FROM work_items w"
                " JOIN work_item_comments c ON c.work_item_id = w.id AND c.tenant_id = w.tenant_id"
                " JOIN tenants t ON t.id = w.tenant_id WHERE t.slug = 'acme' AND w.state = 'waiting_on_client'"
            )
        )
    ).one()
    assert waiting.body == waiting.waiting_reason and waiting.internal is False
    done_history = (
        await admin_session.execute(
            text(
                "SELECT array_agg(tr.to_state::text ORDER BY tr.occurred_at, tr.id) FROM work_item_transitions tr"
                " JOIN work_items w ON w.id = tr.work_item_id JOIN tenants t ON t.id = w.tenant_id"
                " WHERE t.slug = 'globex' AND w.state = 'done'"
            )
        )
    ).scalar_one()
    assert done_history == ["new", "queued", "in_progress", "done"]


async def test_a_second_demo_run_adds_no_requests(settings, admin_session):
    await asyncio.to_thread(_demo_tenants_and_staff, settings)
    await asyncio.to_thread(add_sample_requests, settings)
    before = await _items(admin_session)

    lines = await asyncio.to_thread(add_sample_requests, settings)

    assert lines == [
        "sample requests for acme: unchanged (it has requests)",
        "sample requests for globex: unchanged (it has requests)",
    ]
    assert await _items(admin_session) == before
