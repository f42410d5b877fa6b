"""How well auto-matching does on a generated bank statement whose right answers are known (bench-books' last phase).

Issue 13: "on a generated statement with known answers, report the share
matched correctly, the share left for a person, and wrong matches (goal: 0
wrong)". Each case is one statement line and the journal entries around it,
in tenant 2's books (untouched by the other phases), one kind per case in turn:

- reference: the customer's payment names its invoice (``INV-k``), booked in an
  entry that names it too; every other case of this kind also has a decoy, the
  same amount a day apart naming another invoice. Answer: the named entry.
- plain: a card purchase, no reference on either side, one entry of the amount.
  Answer: that entry.
- ambiguous: two cash sales of the same amount near the date, no references.
  Answer: the first (auto-matching can only guess, so it should leave it).
- trap: the only entry of the amount names another invoice than the payment.
  Answer: none (erpnext #46725 paired these).
- split: one remittance paying two invoices, both named in its text.
  Answer: both entries.
- orphan: money nobody booked yet. Answer: none.

Correct: auto-matched to exactly the answer. Wrong: auto-matched to anything
else (the answer none included). Left: not auto-matched (a person decides).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

KINDS = ("reference", "reference", "reference", "reference", "plain", "plain", "ambiguous", "trap", "split", "orphan")
START = date(2026, 1, 5)
BANK = "1010"


@dataclass
class Case:
    number: int
    kind: str
    day: date
    amount: int  # minor units, money in
    reference: str = ""
    description: str = ""
    answer: set[tuple[str, int]] = field(default_factory=set)  # (entry id, line number) auto-matching should take


@dataclass(frozen=True)
class Accuracy:
    cases: int
    with_answer: int
    correct: int
    left: int
    wrong: int
    seconds: float
    wrong_cases: list[str]

    @property
    def correct_share(self) -> float:
        return self.correct / self.with_answer if self.with_answer else 0.0

    @property
    def left_share(self) -> float:
        return self.left / self.cases if self.cases else 0.0


def _amount(k: int) -> int:
    return 10_000 + 137 * k  # distinct for every case


def _post(http: httpx.Client, headers: dict, day: date, amount: int, memo: str) -> tuple[str, int]:
    """A posted receipt: the bank (1010) debited, revenue (4000) credited; its bank line is line 1."""
    lines = [{"account": BANK, "debit": amount}, {"account": "4000", "credit": amount}]
    draft = http.post("/api/v1/books/journal-entries", headers=headers,
                      json={"date": day.isoformat(), "memo": memo, "lines": lines})  # fmt: skip
    if draft.status_code != 201:
        raise SystemExit(f"matching: a draft answered {draft.status_code}: {draft.text[:300]}")
    posted = http.post(f"/api/v1/books/journal-entries/{draft.json()['id']}/post", headers=headers)
    if posted.status_code != 200 or posted.json()["status"] != "posted":
        raise SystemExit(f"matching: posting answered {posted.status_code}: {posted.text[:300]}")
    return draft.json()["id"], 1


def _make_case(http: httpx.Client, headers: dict, k: int) -> Case:
    kind = KINDS[k % len(KINDS)]
    day = START + timedelta(days=(k * 7) % 330)
    booked = day - timedelta(days=k % 4)  # the books' date a few days before the bank's
    amount = _amount(k)
    case = Case(k, kind, day, amount, description=f"Case {k}")
    if kind == "reference":
        case.reference = f"INV-{k}"
        case.answer = {_post(http, headers, booked, amount, f"Customer {k} INV-{k}")}
        if k % 2 == 0:
            _post(http, headers, booked + timedelta(days=1), amount, f"Customer {k + 1} INV-{900_000 + k}")
    elif kind == "plain":
        case.description = f"Case {k} card purchase"
        case.answer = {_post(http, headers, booked, amount, "Office supplies")}
    elif kind == "ambiguous":
        case.answer = {_post(http, headers, booked, amount, "Cash sale")}
        _post(http, headers, booked + timedelta(days=1), amount, "Cash sale")
    elif kind == "trap":
        case.reference = f"INV-{k}"
        _post(http, headers, booked, amount, f"Customer INV-{800_000 + k}")
    elif kind == "split":
        second = 5_000 + k
        case.reference = f"RA-{k}"
        case.description = f"Case {k} remittance INV-{k} INV-{700_000 + k}"
        case.answer = {
            _post(http, headers, booked, amount, f"Customer INV-{k}"),
            _post(http, headers, booked - timedelta(days=1), second, f"Customer INV-{700_000 + k}"),
        }
        case.amount = amount + second
    return case


def _statement(cases: list[Case]) -> bytes:
    rows = ["Date,Amount,Details,Ref"]
    rows += [f"{c.day.isoformat()},{c.amount // 100}.{c.amount % 100:02d},{c.description},{c.reference}" for c in cases]
    return ("\n".join(rows) + "\n").encode()


def measure(http: httpx.Client, tenant: str, cases: int) -> Accuracy:
    headers = {"X-Tenant": tenant}
    made = http.post("/api/v1/books/bank-accounts", headers=headers, json={
        "ledger_account": BANK, "name": "Matching bank", "currency": "USD",
        "csv_mapping": {"date": "Date", "amount": "Amount", "description": "Details", "reference": "Ref"}})  # fmt: skip
    if made.status_code != 201:
        raise SystemExit(f"matching: making the bank account answered {made.status_code}: {made.text}")
    account = made.json()["id"]
    generated = [_make_case(http, headers, k) for k in range(1, cases + 1)]
    imported = http.post(f"/api/v1/books/bank-accounts/{account}/statements", headers=headers,
                         files={"file": ("known.csv", _statement(generated), "text/csv")})  # fmt: skip
    if imported.status_code != 201 or imported.json()["new"] != cases:
        raise SystemExit(f"matching: the statement import answered {imported.status_code}: {imported.text[:300]}")
    started = time.monotonic()
    answer = http.post(f"/api/v1/books/bank-accounts/{account}/reconciliation/auto", headers=headers, json={})
    seconds = time.monotonic() - started
    if answer.status_code != 200:
        raise SystemExit(f"matching: auto-matching answered {answer.status_code}: {answer.text[:300]}")
    by_case = {int(c.description.split()[1]): c for c in generated}
    taken = {
        int(match["line"]["description"].split()[1]): {(part["entry_id"], part["line_number"])
                                                       for part in match["journal_lines"]}
        for match in answer.json()["matches"]
    }  # fmt: skip
    correct = sum(1 for k, lines in taken.items() if lines == by_case[k].answer)
    wrong = sorted(f"{by_case[k].kind} {k}" for k, lines in taken.items() if lines != by_case[k].answer)
    return Accuracy(
        cases=cases, with_answer=sum(1 for c in generated if c.answer), correct=correct,
        left=cases - len(taken), wrong=len(wrong), seconds=seconds, wrong_cases=wrong,
    )  # fmt: skip
