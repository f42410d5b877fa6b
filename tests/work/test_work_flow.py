"""A request's whole life through the API: asked, claimed, questioned, answered, reviewed, done."""

from __future__ import annotations

from tests.desk import DATA_ENTRY


async def test_request_lifecycle_ends_done_with_sla_met(client, desk):
    created = await client.post("/api/v1/work-items", json=DATA_ENTRY, headers=desk.as_("member"))
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["state"] == "queued"
    assert item["sla"]["policy"] == {"first_response_minutes": 120, "resolution_minutes": 960, "warning_percent": 75}
    assert item["sla"]["status"] == "ok"

    sampling = await client.put(
        "/api/v1/qa/sampling",
        json={"service_type": "data_entry", "sample_percent": 100},
        headers={**desk.as_("provider_admin"), "X-Tenant": str(desk.tenant.id)},
    )
    assert sampling.status_code == 200, sampling.text

    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["id"] == item["id"]
    assert claimed.json()["assignee_id"] == str(desk.agent.id)
    assert (claimed.json()["assignee_name"], claimed.json()["requester_name"]) == (desk.agent.name, desk.member.name)
    assert claimed.json()["sla"]["first_responded_at"] is None  # claiming is not a response the client sees

    url = f"/api/v1/work-items/{item['id']}"
    asked = await client.post(
        f"{url}/transitions", json={"to": "waiting_on_client", "reason": "Which currency?"}, headers=desk.as_("agent")
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["sla"]["paused"] is True
    assert asked.json()["sla"]["pause_reason"] == "Which currency?"
    assert asked.json()["sla"]["first_responded_at"] is not None  # the question is the first response

    answered = await client.post(f"{url}/answer", json={"body": "SAR please"}, headers=desk.as_("member"))
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "in_progress"
    assert answered.json()["sla"]["paused"] is False

    note = await client.post(f"{url}/comments", json={"body": "check VAT", "internal": True}, headers=desk.as_("agent"))
    assert note.status_code == 201, note.text

    finished = await client.post(f"{url}/transitions", json={"to": "done"}, headers=desk.as_("agent"))
    assert finished.status_code == 200, finished.text
    assert finished.json()["state"] == "in_review"  # sampled at 100%

    own_review = await client.post(f"{url}/review", json={"verdict": "accept"}, headers=desk.as_("agent"))
    assert own_review.status_code == 403
    accepted = await client.post(f"{url}/review", json={"verdict": "accept"}, headers=desk.as_("reviewer"))
    assert accepted.status_code == 201, accepted.text

    final = (await client.get(url, headers=desk.as_("member"))).json()
    assert final["state"] == "done"
    assert final["sla"]["status"] == "met"

    comments = (await client.get(f"{url}/comments", headers=desk.as_("member"))).json()
    # The question and its answer, on both sides; the internal note stays with staff.
    assert [(c["author_name"], c["body"]) for c in comments["items"]] == [
        (desk.agent.name, "Which currency?"),
        (desk.member.name, "SAR please"),
    ]
    staff_view = (await client.get(f"{url}/comments", headers=desk.as_("agent"))).json()
    assert [c["body"] for c in staff_view["items"]] == ["Which currency?", "SAR please", "check VAT"]

    history = (await client.get(f"{url}/transitions", headers=desk.as_("member"))).json()
    assert [t["actor_name"] for t in history["items"]][:3] == [desk.member.name, desk.member.name, desk.agent.name]
    assert [(t["from_state"], t["to_state"]) for t in history["items"]] == [
        (None, "new"),
        ("new", "queued"),
        ("queued", "in_progress"),
        ("in_progress", "waiting_on_client"),
        ("waiting_on_client", "in_progress"),
        ("in_progress", "in_review"),
        ("in_review", "done"),
    ]
