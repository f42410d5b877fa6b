"""PDF documents in English or Arabic: invoices, payslips and reports share this one layout.

fpdf2 writes the file and HarfBuzz (uharfbuzz) shapes the text, both from pip,
so a fresh machine needs no system library. The font is bundled (Amiri, SIL
Open Font License, ``fonts/OFL.txt``): it has Arabic and Latin glyphs, so one
face serves both languages and a tenant's Arabic name on an English invoice.

An Arabic document runs right to left: text is aligned right, a table's first
column is the rightmost, and Latin runs inside Arabic text (numbers, dates,
codes) are isolated so they keep their reading order (``lib/bidi.py``).
Figures stay right-aligned in both languages so their digits line up.

Speed (a payroll run writes ten thousand of these): in an English document a
string of plain Latin text is written without the shaping engine, which
would run the bidi algorithm and HarfBuzz only to give the same letters in
the same order (less HarfBuzz's Latin kerning, a difference hard to see);
any other string (an Arabic name, an isolate) is shaped. An Arabic document
shapes everything, pixel for pixel as before. Tables are laid out here, each
cell measured once and drawn once (``PdfDocument.table``); a string's bidi
runs are worked out once per process and its styled fragments once per
document (``_Pages``). ``lib/pdf_fonts.py`` keeps the font and its subsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from fpdf import FPDF
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import MethodReturnValue, TextDirection

from bo_saas.lib.bidi import isolate_latin_runs, isolated_ltr
from bo_saas.lib.pdf_fonts import FAMILY, BundledFontOutput, add_bundled_font

Language = Literal["en", "ar"]

GREY = (110, 110, 110)
RULE = (200, 200, 200)
HEADING_FILL = (235, 235, 235)
DIGITS = "0123456789"
CELL_LINE = 6  # a table line's height (mm)
CELL_PAD_Y, CELL_PAD_X = 1, 2  # a table cell's padding above and below, and at its sides (mm)
CELL_PADDING = (CELL_PAD_Y, CELL_PAD_X)
BIDI_KEPT = 20_000  # strings whose bidi runs are remembered per process
# Text the shaping engine would give back unchanged: Latin letters and their accents as single characters,
# spaces, punctuation, currency signs. Combining marks (U+0300..), other scripts and the bidi controls
# (U+200E.., U+2066..) are not in it.
_PLAIN = re.compile(r"[\u0000-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20cf]*")


@lru_cache(maxsize=BIDI_KEPT)
def _bidi_runs(text: str, direction: TextDirection, alias: str) -> tuple[tuple[str, TextDirection], ...]:
    """``text`` split into runs of one direction, in display order (the Unicode bidi algorithm, fpdf2's)."""
    return BidiParagraph(text=text, base_direction=direction, preserve_bn_chars=True, alias=alias).get_bidi_fragments()


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    weight: float = 1.0  # share of the table's width
    figure: bool = False  # amounts and counts: right-aligned in either language


@dataclass(frozen=True, slots=True)
class _Row:
    """A table row as drawn: its texts and style, its height, and each wrapped cell's height (None: one line)."""

    values: Sequence[str]
    style: str
    height: float
    wrapped: list[float | None]


@dataclass(frozen=True, slots=True)
class _TableLayout:
    widths: tuple[float, ...]  # each column's width (mm), left to right as drawn
    aligns: tuple[str, ...]


class _Pages(FPDF):
    """FPDF with a footer (the document's footer text and "page n / N") and text prepared faster.

    ``shaping_for`` leaves plain Latin text in a left-to-right document to fpdf2's simple path; for shaped
    text, ``_preload_bidirectional_text`` (fpdf2's step before measuring or writing a string) reuses what
    it can: the bidi runs from any document, the styled fragments from this one.
    """

    footer_text = ""
    page_label = "Page"
    rtl = False
    # Text split into bidi runs and styled fragments, kept by text and style for the document while
    # ``one_line`` is on: a table cell's text is measured, then drawn, and headings and labels repeat;
    # with the shaping engine on, that split (fpdf2's bidi algorithm, in Python) is most of what writing a
    # short string costs. Only text written on one line (``cell``, ``get_string_width``) shares them:
    # ``multi_cell`` trims the fragments it breaks into lines.
    _one_line = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_fragments: dict[tuple, Sequence] = {}

    @contextmanager
    def one_line(self) -> Iterator[None]:
        self._one_line = True
        try:
            yield
        finally:
            self._one_line = False

    def _preload_bidirectional_text(self, text: str, markdown: bool) -> Sequence:
        if markdown or not self.text_shaping:
            return super()._preload_bidirectional_text(text, markdown)
        if not self._one_line:
            return self._styled_runs(text)
        key = (text, self.font_family, self.font_style, self.font_size_pt, self.text_color)
        fragments = self._kept_fragments.get(key)
        if fragments is None:
            fragments = self._kept_fragments[key] = self._styled_runs(text)
        return fragments

    def _styled_runs(self, text: str) -> tuple:
        """What fpdf2's ``_preload_bidirectional_text`` gives for text without markdown, the bidi runs kept.

        The runs depend on the text and the paragraph's direction only, so they are worked out once per
        process (``_bidi_runs``); the fragments carry this document's fonts, so they are made here.
        """
        direction = self.text_shaping["direction"] or auto_detect_base_direction(text)
        self.text_shaping["paragraph_direction"] = direction
        fragments: list = []
        for run, run_direction in _bidi_runs(text, direction, self.str_alias_nb_pages):
            self.text_shaping["fragment_direction"] = run_direction
            fragments.extend(self._preload_font_styles(run, False))
        return tuple(fragments)

    @contextmanager
    def shaping_for(self, text: str) -> Iterator[None]:
        """Write ``text`` without the shaping engine when it is plain Latin text in a left-to-right document."""
        if self.rtl or self.text_shaping is None or _PLAIN.fullmatch(text) is None:
            yield
            return
        shaping, self.text_shaping = self.text_shaping, None
        try:
            yield
        finally:
            self.text_shaping = shaping

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*GREY)
        with self.shaping_for(self.footer_text):
            self.cell(0, 5, self.footer_text, align="C", new_x="LMARGIN", new_y="NEXT")
        numbers = f"{self.page_no()} / {{nb}}"
        page = f"{self.page_label} {isolated_ltr(numbers) if self.rtl else numbers}"
        with self.shaping_for(page):
            self.cell(0, 4, page, align="C")
        self.set_text_color(0, 0, 0)


class PdfDocument:
    """A document of headings, paragraphs, label/value facts and tables, written top to bottom."""

    def __init__(self, *, language: Language, title: str, footer: str = "", page_label: str = "") -> None:
        self.language = language
        self._rtl = language == "ar"
        self._pdf = _Pages(format="A4")
        self._pdf.rtl = self._rtl
        self._pdf.footer_text = self._text(footer)
        self._pdf.page_label = page_label or ("صفحة" if self._rtl else "Page")
        self._pdf.set_title(title)
        self._pdf.set_creator("bo-saas")
        self._pdf.set_lang(language)
        add_bundled_font(self._pdf)  # parsed once per thread, not per document (lib/pdf_fonts.py)
        # Every face embeds all ten digits, used or not: documents that differ only in their figures (a
        # payroll run's payslips) then embed the same glyph set, which lib/pdf_fonts.py subsets once and
        # keeps, instead of subsetting the font again (tens of ms) for each new mix of digits.
        for font in self._pdf.fonts.values():
            for digit in DIGITS:
                font.subset.pick(ord(digit))
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
        text = self._text(text)
        with self._pdf.shaping_for(text), self._pdf.one_line():
            self._pdf.cell(0, size * 0.6, text, align=self._align, new_x="LMARGIN", new_y="NEXT")
        self._pdf.set_font(FAMILY, size=10)
        self._pdf.ln(2)

    def paragraph(self, text: str, *, size: int = 10, muted: bool = False) -> None:
        self._pdf.set_font(FAMILY, size=size)
        if muted:
            self._pdf.set_text_color(*GREY)
        text = self._text(text)
        with self._pdf.shaping_for(text):
            self._pdf.multi_cell(0, size * 0.55, text, align=self._align, new_x="LMARGIN", new_y="NEXT")
        self._pdf.set_text_color(0, 0, 0)
        self._pdf.ln(1)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label and value pairs, one per line (the invoice's number, dates, who it is made out to)."""
        width = self._pdf.epw
        for label, value in rows:
            cells = [(label, width * 0.3, "B"), (value, width * 0.7, "")]
            for text, cell_width, style in reversed(cells) if self._rtl else cells:
                self._pdf.set_font(FAMILY, style=style, size=10)
                text = self._text(text)
                with self._pdf.shaping_for(text), self._pdf.one_line():
                    self._pdf.cell(cell_width, 6, text, align=self._align)
            self._pdf.ln(6)
        self._pdf.set_font(FAMILY, size=10)
        self._pdf.ln(2)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, bold_last: int = 0) -> None:
        """A table with a heading row repeated on each page; the last ``bold_last`` rows in bold (totals).

        Drawn here rather than by fpdf2's ``table()``, which lays every cell out twice with ``multi_cell``
        (once to measure, once to draw). Most cells are one line: measured once, drawn once with ``cell``;
        only a cell that wraps goes through ``multi_cell``.
        """
        if any(len(row) != len(columns) for row in rows):
            raise ValueError("every row needs one value per column")
        order = list(reversed(range(len(columns)))) if self._rtl else list(range(len(columns)))
        total_weight = sum(column.weight for column in columns)
        layout = _TableLayout(
            widths=tuple(self._pdf.epw * columns[i].weight / total_weight for i in order),
            aligns=tuple("R" if columns[i].figure or self._rtl else "L" for i in order),
        )
        heading = [self._text(columns[i].header) for i in order]
        body = [[self._text(values[i]) for i in order] for values in rows]
        styles = ["B" if number >= len(rows) - bold_last else "" for number in range(len(rows))]
        self._pdf.set_draw_color(*RULE)
        self._pdf.set_fill_color(*HEADING_FILL)
        heading_row = self._measured(layout, heading, "B")
        measured = [self._measured(layout, values, style) for values, style in zip(body, styles, strict=True)]
        # The heading is never left alone at the foot of a page: it goes over with the first row.
        if self._pdf.will_page_break(heading_row.height + (measured[0].height if measured else 0)):
            self._pdf.add_page()
        self._draw(layout, heading_row, fill=True)
        for row in measured:
            if self._pdf.will_page_break(row.height):
                self._rule()  # the table's part on this page closed by a rule, as between rows
                self._pdf.add_page()
                self._draw(layout, heading_row, fill=True)
            self._draw(layout, row)
        self._pdf.set_font(FAMILY, size=10)
        self._pdf.ln(3)

    def _measured(self, layout: _TableLayout, values: Sequence[str], style: str) -> _Row:
        """The row with its height: one line plus padding, or what its tallest wrapped cell needs."""
        pdf = self._pdf
        pdf.set_font(FAMILY, style=style, size=10)
        height, wrapped = float(CELL_LINE + 2 * CELL_PAD_Y), []
        for text, width, align in zip(values, layout.widths, layout.aligns, strict=True):
            with pdf.shaping_for(text):
                with pdf.one_line():
                    fits = "\n" not in text and pdf.get_string_width(text) <= width - 2 * CELL_PAD_X
                if fits:
                    wrapped.append(None)
                    continue
                lines = pdf.multi_cell(width, CELL_LINE, text, align=align, padding=CELL_PADDING, dry_run=True,
                                       output=MethodReturnValue.HEIGHT)  # fmt: skip
            wrapped.append(float(lines))
            height = max(height, float(lines))
        return _Row(values, style, height, wrapped)

    def _draw(self, layout: _TableLayout, row: _Row, fill: bool = False) -> None:
        """The row's cells side by side, each text centred vertically; a shaded heading, a rule above a row."""
        pdf = self._pdf
        left, top = pdf.l_margin, pdf.y
        if fill:
            pdf.rect(left, top, pdf.epw, row.height, style="F")
        else:
            self._rule()
        pdf.set_font(FAMILY, style=row.style, size=10)
        x = left
        for text, wrapped, width, align in zip(row.values, row.wrapped, layout.widths, layout.aligns, strict=True):
            with pdf.shaping_for(text):
                if wrapped is None:  # one line: fpdf2's cell margin stands for the padding at the sides
                    pdf.set_xy(x, top)
                    margin, pdf.c_margin = pdf.c_margin, CELL_PAD_X
                    with pdf.one_line():
                        pdf.cell(width, row.height, text, align=align)
                    pdf.c_margin = margin
                else:
                    pdf.set_xy(x, top + (row.height - wrapped) / 2)
                    pdf.multi_cell(width, CELL_LINE, text, align=align, padding=CELL_PADDING, new_x="RIGHT",
                                   new_y="TOP")  # fmt: skip
            x += width
        pdf.set_xy(left, top + row.height)

    def _rule(self) -> None:
        self._pdf.line(self._pdf.l_margin, self._pdf.y, self._pdf.l_margin + self._pdf.epw, self._pdf.y)

    def to_bytes(self) -> bytes:
        return bytes(self._pdf.output(output_producer_class=BundledFontOutput))
