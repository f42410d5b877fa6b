"""PDF documents in English or Arabic: invoices, payslips and reports share this one layout.

fpdf2 writes the file and HarfBuzz (uharfbuzz) shapes the text, both from pip,
so a fresh machine needs no system library. The font is bundled (Amiri, SIL
Open Font License, ``fonts/OFL.txt``): it has Arabic and Latin glyphs, so one
face serves both languages and a tenant's Arabic name on an English invoice.

An Arabic document runs right to left: text is aligned right, a table's first
column is the rightmost, and Latin runs inside Arabic text (numbers, dates,
codes) are isolated so they keep their reading order (``lib/bidi.py``).
Figures stay right-aligned in both languages so their digits line up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fpdf import FPDF
from fpdf.fonts import FontFace

from bo_saas.lib.bidi import isolate_latin_runs, isolated_ltr
from bo_saas.lib.pdf_fonts import FAMILY, BundledFontOutput, add_bundled_font

Language = Literal["en", "ar"]

GREY = (110, 110, 110)
RULE = (200, 200, 200)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    weight: float = 1.0  # share of the table's width
    figure: bool = False  # amounts and counts: right-aligned in either language


class _Pages(FPDF):
    """FPDF with a footer: the document's footer text and "page n / N"."""

    footer_text = ""
    page_label = "Page"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.footer_text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4, f"{self.page_label} {isolated_ltr(f'{self.page_no()} / {{nb}}')}", align="C")
        self.set_text_color(0, 0, 0)


class PdfDocument:
    """A document of headings, paragraphs, label/value facts and tables, written top to bottom."""

    def __init__(self, *, language: Language, title: str, footer: str = "", page_label: str = "") -> None:
        self.language = language
        self._rtl = language == "ar"
        self._pdf = _Pages(format="A4")
        self._pdf.footer_text = self._text(footer)
        self._pdf.page_label = page_label or ("صفحة" if self._rtl else "Page")
        self._pdf.set_title(title)
        self._pdf.set_creator("bo-saas")
        self._pdf.set_lang(language)
        add_bundled_font(self._pdf)  # parsed once per thread, not per document (lib/pdf_fonts.py)
        if self._rtl:
            self._pdf.set_text_shaping(use_shaping_engine=True, script="arab", language="ar")
        else:
            # No script given: HarfBuzz guesses per run, so an Arabic name on an English page still joins.
            self._pdf.set_text_shaping(use_shaping_engine=True)
        self._pdf.set_auto_page_break(auto=True, margin=18)
        self._pdf.add_page()
        self._pdf.set_font(FAMILY, size=10)

    @property
    def _align(self) -> str:
        return "R" if self._rtl else "L"

    def _text(self, text: str) -> str:
        return isolate_latin_runs(text) if self._rtl else text

    def heading(self, text: str, *, size: int = 16) -> None:
        self._pdf.set_font(FAMILY, style="B", size=size)
        self._pdf.cell(0, size * 0.6, self._text(text), align=self._align, new_x="LMARGIN", new_y="NEXT")
        self._pdf.set_font(FAMILY, size=10)
        self._pdf.ln(2)

    def paragraph(self, text: str, *, size: int = 10, muted: bool = False) -> None:
        self._pdf.set_font(FAMILY, size=size)
        if muted:
            self._pdf.set_text_color(*GREY)
        self._pdf.multi_cell(0, size * 0.55, self._text(text), align=self._align, new_x="LMARGIN", new_y="NEXT")
        self._pdf.set_text_color(0, 0, 0)
        self._pdf.ln(1)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label and value pairs, one per line (the invoice's number, dates, who it is made out to)."""
        width = self._pdf.epw
        for label, value in rows:
            cells = [(label, width * 0.3, "B"), (value, width * 0.7, "")]
            for text, cell_width, style in reversed(cells) if self._rtl else cells:
                self._pdf.set_font(FAMILY, style=style, size=10)
                self._pdf.cell(cell_width, 6, self._text(text), align=self._align)
            self._pdf.ln(6)
        self._pdf.set_font(FAMILY, size=10)
        self._pdf.ln(2)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, bold_last: int = 0) -> None:
        """A table with a heading row repeated on each page; the last ``bold_last`` rows in bold (totals)."""
        if any(len(row) != len(columns) for row in rows):
            raise ValueError("every row needs one value per column")
        self._pdf.set_draw_color(*RULE)
        order = list(reversed(range(len(columns)))) if self._rtl else list(range(len(columns)))
        align = tuple("RIGHT" if columns[i].figure or self._rtl else "LEFT" for i in order)
        with self._pdf.table(
            col_widths=tuple(columns[i].weight for i in order),
            text_align=align,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            line_height=6,
            borders_layout="HORIZONTAL_LINES",
            padding=(1, 2),
        ) as table:
            heading = table.row()
            for i in order:
                heading.cell(self._text(columns[i].header))
            for number, values in enumerate(rows):
                style = FontFace(emphasis="BOLD") if number >= len(rows) - bold_last else None
                row = table.row(style=style)
                for i in order:
                    row.cell(self._text(values[i]))
        self._pdf.ln(3)

    def to_bytes(self) -> bytes:
        return bytes(self._pdf.output(output_producer_class=BundledFontOutput))
