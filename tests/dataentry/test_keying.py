"""Blind double keying: two people key apart, agreement accepts, a third person adjudicates, accuracy follows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bo_saas.dataentry.models import Keying
from bo_saas.lib.clock import utc_now
from tests.dataentry.helpers import a_double_keyed_batch, key

ANN = ["Ann Lee", "31", "ann@example.com"]
IMPORTED = {"full_name": "Ann Lee", "age": 31, "email": "ann@example.com", "balance": None}


async def test_two_agents_keying_alike_accept_the_record_with_their_values(client, app, runtime_sessionmaker, desk):
    batch_id, (ann,) = await a_double_keyed_batch(client, app, runtime_sessionmaker, desk, [ANN])

    first = await key(client, desk, ann["id"], "agent", {"age": "32", "balance": "10.50"})
    second = await key(client, desk, ann["id"], "reviewer", {"age": 32, "balance": "10.50"})
    batch = (await client.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))).json()

    assert ann["status"] == "pending" and ann["passes_keyed"] == 0
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "awaiting_second_key" and first.json()["passes_keyed"] == 1
    assert second.json()["status"] == "accepted" and second.json()["passes_keyed"] == 2
    assert second.json()["values"] == {**IMPORTED, "age": 32, "balance": "10.50"}
    assert batch["status"] == "in_progress" and batch["counts"]["accepted"] == 1


async def test_a_keyer_never_sees_the_other_keyers_values(client, app, runtime_sessionmaker, desk):
    batch_id, (ann,) = await a_double_keyed_batch(client, app, runtime_sessionmaker, desk, [ANN])
    url = f"/api/v1/data-entry/records/{ann['id']}"

    await key(client, desk, ann["id"], "agent", {"age": 40, "full_name": "Ann Leigh"})
    seen_by_second = (await client.get(url, headers=desk.as_("reviewer"))).json()
    listed_for_second = (
        await client.get(f"/api/v1/data-entry/batches/{batch_id}/records", headers=desk.as_("reviewer"))
    ).json()["items"][0]
    seen_by_first = (await client.get(url, headers=desk.as_("agent"))).json()
    seen_by_client = (await client.get(url, headers=desk.as_("admin"))).json()

    for seen in (seen_by_second, listed_for_second, seen_by_client):
        assert seen["values"] == IMPORTED and seen["my_values"] is None
        assert "Leigh" not in str(seen)  # nowhere in the answer, under any key
    assert seen_by_first["my_values"] == {**IMPORTED, "age": 40, "full_name": "Ann Leigh"}
    assert seen_by_first["values"] == IMPORTED and seen_by_first["passes_keyed"] == 1


async def test_keying_again_replaces_the_keyers_own_pass_and_the_database_refuses_one_person_keying_both(
    client, app, runtime_sessionmaker, desk, admin_session
):
    _, (ann,) = await a_double_keyed_batch(client, app, runtime_sessionmaker, desk, [ANN])

    await key(client, desk, ann["id"], "agent", {"age": 40})
    again = await key(client, desk, ann["id"], "agent", {"age": 41})
    passes = (await admin_session.scalars(select(Keying))).all()

    assert again.json()["passes_keyed"] == 1 and again.json()["status"] == "awaiting_second_key"
    assert [(p.pass_number, p.keyer_id, p.values["age"]) for p in passes] == [(1, desk.agent.id, 41)]
    admin_session.add(
        Keying(tenant_id=desk.tenant.id, record_id=passes[0].record_id, pass_number=2, keyer_id=desk.agent.id,
               values={}, keyed_at=utc_now())
    )  # fmt: skip
    with pytest.raises(IntegrityError, match="data_entry_keyings_keyer"):
        await admin_session.flush()


async def test_a_pass_with_bad_values_lists_each_problem_and_stores_nothing(client, app, runtime_sessionmaker, desk):
    _, (ann,) = await a_double_keyed_batch(client, app, runtime_sessionmaker, desk, [ANN])

    refused = await key(client, desk, ann["id"], "agent", {"age": "old", "shoe": 9})
    after = (await client.get(f"/api/v1/data-entry/records/{ann['id']}", headers=desk.as_("agent"))).json()

    assert refused.status_code == 422
    assert refused.json()["extra"]["problems"] == {
        "shoe": "is not a field of this schema",
        "age": "'old' is not a whole number",
    }
    assert after["passes_keyed"] == 0 and after["my_values"] is None and after["status"] == "pending"


async def test_disagreeing_passes_go_to_a_third_person_who_sees_both_values_and_chooses(
    client, app, runtime_sessionmaker, desk
):
    _, (ann,) = await a_double_keyed_batch(client, app, runtime_sessionmaker, desk, [ANN])
    adjudication = f"/api/v1/data-entry/records/{ann['id']}/adjudication"
    adjudicate = f"/api/v1/data-entry/records/{ann['id']}/adjudicate"
    early = await client.get(adjudication, headers=desk.as_("provider_admin"))

    await key(client, desk, ann["id"], "agent", {"age": 40})
    disagreed = await key(client, desk, ann["id"], "reviewer", {"age": 41})
    third_pass = await key(client, desk, ann["id"], "provider_admin", {"age": 41})
    by_keyer = await client.get(adjudication, headers=desk.as_("agent"))
    settled_by_keyer = await client.post(adjudicate, json={"values": {"age": 41}}, headers=desk.as_("reviewer"))
    by_client = await client.get(adjudication, headers=desk.as_("admin"))
    shown = await client.get(adjudication, headers=desk.as_("provider_admin"))
    nothing_chosen = await client.post(
        adjudicate, json={"values": {"full_name": "X"}}, headers=desk.as_("provider_admin")
    )
    bad_value = await client.post(adjudicate, json={"values": {"age": "many"}}, headers=desk.as_("provider_admin"))
    settled = await client.post(adjudicate, json={"values": {"age": 41}}, headers=desk.as_("provider_admin"))
    twice = await client.post(adjudicate, json={"values": {"age": 42}}, headers=desk.as_("provider_admin"))

    assert early.status_code == 409 and "not waiting for adjudication" in early.json()["detail"]
    assert disagreed.json()["status"] == "in_adjudication" and disagreed.json()["values"] == IMPORTED
    assert third_pass.status_code == 409 and "waits for adjudication" in third_pass.json()["detail"]
    assert by_keyer.status_code == 403 and "third member of staff" in by_keyer.json()["detail"]
    assert settled_by_keyer.status_code == 403 and by_client.status_code == 403
    assert shown.status_code == 200, shown.text
    assert shown.json()["disagreements"] == [{"field": "age", "first": 40, "second": 41}]
    assert shown.json()["agreed"] == {"full_name": "Ann Lee", "email": "ann@example.com", "balance": None}
    assert nothing_chosen.status_code == 422 and set(nothing_chosen.json()["extra"]["problems"]) == {"age", "full_name"}
    assert bad_value.status_code == 422 and bad_value.json()["extra"]["problems"] == {
        "age": "'many' is not a whole number"
    }
    assert settled.status_code == 200, settled.text
    assert settled.json()["status"] == "accepted" and settled.json()["values"] == {**IMPORTED, "age": 41}
    assert twice.status_code == 409


async def test_accuracy_counts_fields_differing_from_the_accepted_value_per_agent_and_agreement_per_field(
    client, app, runtime_sessionmaker, desk
):
    batch_id, (ann, bob) = await a_double_keyed_batch(
        client, app, runtime_sessionmaker, desk, [ANN, ["Bob Stone", "50", "bob@example.com"]]
    )
    await key(client, desk, ann["id"], "agent", {"age": 40})
    await key(client, desk, ann["id"], "reviewer", {"age": 41})
    await client.post(
        f"/api/v1/data-entry/records/{ann['id']}/adjudicate", json={"values": {"age": 41}},
        headers=desk.as_("provider_admin"),
    )  # fmt: skip
    await key(client, desk, bob["id"], "agent", {})
    await key(client, desk, bob["id"], "reviewer", {})

    measured = await client.get("/api/v1/data-entry/accuracy", headers=desk.as_("provider_admin"))
    one_batch = await client.get(
        "/api/v1/data-entry/accuracy", params={"batch_id": batch_id}, headers=desk.as_("agent")
    )
    by_client = await client.get("/api/v1/data-entry/accuracy", headers=desk.as_("admin"))

    assert measured.status_code == 200, measured.text
    agents = {a["agent_id"]: a for a in measured.json()["agents"]}
    assert agents[str(desk.agent.id)] | {"name": None} == {
        "agent_id": str(desk.agent.id), "name": None, "records_keyed": 2, "fields_keyed": 8,
        "fields_differing": 1, "error_rate": 0.125, "accuracy": 0.875,
    }  # fmt: skip
    assert agents[str(desk.reviewer.id)]["fields_differing"] == 0 and agents[str(desk.reviewer.id)]["accuracy"] == 1
    fields = {f["field"]: (f["compared"], f["agreed"], f["agreement"]) for f in measured.json()["fields"]}
    assert fields == {"age": (2, 1, 0.5), "balance": (2, 2, 1), "email": (2, 2, 1), "full_name": (2, 2, 1)}
    assert measured.json()["batches"] == [
        {"batch_id": batch_id, "records_compared": 2, "fields_compared": 8, "fields_agreed": 7, "agreement": 0.875}
    ]
    assert one_batch.json() == measured.json()
    assert by_client.status_code == 403
