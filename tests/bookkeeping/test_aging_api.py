"""AR and AP aging through the API: buckets by days past due as of `to`, agreeing with the ledger; files in EN/AR."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from tests.bookkeeping.helpers import TRIAL_BALANCE, books_headers
from tests.bookkeeping.test_contacts_api import contact, item, pay

REPORTS = "/api/v1/books/reports"


async def _receivables(client, desk) -> dict:
    """Acme: one invoice due 2026-06-25 (not yet due on 06-30), one due 05-31 (30 days), one due 04-15 (76 days),
    part paid; Beta: one due 2026-03-01 (121 days past due on 06-30). Due dates given outright (no terms)."""
    acme = await contact(client, desk)
    beta = await contact(client, desk, name="Beta Stores")
    made = {}
    for who, number, amount, day, due in (
        (acme, "A-1", 1000, "2026-06-10", "2026-06-25"),
        (acme, "A-2", 2000, "2026-05-01", "2026-05-31"),
        (acme, "A-3", 4000, "2026-03-16", "2026-04-15"),
        (beta, "B-1", 8000, "2026-02-01", "2026-03-01"),
    ):
        answer = await item(client, desk, who, number, amount, day=day, due_date=due)
        assert answer.status_code == 201, answer.text
        made[number] = answer.json()
    assert (await pay(client, desk, [(made["A-3"], 1500)], day="2026-04-20")).status_code == 201
    assert (await pay(client, desk, [(made["B-1"], 8000)], day="2026-07-05")).status_code == 201  # after 06-30
    return made


async def test_ar_aging_buckets_by_days_past_due_and_its_total_is_the_receivables_balance(client, desk):
    await _receivables(client, desk)
    headers = books_headers(desk, "member")

    report = (await client.get(f"{REPORTS}/ar-aging", params={"to": "2026-06-30"}, headers=headers)).json()
    ledger = (await client.get(TRIAL_BALANCE, params={"to": "2026-06-30"}, headers=headers)).json()
    later = (await client.get(f"{REPORTS}/ar-aging", params={"to": "2026-07-31"}, headers=headers)).json()

    rows = {row["contact"]: row for row in report["rows"]}
    assert (report["to"], report["kind"], report["currency"]) == ("2026-06-30", "receivable", "USD")
    assert list(rows) == ["Acme Trading", "Beta Stores"]
    acme, beta = rows["Acme Trading"], rows["Beta Stores"]
    assert (acme["days_0_30"], acme["days_31_60"], acme["days_61_90"], acme["days_over_90"]) == (3000, 0, 2500, 0)
    assert (beta["days_0_30"], beta["days_over_90"], beta["total"]) == (0, 8000, 8000)
    assert report["totals"]["total"] == 13500
    receivables = {row["account"]: row["balance"] for row in ledger["rows"]}["1100"]
    assert report["totals"]["total"] == receivables  # the aging follows the ledger as of the same date
    assert [row["contact"] for row in later["rows"]] == ["Acme Trading"]  # Beta paid on 07-05


async def test_ap_aging_shows_open_bills(client, desk):
    supplier = await contact(client, desk, "vendor", "Paper Supplies")
    await item(client, desk, supplier, "V-1", 700, kind="bills", account="6200", day="2026-01-05",
               due_date="2026-01-20")  # fmt: skip
    report = (await client.get(f"{REPORTS}/ap-aging", params={"to": "2026-03-01"},
                               headers=books_headers(desk, "member"))).json()  # fmt: skip
    assert report["kind"] == "payable"
    assert [(r["contact"], r["days_31_60"], r["total"]) for r in report["rows"]] == [("Paper Supplies", 700, 700)]
    empty = (await client.get(f"{REPORTS}/ar-aging", params={"to": "2026-03-01"},
                              headers=books_headers(desk, "member"))).json()  # fmt: skip
    assert empty["rows"] == [] and empty["totals"]["total"] == 0


async def test_the_aging_downloads_as_csv_xlsx_and_pdf_in_english_and_arabic(client, desk):
    await _receivables(client, desk)
    headers = books_headers(desk, "member")
    params = {"to": "2026-06-30"}

    csv_file = await client.get(f"{REPORTS}/ar-aging", params={**params, "format": "csv"}, headers=headers)
    xlsx_file = await client.get(f"{REPORTS}/ar-aging", params={**params, "format": "xlsx", "lang": "ar"},
                                 headers=headers)  # fmt: skip
    pdfs = [await client.get(f"{REPORTS}/{name}", params={**params, "format": "pdf", "lang": lang}, headers=headers)
            for name, lang in (("ar-aging", "en"), ("ap-aging", "ar"), ("ar-aging", "ar"))]  # fmt: skip

    assert 'filename="ar-aging_2026-06-30.csv"' in csv_file.headers["content-disposition"]
    text = csv_file.content.decode("utf-8-sig").replace("\r\n", "\n")
    assert "Accounts receivable aging" in text
    assert "Acme Trading,30.00,0.00,25.00,0.00,55.00" in text
    assert "Total,30.00,0.00,25.00,80.00,135.00" in text
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx_file.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "أعمار الذمم المدينة"
    assert ["Beta Stores", 0.0, 0.0, 0.0, 80.0, 80.0] in [row[:6] for row in sheet]
    for pdf in pdfs:
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
