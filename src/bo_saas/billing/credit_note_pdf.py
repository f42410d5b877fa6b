"""A credit note as a PDF, in the billing profile's invoice language (English or Arabic), laid out as its invoice is."""

from __future__ import annotations

from bo_saas.billing.credit_note_schemas import CreditNoteOut
from bo_saas.billing.currencies import exponent
from bo_saas.billing.invoice_pdf import customer_facts
from bo_saas.billing.models import BillingProfile
from bo_saas.lib.locale_text import Language, long_date, money
from bo_saas.lib.pdf import Column, PdfDocument

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "credit_note": "Credit note", "invoice": "Corrects invoice", "credit_to": "Credit to", "tax_id": "Tax ID",
        "issued": "Issued", "reason": "Reason", "description": "Description", "amount": "Amount",
        "full": "Full credit of the invoice", "partial": "Partial credit of the invoice", "subtotal": "Subtotal",
        "tax": "Tax", "total": "Total credited",
    },
    "ar": {
        "credit_note": "إشعار دائن", "invoice": "يصحح الفاتورة", "credit_to": "لصالح", "tax_id": "الرقم الضريبي",
        "issued": "تاريخ الإصدار", "reason": "السبب", "description": "الوصف", "amount": "المبلغ",
        "full": "إلغاء كامل لقيمة الفاتورة", "partial": "إلغاء جزئي لقيمة الفاتورة", "subtotal": "المجموع الفرعي",
        "tax": "الضريبة", "total": "إجمالي المبلغ الدائن",
    },
}  # fmt: skip


def credit_note_pdf(note: CreditNoteOut, tenant_name: str, profile: BillingProfile | None) -> bytes:
    language: Language = profile.invoice_language.value if profile else "en"  # type: ignore[assignment]
    words = _WORDS[language]
    digits = exponent(note.currency)

    def amount(minor: int) -> str:
        return money(minor, note.currency, language, exponent=digits)

    title = f"{words['credit_note']} {note.number}"
    document = PdfDocument(language=language, title=title, footer=f"{tenant_name} · {note.number}")
    document.heading(title)
    facts = customer_facts(words["credit_to"], words["tax_id"], tenant_name, profile)
    facts += [
        (words["invoice"], note.invoice_number),
        (words["issued"], long_date(note.issued_at.date(), language)),
        (words["reason"], note.reason),
    ]
    document.facts(facts)
    columns = [Column(words["description"], 6), Column(words["amount"], 2, figure=True)]
    rows = [
        [words["full"] if note.full else words["partial"], amount(note.subtotal)],
        [words["subtotal"], amount(note.subtotal)],
        [words["tax"], amount(note.tax)],
        [words["total"], amount(note.total)],
    ]
    document.table(columns, rows, bold_last=3)
    return document.to_bytes()
