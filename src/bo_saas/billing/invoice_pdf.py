"""An invoice as a PDF, in the billing profile's invoice language (English or Arabic).

The same figures as the invoice's JSON, laid out by ``lib/pdf.py``: who it is
made out to (the billing profile, else the tenant's name), the number and
dates, every line with its arithmetic, the totals. Money is written for the
reader's locale (``lib/locale_text.py``) with billing's own minor-unit exponents.
A draft says it is a draft: it may still change.
"""

from __future__ import annotations

from datetime import datetime

from bo_saas.billing.currencies import exponent
from bo_saas.billing.models import BillingProfile
from bo_saas.billing.schemas import InvoiceOut
from bo_saas.lib.locale_text import Language, long_date, money
from bo_saas.lib.pdf import Column, PdfDocument

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "invoice": "Invoice", "draft": "Draft invoice (not final; it may change)", "period": "Period",
        "bill_to": "Bill to", "tax_id": "Tax ID", "issued": "Issued", "due": "Due", "status": "Status",
        "description": "Description", "quantity": "Quantity", "unit_price": "Unit price", "amount": "Amount",
        "subtotal": "Subtotal", "tax": "Tax", "total": "Total", "amount_due": "Amount due",
    },
    "ar": {
        "invoice": "فاتورة", "draft": "مسودة فاتورة (غير نهائية وقد تتغير)", "period": "الفترة",
        "bill_to": "إلى", "tax_id": "الرقم الضريبي", "issued": "تاريخ الإصدار", "due": "تاريخ الاستحقاق",
        "status": "الحالة", "description": "الوصف", "quantity": "الكمية", "unit_price": "سعر الوحدة",
        "amount": "المبلغ", "subtotal": "المجموع الفرعي", "tax": "الضريبة", "total": "الإجمالي",
        "amount_due": "المبلغ المستحق",
    },
}  # fmt: skip


def customer_facts(label: str, tax_id_label: str, tenant_name: str, profile: BillingProfile | None) -> list:
    """Who a billing document is made out to: the billing profile's legal name, address and tax id, else the tenant."""
    facts = [(label, profile.legal_name if profile else tenant_name)]
    if profile is not None:
        facts.append(("", profile.address))
        if profile.tax_id:
            facts.append((tax_id_label, profile.tax_id))
    return facts


def _day(moment: datetime | None, language: Language) -> str:
    return long_date(moment.date(), language) if moment else "—"


def invoice_pdf(invoice: InvoiceOut, tenant_name: str, profile: BillingProfile | None) -> bytes:
    language: Language = profile.invoice_language.value if profile else "en"  # type: ignore[assignment]
    words = _WORDS[language]
    digits = exponent(invoice.currency)

    def amount(minor: int) -> str:
        return money(minor, invoice.currency, language, exponent=digits)

    title = f"{words['invoice']} {invoice.number}" if invoice.number else words["draft"]
    document = PdfDocument(language=language, title=title, footer=f"{tenant_name} · {invoice.number or invoice.id}")
    document.heading(title)
    facts = customer_facts(words["bill_to"], words["tax_id"], tenant_name, profile)
    facts += [
        (words["period"], invoice.period),
        (words["issued"], _day(invoice.issued_at, language)),
        (words["due"], _day(invoice.due_at, language)),
    ]
    document.facts(facts)
    columns = [
        Column(words["description"], 5),
        Column(words["quantity"], 1.2, figure=True),
        Column(words["unit_price"], 1.5, figure=True),
        Column(words["amount"], 1.8, figure=True),
    ]
    rows = [[line.description, str(line.quantity), line.unit_price, amount(line.amount)] for line in invoice.lines]
    totals = [
        [words["subtotal"], "", "", amount(invoice.subtotal)],
        [words["tax"], "", "", amount(invoice.tax)],
        [words["total"], "", "", amount(invoice.total)],
        [words["amount_due"], "", "", amount(invoice.amount_due)],
    ]
    document.table(columns, rows + totals, bold_last=len(totals))
    return document.to_bytes()
