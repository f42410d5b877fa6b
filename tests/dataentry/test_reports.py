"""A batch's report: its records by status, the rows rejected on import and why, quality and turnaround."""

from __future__ import annotations

from tests.dataentry.helpers import a_double_keyed_batch, a_schema, csv_bytes, key, run_import, send

HEADER = ["Full name", "Age", "E-mail"]
ROWS = [["Ann Lee", "31", "ann@example.com"], ["Bob Stone", "x", "bob@example"], ["", "7", ""]]


async def test_the_report_lists_rows_rejected_on_import_with_why_even_after_they_are_corrected(
    client, app, runtime_sessionmaker, desk
):
    await a_schema(client, desk)
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]))
    batch_id = sent.json()["id"]
    await run_import(app, runtime_sessionmaker, desk.tenant.id, batch_id)
    page = await client.get(f"/api/v1/data-entry/batches/{batch_id}/records", headers=desk.as_("agent"))
    bob = page.json()["items"][1]
    await key(client, desk, bob["id"], "agent", {"age": 40, "email": "bob@example.com"})

    report = await client.get(f"/api/v1/data-entry/batches/{batch_id}/report", headers=desk.as_("member"))

    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["records"], body["accepted"], body["pending"], body["rows_rejected"]) == (3, 2, 1, 2)
    assert body["problems_by_field"] == {"age": 1, "email": 1, "full_name": 1}
    assert [(r["row_number"], r["status"]) for r in body["rejected_rows"]] == [(2, "accepted"), (3, "pending")]
    assert body["rejected_rows"][0]["problems"]["age"] == "'x' is not a whole number"
    assert body["rejected_rows"][1]["problems"] == {"full_name": "is required"}
    assert body["accuracy"]["method"] == "qa_sampling" and body["accuracy"]["accuracy"] is None
    assert body["status"] == "in_progress" and body["completed_at"] is None and body["turnaround_seconds"] is None


async def test_a_double_keyed_batchs_report_gives_accuracy_and_agreement_without_naming_agents(
    client, app, runtime_sessionmaker, desk
):
    batch_id, (ann,) = await a_double_keyed_batch(client, app, runtime_sessionmaker, desk, [ROWS[0]])
    await key(client, desk, ann["id"], "agent", {"age": 40})
    await key(client, desk, ann["id"], "reviewer", {"age": 41})
    waiting = (await client.get(f"/api/v1/data-entry/batches/{batch_id}/report", headers=desk.as_("admin"))).json()
    await client.post(
        f"/api/v1/data-entry/records/{ann['id']}/adjudicate", json={"values": {"age": 41}},
        headers=desk.as_("provider_admin"),
    )  # fmt: skip

    report = await client.get(f"/api/v1/data-entry/batches/{batch_id}/report", headers=desk.as_("admin"))

    assert waiting["in_adjudication"] == 1 and waiting["pending"] == 1 and waiting["accuracy"]["fields_keyed"] == 0
    accuracy = report.json()["accuracy"]
    assert accuracy["method"] == "double_key"
    assert (accuracy["fields_keyed"], accuracy["fields_differing"], accuracy["error_rate"]) == (8, 1, 0.125)
    assert accuracy["accuracy"] == 0.875 and accuracy["agreement"] == 0.75
    assert {f["field"]: f["agreed"] for f in accuracy["fields"]} == {
        "age": 0, "balance": 1, "email": 1, "full_name": 1
    }  # fmt: skip
    assert str(desk.agent.id) not in report.text and str(desk.reviewer.id) not in report.text
