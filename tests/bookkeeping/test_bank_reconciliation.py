"""Reconciliation: suggestions by amount within the date window (one line or several), accepting a match for good."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from bo_saas.audit.models import AuditEvent
from bo_saas.bookkeeping.models import BankMatch, StatementLine
from tests.bookkeeping.helpers import a_posted, books_headers, line, runtime_session
from tests.bookkeeping.test_bank_import import BANK_ACCOUNTS, a_bank_account, upload

MAPPING = {"date": "Date", "amount": "Amount", "description": "Details", "reference": "Ref", "counterparty": "Payee"}


def csv_of(*rows: str) -> bytes:
    return ("Date,Amount,Details,Ref,Payee\n" + "\n".join(rows) + "\n").encode()


async def bank_with(client, desk, *rows: str) -> dict:
    account = await a_bank_account(client, desk, csv_mapping=MAPPING)
    answer = await upload(client, desk, account, "statement.csv", csv_of(*rows))
    assert answer.status_code == 201, answer.text
    return account


async def receipt(client, desk, amount: int, day: str, memo: str = "") -> dict:
    """A posted entry: money into the bank (1010) from revenue; its bank line is line 1."""
    entry = await a_posted(client, desk, [line("1010", debit=amount, description=memo), line("4000", credit=amount)],
                           day=day)  # fmt: skip
    return {"entry_id": entry["id"], "line_number": 1}


async def reconciliation(client, desk, account: dict, **params) -> dict:
    answer = await client.get(
        f"{BANK_ACCOUNTS}/{account['id']}/reconciliation", params=params, headers=books_headers(desk, "agent")
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def suggested(item: dict) -> list[list[dict]]:
    return [[{"entry_id": s["entry_id"], "line_number": s["line_number"]} for s in suggestion["lines"]]
            for suggestion in item["suggestions"]]  # fmt: skip


async def match(client, desk, account: dict, statement_line_id: str, refs: list[dict]):
    return await client.post(
        f"{BANK_ACCOUNTS}/{account['id']}/reconciliation",
        json={"statement_line_id": statement_line_id, "journal_lines": refs}, headers=books_headers(desk, "agent"),
    )  # fmt: skip


async def test_a_line_of_the_same_amount_within_the_window_is_suggested_and_one_outside_only_with_a_wider_one(
    client, desk
):
    account = await bank_with(client, desk, "2026-03-10,119.00,Payment,,Acme")
    near = await receipt(client, desk, 11900, "2026-03-07")
    far = await receipt(client, desk, 11900, "2026-03-20")
    await receipt(client, desk, 11800, "2026-03-10")  # a different amount is never suggested

    default = (await reconciliation(client, desk, account))["items"][0]
    wide = (await reconciliation(client, desk, account, window_days=10))["items"][0]

    assert suggested(default) == [[near]]
    assert default["suggestions"][0]["days_apart"] == 3
    assert sorted(map(str, suggested(wide))) == sorted(map(str, [[near], [far]]))


async def test_several_journal_lines_that_sum_to_a_statement_line_are_suggested_together(client, desk):
    account = await bank_with(client, desk, "2026-03-10,200.00,Two invoices,,Acme")
    first = await receipt(client, desk, 12000, "2026-03-09")
    second = await receipt(client, desk, 8000, "2026-03-11")
    await receipt(client, desk, 5000, "2026-03-10")  # no pair or triple with it makes 200.00

    item = (await reconciliation(client, desk, account))["items"][0]

    assert [sorted(map(str, group)) for group in suggested(item)] == [sorted(map(str, [first, second]))]


async def test_among_equal_amounts_the_one_whose_text_names_the_reference_comes_first(client, desk):
    account = await bank_with(client, desk, "2026-03-10,119.00,Invoice INV-42,INV-42,Acme Corp")
    other = await receipt(client, desk, 11900, "2026-03-10", memo="Counter sale")
    named = await receipt(client, desk, 11900, "2026-03-12", memo="Acme Corp INV-42")

    item = (await reconciliation(client, desk, account))["items"][0]

    assert suggested(item) == [[named], [other]]
    assert item["suggestions"][0]["similarity"] == 1.0


async def test_an_accepted_match_reconciles_the_line_for_good_and_is_audited(client, desk, admin_session):
    account = await bank_with(client, desk, "2026-03-10,200.00,Two invoices,,Acme", "2026-03-11,50.00,Other,,X")
    first = await receipt(client, desk, 12000, "2026-03-09")
    second = await receipt(client, desk, 8000, "2026-03-11")
    before = await reconciliation(client, desk, account)
    statement_line = before["items"][0]["line"]

    accepted = await match(client, desk, account, statement_line["id"], [first, second])
    after = await reconciliation(client, desk, account)

    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["line"]["reconciled"] is True
    # The other line stays visible, unmatched; the reconciled one is gone from the list.
    assert [item["line"]["amount"] for item in after["items"]] == [5000] and after["total"] == 1
    audit = await admin_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "bank_statement_line.reconciled",
                                 AuditEvent.subject_id == statement_line["id"])
    )  # fmt: skip
    assert audit is not None and audit.changes["amount"] == 20000


async def test_a_reconciled_line_cannot_be_matched_again_nor_a_matched_journal_line_reused(client, desk):
    account = await bank_with(client, desk, "2026-03-10,119.00,A,,X", "2026-03-10,119.00,B,,Y")
    used = await receipt(client, desk, 11900, "2026-03-10")
    spare = await receipt(client, desk, 11900, "2026-03-10")
    first, second = [item["line"]["id"] for item in (await reconciliation(client, desk, account))["items"]]
    assert (await match(client, desk, account, first, [used])).status_code == 201

    again = await match(client, desk, account, first, [spare])
    reused = await match(client, desk, account, second, [used])
    short = await match(client, desk, account, second, [spare, {**spare, "line_number": 2}])
    remaining = (await reconciliation(client, desk, account))["items"]

    assert again.status_code == 409 and "reconciled already" in again.json()["detail"]
    assert reused.status_code == 409
    # Line 2 is the revenue side, not on the bank's ledger account.
    assert short.status_code == 409
    assert suggested(remaining[0]) == [[spare]]


async def test_journal_lines_that_do_not_sum_to_the_statement_line_are_refused_with_the_difference(client, desk):
    account = await bank_with(client, desk, "2026-03-10,119.00,A,,X")
    part = await receipt(client, desk, 11000, "2026-03-10")
    statement_line = (await reconciliation(client, desk, account))["items"][0]["line"]

    answer = await match(client, desk, account, statement_line["id"], [part])

    assert answer.status_code == 422 and answer.json()["extra"]["difference"] == 900


async def test_the_database_refuses_to_undo_a_match_or_change_a_reconciled_line(client, desk, runtime_sessionmaker):
    account = await bank_with(client, desk, "2026-03-10,119.00,A,,X")
    journal_line = await receipt(client, desk, 11900, "2026-03-10")
    statement_line = (await reconciliation(client, desk, account))["items"][0]["line"]
    assert (await match(client, desk, account, statement_line["id"], [journal_line])).status_code == 201

    async with runtime_session(runtime_sessionmaker, desk.tenant.id) as session:
        with pytest.raises(DBAPIError, match="permission denied"):
            await session.execute(delete(BankMatch).where(BankMatch.statement_line_id == statement_line["id"]))
    async with runtime_session(runtime_sessionmaker, desk.tenant.id) as session:
        with pytest.raises(DBAPIError, match="is reconciled and cannot change"):
            await session.execute(
                update(StatementLine).where(StatementLine.id == statement_line["id"]).values(reconciled_at=None)
            )


async def unmatched(client, desk, account: dict, role: str = "agent", **params):
    return await client.get(
        f"{BANK_ACCOUNTS}/{account['id']}/unmatched-journal-lines", params=params, headers=books_headers(desk, role)
    )


def refs(page: dict) -> list[dict]:
    return [{"entry_id": item["entry_id"], "line_number": item["line_number"]} for item in page["items"]]


async def test_unmatched_journal_lines_list_what_no_suggestion_offers_and_leave_matched_ones_out(client, desk):
    account = await bank_with(client, desk, "2026-03-10,119.00,Payment,,Acme")
    matched = await receipt(client, desk, 11900, "2026-03-10")
    late = await receipt(client, desk, 11900, "2026-04-25", memo="Acme, paid late")  # far outside any window
    other = await receipt(client, desk, 5000, "2026-04-02")
    statement_line = (await reconciliation(client, desk, account))["items"][0]["line"]["id"]
    before = (await unmatched(client, desk, account, **{"from": "2026-03-01", "to": "2026-04-30"})).json()

    assert (await match(client, desk, account, statement_line, [matched])).status_code == 201
    after = await unmatched(client, desk, account, "member", **{"from": "2026-03-01", "to": "2026-04-30"})
    only_late = await unmatched(client, desk, account, **{"from": "2026-03-01", "to": "2026-04-30", "amount": 11900})

    assert refs(before) == [matched, other, late] and before["total"] == 3
    assert before["from"] == "2026-03-01" and before["to"] == "2026-04-30"
    assert after.status_code == 200 and refs(after.json()) == [other, late]
    assert refs(only_late.json()) == [late] and only_late.json()["items"][0]["text"] == "Acme, paid late"
    assert only_late.json()["items"][0]["entry_number"].startswith("JE-2026-")


async def test_unmatched_journal_lines_page_and_refuse_a_backwards_or_too_long_range(client, desk):
    account = await bank_with(client, desk, "2026-03-10,1.00,A,,X")
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        await receipt(client, desk, 100, day)

    second_page = (await unmatched(client, desk, account, **{"from": "2026-03-01", "to": "2026-03-31",
                                                            "limit": 2, "offset": 2})).json()  # fmt: skip
    backwards = await unmatched(client, desk, account, **{"from": "2026-03-31", "to": "2026-03-01"})
    too_long = await unmatched(client, desk, account, **{"from": "2025-01-01", "to": "2026-03-31"})
    only_to = (await unmatched(client, desk, account, to="2026-03-31")).json()

    assert [item["date"] for item in second_page["items"]] == ["2026-03-03"] and second_page["total"] == 3
    assert backwards.status_code == 400 and "before" in backwards.json()["detail"]
    assert too_long.status_code == 400 and "366 days" in too_long.json()["detail"]
    assert only_to["from"] == "2026-01-28" and only_to["total"] == 3


async def test_a_journal_line_whose_reference_disagrees_is_never_suggested_whatever_the_amount(client, desk):
    account = await bank_with(client, desk, "2026-03-10,119.00,Invoice payment,INV-42,Acme")
    await receipt(client, desk, 11900, "2026-03-10", memo="Acme INV-43")  # same amount and day, another invoice
    neutral = await receipt(client, desk, 11900, "2026-03-11", memo="Counter sale")  # names no reference at all

    item = (await reconciliation(client, desk, account))["items"][0]

    assert suggested(item) == [[neutral]]


def test_references_are_read_without_case_or_separators_and_plain_numbers_are_not_references():
    from bo_saas.bookkeeping.reconciliation import references

    assert references("Payment inv-7 and PO12345", "INV-2026-0012") == {"INV7", "PO12345", "INV20260012"}
    assert references("INV7") == references("inv/7")
    assert references("Paid 2026-03-10, 119.00 EUR") == frozenset()


async def auto(client, desk, account: dict, role: str = "agent", **body):
    return await client.post(
        f"{BANK_ACCOUNTS}/{account['id']}/reconciliation/auto", json=body, headers=books_headers(desk, role)
    )


async def test_auto_matching_takes_only_what_leaves_no_doubt_and_leaves_the_rest_for_a_person(
    client, desk, admin_session
):
    account = await bank_with(
        client, desk,
        "2026-03-10,119.00,Invoice payment,INV-42,Acme",  # its reference names one of two equal amounts
        "2026-03-12,75.00,Card purchase,,Shop",  # no reference either side, one line of the amount: taken
        "2026-03-14,60.00,Transfer,,X",  # two equal lines without references: a person chooses
        "2026-03-16,30.00,Payment,INV-77,Y",  # the only line of the amount names another invoice: never paired
        "2026-03-18,200.00,Remittance INV-50 INV-51,RA-9,Z",  # two invoices paid at once, both named
    )  # fmt: skip
    named = await receipt(client, desk, 11900, "2026-03-10", memo="Acme INV-42")
    await receipt(client, desk, 11900, "2026-03-11", memo="Acme INV-41")
    shop = await receipt(client, desk, 7500, "2026-03-12", memo="Stationery")
    await receipt(client, desk, 6000, "2026-03-13", memo="Sale")
    await receipt(client, desk, 6000, "2026-03-15", memo="Sale")
    await receipt(client, desk, 3000, "2026-03-16", memo="Y INV-78")
    first = await receipt(client, desk, 12000, "2026-03-17", memo="Z INV-50")
    second = await receipt(client, desk, 8000, "2026-03-18", memo="Z INV-51")

    answer = await auto(client, desk, account)
    refused = await auto(client, desk, account, "member")
    again = await auto(client, desk, account)
    left = await reconciliation(client, desk, account)

    assert answer.status_code == 200, answer.text
    matched = {m["line"]["amount"]: refs({"items": m["journal_lines"]}) for m in answer.json()["matches"]}
    assert matched.keys() == {11900, 7500, 20000}
    assert matched[11900] == [named] and matched[7500] == [shop]
    assert sorted(map(str, matched[20000])) == sorted(map(str, [first, second]))
    assert answer.json()["matched"] == 3 and answer.json()["left"] == 2
    assert refused.status_code == 403
    assert again.json()["matched"] == 0 and again.json()["left"] == 2
    assert sorted(item["line"]["amount"] for item in left["items"]) == [3000, 6000]
    audited = await admin_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "bank_statement_line.reconciled")
    )
    assert sorted(event.changes["amount"] for event in audited if event.changes.get("auto")) == [7500, 11900, 20000]
