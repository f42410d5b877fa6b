"""The work-item API's rules: who sees what, what may move where, and what a bad request is told."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.tenancy.models import TenantStatus
from bo_saas.work.models import CustomServiceType, WorkItem, WorkItemTransition
from tests.auth import bearer
from tests.desk import DATA_ENTRY
from tests.factories import TenantFactory, client_user, save


async def _create(client, desk, who="member", **overrides):
    response = await client.post("/api/v1/work-items", json={**DATA_ENTRY, **overrides}, headers=desk.as_(who))
    assert response.status_code == 201, response.text
    return response.json()


async def _move(client, desk, item_id, who, to, reason=None):
    body = {"to": to} | ({"reason": reason} if reason else {})
    return await client.post(f"/api/v1/work-items/{item_id}/transitions", json=body, headers=desk.as_(who))


async def test_members_see_their_own_items_and_shared_ones_admins_see_all(client, desk):
    mine = await _create(client, desk, "member", title="mine")
    theirs = await _create(client, desk, "other_member", title="theirs")

    listed = await client.get("/api/v1/work-items", headers=desk.as_("member"))
    assert [i["title"] for i in listed.json()["items"]] == ["mine"]
    hidden = await client.get(f"/api/v1/work-items/{theirs['id']}", headers=desk.as_("member"))
    assert hidden.status_code == 404

    shared = await client.patch(f"/api/v1/work-items/{theirs['id']}", json={"shared": True}, headers=desk.as_("admin"))
    assert shared.status_code == 200, shared.text
    listed = await client.get("/api/v1/work-items?sort=created_at", headers=desk.as_("member"))
    assert [i["title"] for i in listed.json()["items"]] == ["mine", "theirs"]
    everything = await client.get("/api/v1/work-items", headers=desk.as_("admin"))
    assert {i["id"] for i in everything.json()["items"]} == {mine["id"], theirs["id"]}


async def test_a_member_cannot_share_and_staff_cannot_ask_for_work(client, desk):
    item = await _create(client, desk)
    refused = await client.patch(f"/api/v1/work-items/{item['id']}", json={"shared": True}, headers=desk.as_("member"))
    assert refused.status_code == 403
    by_staff = await client.post(
        "/api/v1/work-items", json=DATA_ENTRY, headers={**desk.as_("agent"), "X-Tenant": str(desk.tenant.id)}
    )
    assert by_staff.status_code == 403


async def test_an_illegal_transition_answers_409_with_the_allowed_ones(client, desk):
    item = await _create(client, desk)
    refused = await _move(client, desk, item["id"], "member", "done")
    assert refused.status_code == 409
    assert refused.json()["extra"] == {"allowed": ["cancelled"]}
    assert "queued cannot move to done" in refused.json()["detail"]

    claim_by_transition = await _move(client, desk, item["id"], "agent", "in_progress")
    assert claim_by_transition.status_code == 409
    assert "/api/v1/queue/claim" in claim_by_transition.json()["detail"]


async def test_asking_the_client_needs_a_reason_and_pauses_the_resolution_clock(client, desk):
    item = await _create(client, desk)
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    no_reason = await _move(client, desk, item["id"], "agent", "waiting_on_client")
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["detail"]

    asked = await _move(client, desk, item["id"], "agent", "waiting_on_client", "Which branch?")
    sla = asked.json()["sla"]
    assert sla["paused"] is True and sla["resolution_due_at"] is None and sla["pause_reason"] == "Which branch?"
    staff_cannot_answer = await client.post(
        f"/api/v1/work-items/{item['id']}/answer", json={"body": "x"}, headers=desk.as_("agent")
    )
    assert staff_cannot_answer.status_code == 403


async def test_only_the_assignee_or_an_admin_moves_an_item_in_progress(client, desk):
    item = await _create(client, desk)
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    by_colleague = await _move(client, desk, item["id"], "reviewer", "done")
    assert by_colleague.status_code == 409
    released = await _move(client, desk, item["id"], "agent", "queued")
    assert released.status_code == 200
    assert (released.json()["state"], released.json()["assignee_id"]) == ("queued", None)


async def test_done_items_reopen_within_the_window_and_not_after(client, desk, admin_session):
    item = await _create(client, desk)
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert (await _move(client, desk, item["id"], "agent", "done")).json()["state"] == "done"

    reopened = await _move(client, desk, item["id"], "member", "queued")
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["state"] == "queued" and reopened.json()["sla"]["status"] == "ok"
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    await _move(client, desk, item["id"], "agent", "done")

    await admin_session.execute(
        update(WorkItem).where(WorkItem.id == item["id"]).values(resolved_at=utc_now() - timedelta(days=8))
    )
    await admin_session.commit()
    after_window = (await client.get(f"/api/v1/work-items/{item['id']}", headers=desk.as_("member"))).json()
    assert after_window["allowed_transitions"] == []  # no reopen offered once the window has passed
    too_late = await _move(client, desk, item["id"], "member", "queued")
    assert too_late.status_code == 409
    assert "within 7 days" in too_late.json()["detail"]


async def test_a_request_that_does_not_match_its_form_is_refused_with_every_problem(client, desk):
    response = await client.post(
        "/api/v1/work-items",
        json={"service_type": "data_entry", "title": "x", "payload": {"record_count": "many", "colour": "red"}},
        headers=desk.as_("member"),
    )
    assert response.status_code == 400
    assert response.json()["extra"]["problems"] == [
        "payload.colour: not a field of this service's form (fields: source, record_count, deadline_note)",
        "payload.source: What to key in is required",
        "payload.record_count: must be a whole number",
    ]


async def test_services_outside_the_plan_or_the_tenant_are_refused(client, desk):
    response = await client.post(
        "/api/v1/work-items",
        json={"service_type": "hr", "title": "Hire", "payload": {"request": "hire", "details": "a clerk"}},
        headers=desk.as_("member"),
    )
    assert response.status_code == 400
    assert "not available" in response.json()["detail"]
    offered = await client.get("/api/v1/service-types", headers=desk.as_("member"))
    assert [s["code"] for s in offered.json()] == ["bookkeeping", "data_entry", "support"]


async def test_a_custom_service_type_from_the_manifest_can_be_requested(client, desk, admin_session):
    await save(
        admin_session,
        CustomServiceType(
            tenant_id=desk.tenant.id,
            code="inventory_check",
            name="Inventory check",
            skill_code="data_entry",
            form_schema=[{"name": "store", "type": "choice", "required": True, "choices": ["north", "south"]}],
        ),
    )
    offered = await client.get("/api/v1/service-types", headers=desk.as_("member"))
    assert {"code": "inventory_check", "name": "Inventory check", "custom": True} in [
        {k: s[k] for k in ("code", "name", "custom")} for s in offered.json()
    ]
    bad = await _create_raw(
        client, desk, {"service_type": "inventory_check", "title": "Count", "payload": {"store": "east"}}
    )
    assert bad.status_code == 400
    assert bad.json()["extra"]["problems"] == ["payload.store: must be one of north, south"]
    good = await _create_raw(
        client, desk, {"service_type": "inventory_check", "title": "Count", "payload": {"store": "north"}}
    )
    assert good.status_code == 201
    assert good.json()["sla"]["policy"]["first_response_minutes"] == 120  # the plan's '*' targets
    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.json()["id"] == good.json()["id"]  # its skill is data_entry, which the agent has


async def _create_raw(client, desk, body):
    return await client.post("/api/v1/work-items", json=body, headers=desk.as_("member"))


async def test_a_suspended_tenant_reads_its_items_but_cannot_ask_for_more(client, desk, admin_session):
    item = await _create(client, desk)
    desk.tenant.status = TenantStatus.SUSPENDED
    await admin_session.merge(desk.tenant)
    await admin_session.commit()
    assert (await client.get(f"/api/v1/work-items/{item['id']}", headers=desk.as_("member"))).status_code == 200
    refused = await client.post(
        "/api/v1/work-items", json=DATA_ENTRY, headers={**desk.as_("member"), "X-Tenant": str(desk.tenant.id)}
    )
    assert refused.status_code == 403
    assert "suspended" in refused.json()["detail"]


async def test_list_filters_search_and_sorts_by_due_date(client, desk):
    await _create(client, desk, title="Payroll for March", priority="low")
    urgent = await _create(client, desk, title="Invoices for April", priority="urgent")
    await _create(
        client, desk, service_type="support", title="Refund question",
        payload={"channel": "email", "message": "where is my refund"},
    )  # fmt: skip

    async def titles(query: str) -> list[str]:
        response = await client.get(f"/api/v1/work-items?{query}", headers=desk.as_("admin"))
        assert response.status_code == 200, (query, response.text)
        return [i["title"] for i in response.json()["items"]]

    assert await titles("q=invoices") == ["Invoices for April"]
    assert await titles("q=refund") == ["Refund question"]  # found in the form's text too
    assert await titles("service_type=support") == ["Refund question"]
    assert await titles("priority=urgent") == ["Invoices for April"]
    # First responses due: urgent data entry in 30 business minutes, normal support 60, low data entry 240.
    assert await titles("state=queued&state=done&sort=due_at") == [
        urgent["title"],
        "Refund question",
        "Payroll for March",
    ]
    assert await titles("sort=-due_at") == ["Payroll for March", "Refund question", urgent["title"]]
    assert await titles("state=done") == []
    assert await titles("sla_status=breached") == []
    bad = await client.get("/api/v1/work-items?sort=colour", headers=desk.as_("admin"))
    assert bad.status_code == 400


async def test_qa_rejection_sends_work_back_and_counts_against_the_agent(client, desk, admin_session):
    await client.put(
        "/api/v1/qa/sampling",
        json={"service_type": "data_entry", "sample_percent": 100},
        headers={**desk.as_("provider_admin"), "X-Tenant": str(desk.tenant.id)},
    )
    item = await _create(client, desk)
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    await _move(client, desk, item["id"], "agent", "done")
    waiting = await client.get("/api/v1/qa/reviews", headers=desk.as_("reviewer"))
    assert [i["id"] for i in waiting.json()["items"]] == [item["id"]]
    assert (await client.get("/api/v1/qa/reviews", headers=desk.as_("agent"))).json()["items"] == []

    no_reason = await client.post(
        f"/api/v1/work-items/{item['id']}/review", json={"verdict": "reject"}, headers=desk.as_("reviewer")
    )
    assert no_reason.status_code == 400
    rejected = await client.post(
        f"/api/v1/work-items/{item['id']}/review",
        json={"verdict": "reject", "reasons": ["totals do not match"]},
        headers=desk.as_("reviewer"),
    )
    assert rejected.status_code == 201, rejected.text
    again = (await client.get(f"/api/v1/work-items/{item['id']}", headers=desk.as_("agent"))).json()
    assert (again["state"], again["assignee_id"], again["rework_count"]) == ("in_progress", str(desk.agent.id), 1)

    await _move(client, desk, item["id"], "agent", "done")  # sampled once: back to review
    await client.post(
        f"/api/v1/work-items/{item['id']}/review", json={"verdict": "accept"}, headers=desk.as_("reviewer")
    )
    quality = await client.get("/api/v1/qa/quality", headers=desk.as_("provider_admin"))
    assert [(q["agent_id"], q["reviewed"], q["rejected"], q["rework_rate"]) for q in quality.json()] == [
        (str(desk.agent.id), 2, 1, 0.5)
    ]
    history = (
        await admin_session.execute(
            select(WorkItemTransition.reason).where(WorkItemTransition.to_state == "in_progress")
        )
    ).scalars()
    assert "Rework: totals do not match" in list(history)


async def test_an_admin_assigns_an_item_to_staff_serving_the_tenant_only(client, desk):
    item = await _create(client, desk)
    admin = {**desk.as_("provider_admin"), "X-Tenant": str(desk.tenant.id)}
    stranger = await client.put(
        f"/api/v1/work-items/{item['id']}/assignee", json={"assignee_id": str(desk.member.id)}, headers=admin
    )
    assert stranger.status_code == 400
    assigned = await client.put(
        f"/api/v1/work-items/{item['id']}/assignee", json={"assignee_id": str(desk.reviewer.id)}, headers=admin
    )
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["state"], assigned.json()["assignee_id"]) == ("in_progress", str(desk.reviewer.id))


async def test_queue_summary_counts_open_items_per_tenant_type_and_status(client, desk):
    await _create(client, desk)
    await _create(client, desk)
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    summary = (await client.get("/api/v1/queue", headers=desk.as_("agent"))).json()
    assert (summary["queued"], summary["in_progress"], summary["breached"]) == (1, 1, 0)
    assert {(c["state"], c["items"]) for c in summary["counts"]} == {("queued", 1), ("in_progress", 1)}


async def test_an_agent_sees_and_claims_only_in_tenants_it_is_assigned_to(client, desk, admin_session):
    other = TenantFactory(services=["data_entry"])
    await save(admin_session, other)
    outsider = await client_user(admin_session, other, Role.CLIENT_MEMBER)
    foreign = await client.post(
        "/api/v1/work-items", json=DATA_ENTRY, headers=bearer(desk.app, outsider, Role.CLIENT_MEMBER, other.id)
    )
    assert foreign.status_code == 201, foreign.text
    own = await _create(client, desk)

    listed = await client.get("/api/v1/work-items", headers=desk.as_("agent"))
    assert [i["id"] for i in listed.json()["items"]] == [own["id"]]
    hidden = await client.get(f"/api/v1/work-items/{foreign.json()['id']}", headers=desk.as_("agent"))
    assert hidden.status_code == 404
    assert (await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))).json()["id"] == own["id"]
    assert (await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))).status_code == 204
