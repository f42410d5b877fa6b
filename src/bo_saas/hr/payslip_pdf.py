"""A payslip as a PDF in English or Arabic, laid out by the shared PDF layer (``lib/pdf.py``).

Components marked hidden are computed and counted in the totals but left off
the document (frappe/hrms #1109): e.g. an employer's internal cost centre split.
A payslip without a number is a draft and says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from bo_saas.hr.payroll_models import ComponentKind
from bo_saas.lib.locale_text import Language, money
from bo_saas.lib.pdf import Column, PdfDocument

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "payslip": "Payslip", "draft": "Draft payslip (not final; it may change)", "employee": "Employee",
        "number": "Employee number", "period": "Period", "days": "Days paid", "item": "Item", "earning": "Earnings",
        "deduction": "Deductions", "employer_contribution": "Employer contributions", "amount": "Amount",
        "gross": "Gross pay", "total_deductions": "Total deductions", "net": "Net pay",
    },
    "ar": {
        "payslip": "قسيمة راتب", "draft": "مسودة قسيمة راتب (غير نهائية وقد تتغير)", "employee": "الموظف",
        "number": "الرقم الوظيفي", "period": "الفترة", "days": "أيام مدفوعة", "item": "البند", "earning": "الاستحقاقات",
        "deduction": "الاستقطاعات", "employer_contribution": "مساهمات صاحب العمل", "amount": "المبلغ",
        "gross": "إجمالي الراتب", "total_deductions": "إجمالي الاستقطاعات", "net": "صافي الراتب",
    },
}  # fmt: skip


def payslip_pdf(payslip, lines: Sequence, period: str, currency: str, tenant_name: str, language: Language) -> bytes:
    """``payslip`` and ``lines`` are the rows (or anything with their attributes)."""
    words = _WORDS[language]

    def amount(minor: int) -> str:
        return money(minor, currency, language)

    title = f"{words['payslip']} {payslip.number}" if payslip.number else words["draft"]
    document = PdfDocument(language=language, title=title, footer=f"{tenant_name} · {payslip.number or period}")
    document.heading(title)
    document.facts([
        (words["employee"], payslip.employee_name),
        (words["number"], payslip.employee_number),
        (words["period"], period),
        (words["days"], f"{payslip.days_paid} / {payslip.days_in_period}"),
    ])  # fmt: skip
    columns = [Column(words["item"], 5), Column(words["amount"], 2, figure=True)]
    shown = [line for line in lines if not line.hidden]
    for kind in ComponentKind:
        rows = [[_name(line, language), amount(line.amount)] for line in shown if line.kind == kind]
        if rows:
            document.heading(words[kind.value], size=12)
            document.table(columns, rows)
    totals = [
        [words["gross"], amount(payslip.gross)],
        [words["total_deductions"], amount(payslip.deductions)],
        [words["net"], amount(payslip.net)],
    ]
    document.table(columns, totals, bold_last=1)
    return document.to_bytes()


def _name(line, language: Language) -> str:
    return line.name_ar if language == "ar" and line.name_ar else line.name
