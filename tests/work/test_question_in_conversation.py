"""The question an agent asks the client is part of the item's conversation, on both sides."""

from __future__ import annotations

from tests.desk import DATA_ENTRY


async def test_the_agents_question_shows_in_the_conversation_and_is_announced_once(client, desk):
    created = await client.post("/api/v1/work-items", json=DATA_ENTRY, headers=desk.as_("member"))
    item_id = created.json()["id"]
    assert (await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))).status_code == 200
    url = f"/api/v1/work-items/{item_id}"

    asked = await client.post(
        f"{url}/transitions", json={"to": "waiting_on_client", "reason": "Which currency?"}, headers=desk.as_("agent")
    )
    assert asked.status_code == 200, asked.text

    for who in ("member", "agent"):
        conversation = (await client.get(f"{url}/comments", headers=desk.as_(who))).json()["items"]
        assert [(c["author_name"], c["body"], c["internal"]) for c in conversation] == [
            (desk.agent.name, "Which currency?", False)
        ], who
    # The requester hears of the question once (as a question), not again as a "new reply".
    notes = (await client.get("/api/v1/notifications", headers=desk.as_("member"))).json()["items"]
    assert [n["kind"] for n in notes] == ["work_item.waiting_on_client"]
