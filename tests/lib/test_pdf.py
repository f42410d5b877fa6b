"""The PDF layout shared by invoices, payslips and reports: Arabic and English, bundled font, pages."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

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


def _placed_text(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with where it starts (x, y in points; y grows up the page)."""
    placed: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            placed.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return placed


def test_a_cell_too_long_for_its_column_wraps_and_its_row_grows_to_hold_it() -> None:
    document = PdfDocument(language="en", title="Invoice")
    words = " ".join(f"word{n}" for n in range(40))
    document.table(
        [Column("Description", 1), Column("Amount", 1, figure=True)],
        [[words, "1.00"], ["Line one\nLine two", "2.00"], ["Next row", "3.00"]],
    )

    placed = _placed_text(document.to_bytes())

    wrapped = [(x, y) for text, x, y in placed if text.startswith("word")]
    assert len({y for _, y in wrapped}) >= 3  # several lines, not one line running out of its cell
    assert {n for n in range(40) if any(f"word{n}" in text for text, _, _ in placed)} == set(range(40))
    amount_x = next(x for text, x, _ in placed if text == "1.00")
    assert all(x < amount_x for x, _ in wrapped)  # the description stays in its own column
    one, two, nxt = (next(y for text, _, y in placed if text == t) for t in ("Line one", "Line two", "Next row"))
    assert one > two > nxt  # a line break in a value is kept, and the next row starts below the tallest cell
    assert min(y for _, y in wrapped) > one


@pytest.mark.parametrize("language", ["en", "ar"])
def test_arabic_in_a_table_cell_is_shaped_into_joined_letters_in_either_language(language: str) -> None:
    document = PdfDocument(language=language, title="Payslip")
    document.table([Column("Item", 5), Column("Amount", 2, figure=True)], [["الراتب الأساسي", "SAR 12,500.00"]])

    embedded = {glyph.glyph_name for font in document._pdf.fonts.values() for glyph, _ in font.subset.items() if glyph}

    # HarfBuzz gave each letter its form for its place in the word (the alef joined after a seen, the seen
    # starting a join); unshaped text has only the isolated forms (uni0627, uni0633).
    assert {"uni0627.fina", "uni0633.init"} <= embedded


def test_plain_latin_text_in_an_english_document_reads_back_as_written() -> None:
    document = PdfDocument(language="en", title="Payslip", footer="Tenant · PS-2026-000001")
    document.heading("Payslip PS-2026-000001")
    document.facts([("Employee", "Zoë Lindqvist-Ávila"), ("Period", "2026-11")])
    document.table([Column("Item", 5), Column("Amount", 2, figure=True)], [["Basic salary", "€8,000.10"]])

    text = PdfReader(io.BytesIO(document.to_bytes())).pages[0].extract_text()

    for written in ("Payslip PS-2026-000001", "Zoë Lindqvist-Ávila", "Basic salary", "€8,000.10", "Page 1 / 1"):
        assert written in text


def _font_files(pdf: bytes) -> list[bytes]:
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return sorted(
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_data()
        for font in fonts.values()
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_documents_differing_only_in_their_figures_embed_the_same_font_subsets(language: str) -> None:
    def payslip(figures: str) -> bytes:
        document = PdfDocument(language=language, title="Payslip")
        document.heading(f"PS-2026-00{figures[:4]}")
        document.table([Column("Item", 5), Column("Amount", 2, figure=True)], [["Basic salary", figures]], bold_last=1)
        return document.to_bytes()

    assert _font_files(payslip("1,111.11")) == _font_files(payslip("2,345.67")) == _font_files(payslip("8,090.90"))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_table_running_onto_further_pages_repeats_its_heading_on_each(language: str) -> None:
    document = PdfDocument(language=language, title="Report")
    document.table([Column("Account", 4), Column("Amount", 1, figure=True)], [[f"{n}", f"{n}.00"] for n in range(120)])

    pdf = document.to_bytes()

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    for page in range(len(pages)):
        placed = [(text.strip(LRI + PDI), y) for text, _, y in _placed_text(pdf, page)]
        top = max(y for _, y in placed)
        assert {text for text, y in placed if y == top} == {"Account", "Amount"}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_same_words_in_a_plain_and_a_bold_row_keep_each_rows_style(language: str) -> None:
    document = PdfDocument(language=language, title="Payslip")
    document.table([Column("Item", 5), Column("Amount", 2, figure=True)], [["Net pay", "9.00"]] * 3, bold_last=1)
    fonts: list[str] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip(LRI + PDI + " ") == "Net pay":
            fonts.append(str(font["/BaseFont"]))

    PdfReader(io.BytesIO(document.to_bytes())).pages[0].extract_text(visitor_text=visit)

    assert [name.endswith("AmiriBold") for name in fonts] == [False, False, True]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_bidi_runs_kept_between_documents_give_the_fragments_fpdf2_makes(language: str) -> None:
    from fpdf import FPDF

    texts = [
        isolate_latin_runs("قسيمة راتب PS-2026-000001 بمبلغ USD 1,234.50"),
        "\u200f12,345.67\xa0€",
        "Noura Saleh نورة (Growth)",
        f"صفحة {isolated_ltr('1 / {nb}')}",
        "Basic salary",
    ]
    for _ in range(2):  # the second document finds every string's runs kept
        pdf = PdfDocument(language=language, title="Payslip")._pdf
        for style in ("", "B"):
            pdf.set_font(pdf.font_family, style=style, size=10)
            for text in texts:
                assert pdf._styled_runs(text) == FPDF._preload_bidirectional_text(pdf, text, False)
