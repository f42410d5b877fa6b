"""The PDF layout shared by invoices, payslips and reports: Arabic and English, bundled font, pages."""

from __future__ import annotations

import re

import pytest

from bo_saas.lib.bidi import LRI, PDI, isolate_latin_runs, isolated_ltr
from bo_saas.lib.pdf import Column, PdfDocument


def test_dates_codes_and_amounts_in_arabic_text_are_isolated_as_units() -> None:
    text = isolate_latin_runs("فاتورة INV-2026-000123 بتاريخ 2026-11-30 بمبلغ USD 1,234.50")

    assert f"{LRI}INV-2026-000123{PDI}" in text
    assert f"{LRI}2026-11-30{PDI}" in text
    assert f"{LRI}USD 1,234.50{PDI}" in text
    # Only isolates were added: the words read as they were written.
    assert text.replace(LRI, "").replace(PDI, "") == "فاتورة INV-2026-000123 بتاريخ 2026-11-30 بمبلغ USD 1,234.50"


def test_brackets_stay_outside_the_isolate_so_the_paragraph_mirrors_them() -> None:
    assert isolate_latin_runs("الخطة (Growth)") == f"الخطة ({LRI}Growth{PDI})"


def test_text_that_already_holds_isolates_is_left_as_its_author_placed_them() -> None:
    placed = f"المرجع {isolated_ltr('AC-12 / 3')}"

    assert isolate_latin_runs(placed) == placed


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_long_table_runs_onto_further_pages_with_the_bundled_font(language: str) -> None:
    document = PdfDocument(language=language, title="Invoice", footer="INV-2026-000001")
    document.heading("فاتورة" if language == "ar" else "Invoice")
    document.facts([("الفترة" if language == "ar" else "Period", "2026-11")])
    columns = [Column("الوصف" if language == "ar" else "Description", 4), Column("Amount", 1, figure=True)]
    document.table(columns, [[f"سطر {n}" if language == "ar" else f"Line {n}", f"{n}.00"] for n in range(120)])

    pdf = document.to_bytes()

    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) >= 3
    assert b"Amiri" in pdf  # embedded from lib/fonts, not a system font


def test_a_short_document_is_one_page() -> None:
    document = PdfDocument(language="ar", title="Payslip")
    document.paragraph("راتب شهر 2026-11")

    assert _pages(document.to_bytes()) == 1


def test_a_row_with_a_missing_value_is_refused() -> None:
    document = PdfDocument(language="en", title="Report")

    with pytest.raises(ValueError, match="one value per column"):
        document.table([Column("Account"), Column("Balance", figure=True)], [["1000 Cash"]])


def _document(language: str) -> bytes:
    document = PdfDocument(language=language, title="Payslip", footer="Tenant · PS-2026-000001")
    document.heading("قسيمة راتب" if language == "ar" else "Payslip PS-2026-000001")
    document.facts([("الموظف" if language == "ar" else "Employee", "Noura Saleh نورة"), ("Period", "2026-11")])
    columns = [Column("Item", 5), Column("Amount", 2, figure=True)]
    document.table(columns, [["Basic salary", "SAR 12,500.00"], ["بدل سكن", "SAR 3,125.00"]], bold_last=1)
    return document.to_bytes()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_font_parsed_once_and_its_kept_subsets_give_the_bytes_fpdf2_gives_on_its_own(language, monkeypatch):
    from fpdf.output import OutputProducer

    from bo_saas.lib import pdf, pdf_fonts

    _document(language)  # the kept subsets and shapings now hold this document's glyphs
    kept = _document(language)

    def fpdf2_add_font(fpdf) -> None:
        for style, name in pdf_fonts.FACES.items():
            fpdf.add_font(pdf_fonts.FAMILY, style=style, fname=str(pdf_fonts.FONTS / name))

    monkeypatch.setattr(pdf, "add_bundled_font", fpdf2_add_font)
    monkeypatch.setattr(pdf, "BundledFontOutput", OutputProducer)
    plain = _document(language)

    def stamped(content: bytes) -> bytes:  # the creation time and the file id differ by a second, rightly
        return re.sub(rb"/CreationDate \(.*?\)|/ID \[.*?\]", b"", content)

    assert stamped(kept) == stamped(plain)
