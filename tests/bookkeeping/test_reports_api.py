"""Bookkeeping reports through the API: profit and loss, balance sheet, general ledger; JSON and CSV/XLSX/PDF files."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.bookkeeping.helpers import a_draft, a_posted, books_headers, line, open_books

REPORTS = "/api/v1/books/reports"
# Capital paid in, a sale, rent, a loan: every section of the balance sheet has something.
ENTRIES = [
    ("2026-03-01", [line("1000", debit=500000), line("3000", credit=500000)]),
    ("2026-03-10", [line("1000", debit=11900, description="cash in"), line("4000", credit=11900, description="sale")]),
    ("2026-03-15", [line("6100", debit=3000), line("1000", credit=3000)]),
    ("2026-04-02", [line("1000", debit=100000), line("2000", credit=100000)]),
]


async def _books(client, desk) -> None:
    for day, lines in ENTRIES:
        await a_posted(client, desk, lines, day=day)
    await a_draft(client, desk, [line("6200", debit=7), line("1000", credit=7)])  # a draft is in no report


async def test_profit_and_loss_balance_sheet_and_ledger_agree_on_the_same_postings(client, desk):
    await _books(client, desk)
    headers = books_headers(desk, "member")

    march = (await client.get(f"{REPORTS}/profit-and-loss", params={"from": "2026-03-01", "to": "2026-03-31"},
                              headers=headers)).json()  # fmt: skip
    sheet = (await client.get(f"{REPORTS}/balance-sheet", params={"to": "2026-04-30"}, headers=headers)).json()
    cash_only = {"from": "2026-03-12", "to": "2026-04-30", "account": "1000"}
    ledger = (await client.get(f"{REPORTS}/general-ledger", params=cash_only, headers=headers)).json()

    assert march["income"] == [{"account": "4000", "name": "Revenue", "group": march["income"][0]["group"],
                                "amount": 11900}]  # fmt: skip
    assert [(row["account"], row["amount"]) for row in march["expenses"]] == [("6100", 3000)]
    assert (march["total_income"], march["total_expenses"], march["net_result"]) == (11900, 3000, 8900)
    assert [(row["account"], row["amount"]) for row in sheet["assets"]] == [("1000", 608900)]
    assert [(row["account"], row["amount"]) for row in sheet["liabilities"]] == [("2000", 100000)]
    assert [(row["account"], row["amount"]) for row in sheet["equity"]] == [("3000", 500000)]
    assert sheet["result"] == march["net_result"]
    assert sheet["total_assets"] == sheet["total_liabilities_and_equity"] == 608900
    [cash] = ledger["accounts"]
    assert (cash["account"], cash["opening"], cash["closing"]) == ("1000", 511900, 608900)
    assert [(entry["debit"], entry["credit"], entry["balance"]) for entry in cash["lines"]] == [
        (0, 3000, 508900),
        (100000, 0, 608900),
    ]
    assert cash["lines"][0]["entry"].startswith("JE-2026-")


async def test_a_report_downloads_as_csv_xlsx_and_pdf_in_english_and_arabic(client, desk):
    await _books(client, desk)
    headers = books_headers(desk, "member")
    params = {"from": "2026-03-01", "to": "2026-03-31"}

    csv_file = await client.get(f"{REPORTS}/trial-balance", params={**params, "format": "csv"}, headers=headers)
    xlsx_file = await client.get(f"{REPORTS}/profit-and-loss", params={**params, "format": "xlsx", "lang": "ar"},
                                 headers=headers)  # fmt: skip
    pdf_en = await client.get(f"{REPORTS}/balance-sheet", params={"to": "2026-04-30", "format": "pdf"},
                              headers=headers)  # fmt: skip
    pdf_ar = await client.get(f"{REPORTS}/general-ledger", params={**params, "format": "pdf", "lang": "ar"},
                              headers=headers)  # fmt: skip

    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    assert 'filename="trial-balance_2026-03-01_2026-03-31.csv"' in csv_file.headers["content-disposition"]
    text = csv_file.content.decode("utf-8-sig")
    assert "1000,Cash on hand,5119.00,30.00,5089.00" in text.replace("\r\n", "\n")
    assert xlsx_file.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx_file.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "قائمة الأرباح والخسائر"
    assert ["الإيرادات", "4000", "Revenue", 119.0] in [row[:4] for row in sheet]
    assert sheet[-1][0] == "صافي النتيجة" and sheet[-1][3] == 89.0
    for pdf in (pdf_en, pdf_ar):
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 2000


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("profit-and-loss", {"from": "2026-04-01", "to": "2026-03-01"}),
        ("general-ledger", {"from": "2026-04-01", "to": "2026-03-01"}),
        ("trial-balance", {"format": "docx"}),
        ("balance-sheet", {"format": "pdf", "lang": "fr"}),
    ],
)
async def test_a_backwards_range_or_an_unknown_format_or_language_is_a_400(client, desk, path, params):
    answer = await client.get(f"{REPORTS}/{path}", params=params, headers=books_headers(desk, "member"))

    assert answer.status_code == 400, answer.text


async def test_the_vat_return_nets_output_against_input_vat_from_the_charts_vat_accounts(client, desk, admin_session):
    await open_books(admin_session, desk.tenant.id, chart="vat_standard")
    sale = [line("1000", debit=11500), line("4000", credit=10000), line("2400", credit=1500)]
    purchase = [line("6100", debit=2000), line("1400", debit=300), line("1000", credit=2300)]
    await a_posted(client, desk, sale, day="2026-03-10")
    await a_posted(client, desk, purchase, day="2026-03-20")
    await a_posted(client, desk, sale, day="2026-04-10")  # outside the quarter asked for

    answer = await client.get(f"{REPORTS}/vat-return", params={"from": "2026-01-01", "to": "2026-03-31"},
                              headers=books_headers(desk, "member"))  # fmt: skip
    pdf = await client.get(f"{REPORTS}/vat-return", params={"to": "2026-03-31", "format": "pdf", "lang": "ar"},
                           headers=books_headers(desk, "member"))  # fmt: skip

    assert answer.json() == {"from": "2026-01-01", "to": "2026-03-31", "sales": 10000, "purchases": 2000,
                             "output_vat": 1500, "input_vat": 300, "net_vat": 1200}  # fmt: skip
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_book_on_a_chart_without_vat_accounts_has_no_vat_return(client, desk):
    answer = await client.get(f"{REPORTS}/vat-return", headers=books_headers(desk, "member"))

    assert answer.status_code == 409 and "vat_standard" in answer.json()["detail"]
