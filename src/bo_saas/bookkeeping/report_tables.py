"""Each report as a ``report_files.ReportTable`` in English or Arabic: what its CSV, XLSX and PDF show."""

from __future__ import annotations

from datetime import date

from bo_saas.bookkeeping.general_ledger import GeneralLedger
from bo_saas.bookkeeping.report_files import Money, ReportTable
from bo_saas.bookkeeping.statements import BalanceSheet, ProfitAndLoss, StatementRow
from bo_saas.bookkeeping.trial_balance import TrialBalance
from bo_saas.bookkeeping.vat_return import VatReturn
from bo_saas.lib.locale_text import Language, long_date

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "trial_balance": "Trial balance", "profit_and_loss": "Profit and loss", "balance_sheet": "Balance sheet",
        "general_ledger": "General ledger", "from": "From", "to": "To", "as_of": "As of", "start": "the start",
        "today": "today", "account": "Account", "name": "Name", "debit": "Debit", "credit": "Credit",
        "balance": "Balance", "amount": "Amount", "total": "Total", "income": "Income", "expenses": "Expenses",
        "net_result": "Net result", "assets": "Assets", "liabilities": "Liabilities", "equity": "Equity",
        "result": "Result not yet closed", "liabilities_and_equity": "Liabilities and equity", "date": "Date",
        "entry": "Entry", "memo": "Memo", "opening": "Opening balance", "closing": "Closing balance",
        "section": "Section", "vat_return": "VAT return", "sales": "Sales (net)",
        "purchases": "Purchases (net)", "output_vat": "Output VAT (on sales)", "input_vat": "Input VAT (on purchases)",
        "net_vat": "VAT owed (negative: to reclaim)", "box": "Box",
    },
    "ar": {
        "trial_balance": "ميزان المراجعة", "profit_and_loss": "قائمة الأرباح والخسائر",
        "balance_sheet": "الميزانية العمومية", "general_ledger": "دفتر الأستاذ العام", "from": "من", "to": "إلى",
        "as_of": "في تاريخ", "start": "البداية", "today": "اليوم", "account": "الحساب", "name": "الاسم",
        "debit": "مدين", "credit": "دائن", "balance": "الرصيد", "amount": "المبلغ", "total": "الإجمالي",
        "income": "الإيرادات", "expenses": "المصروفات", "net_result": "صافي النتيجة", "assets": "الأصول",
        "liabilities": "الالتزامات", "equity": "حقوق الملكية", "result": "نتيجة غير مقفلة بعد",
        "liabilities_and_equity": "الالتزامات وحقوق الملكية", "date": "التاريخ", "entry": "القيد",
        "memo": "البيان", "opening": "الرصيد الافتتاحي", "closing": "الرصيد الختامي", "section": "القسم",
        "vat_return": "إقرار ضريبة القيمة المضافة", "sales": "المبيعات (الصافي)", "purchases": "المشتريات (الصافي)",
        "output_vat": "ضريبة المخرجات (على المبيعات)", "input_vat": "ضريبة المدخلات (على المشتريات)",
        "net_vat": "الضريبة المستحقة (السالب: مستردة)", "box": "البند",
    },
}  # fmt: skip


def _day(day: date | None, language: Language, missing: str) -> str:
    return long_date(day, language) if day is not None else _WORDS[language][missing]


def _range(start: date | None, end: date | None, language: Language) -> list[tuple[str, str]]:
    words = _WORDS[language]
    return [(words["from"], _day(start, language, "start")), (words["to"], _day(end, language, "today"))]


def trial_balance_table(report: TrialBalance, language: Language) -> ReportTable:
    w = _WORDS[language]
    table = ReportTable(w["trial_balance"], _range(report.start, report.end, language),
                        [w["account"], w["name"], w["debit"], w["credit"], w["balance"]], {2, 3, 4})  # fmt: skip
    table.rows = [[r.account, r.name, Money(r.debit), Money(r.credit), Money(r.balance)] for r in report.rows]
    balance = report.total_debit - report.total_credit
    table.totals = [[w["total"], "", Money(report.total_debit), Money(report.total_credit), Money(balance)]]
    return table


def _section(title: str, rows: list[StatementRow], total: int, words: dict[str, str]) -> list[list]:
    return [[title, row.account, row.name, Money(row.amount)] for row in rows] + [
        [title, "", words["total"], Money(total)]
    ]


def profit_and_loss_table(report: ProfitAndLoss, language: Language) -> ReportTable:
    w = _WORDS[language]
    table = ReportTable(w["profit_and_loss"], _range(report.start, report.end, language),
                        [w["section"], w["account"], w["name"], w["amount"]], {3})  # fmt: skip
    table.rows = _section(w["income"], report.income, report.total_income, w) + _section(
        w["expenses"], report.expenses, report.total_expenses, w
    )
    table.totals = [[w["net_result"], "", "", Money(report.net_result)]]
    return table


def balance_sheet_table(report: BalanceSheet, language: Language) -> ReportTable:
    w = _WORDS[language]
    table = ReportTable(w["balance_sheet"], [(w["as_of"], _day(report.as_of, language, "today"))],
                        [w["section"], w["account"], w["name"], w["amount"]], {3})  # fmt: skip
    equity = [[w["equity"], row.account, row.name, Money(row.amount)] for row in report.equity]
    table.rows = (
        _section(w["assets"], report.assets, report.total_assets, w)
        + _section(w["liabilities"], report.liabilities, report.total_liabilities, w)
        + equity
        + [
            [w["equity"], "", w["result"], Money(report.result)],
            [w["equity"], "", w["total"], Money(report.total_equity)],
        ]
    )
    table.totals = [[w["liabilities_and_equity"], "", "", Money(report.total_liabilities_and_equity)]]
    return table


def general_ledger_table(report: GeneralLedger, language: Language) -> ReportTable:
    w = _WORDS[language]
    table = ReportTable(w["general_ledger"], _range(report.start, report.end, language),
                        [w["account"], w["date"], w["entry"], w["memo"], w["debit"], w["credit"], w["balance"]],
                        {4, 5, 6})  # fmt: skip
    for account in report.accounts:
        table.rows.append([f"{account.account} {account.name}", "", "", w["opening"], "", "", Money(account.opening)])
        for line in account.lines:
            memo = " — ".join(part for part in (line.memo, line.description) if part)
            table.rows.append([account.account, line.date.isoformat(), line.entry, memo, Money(line.debit),
                               Money(line.credit), Money(line.balance)])  # fmt: skip
        table.rows.append([account.account, "", "", w["closing"], "", "", Money(account.closing)])
    return table


def vat_return_table(report: VatReturn, language: Language) -> ReportTable:
    w = _WORDS[language]
    table = ReportTable(w["vat_return"], _range(report.start, report.end, language), [w["box"], w["amount"]], {1})
    table.rows = [[w[key], Money(getattr(report, key))] for key in ("sales", "purchases", "output_vat", "input_vat")]
    table.totals = [[w["net_vat"], Money(report.net_vat)]]
    return table
