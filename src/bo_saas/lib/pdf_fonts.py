"""The bundled font for PDFs, parsed once per thread, and its embedded subsets reused between documents.

Left to itself fpdf2 parses the 560 KB TrueType file for every document
(``add_font``: the character map and every glyph's width), and at output
subsets it with fontTools, which first decompiles the Arabic layout tables
(GSUB/GPOS) only to drop them. For one invoice that is unnoticed; for a
payroll run's ten thousand payslips it was most of the time. So:

* each face is parsed once per thread (fpdf2's font objects are not shared
  between threads) and every document gets a light copy of it: the parsed
  tables, widths and HarfBuzz face shared, its own subset map and descriptor;
* shaping is remembered per face: fpdf2's line breaking shapes every
  character on its own to measure it, the same few hundred strings in
  every document;
* at output the embedded font (fpdf2's subset of the glyphs the document
  uses) is made once per glyph set and kept (payslips share a handful of
  sets), instead of subsetting the whole font again for every document;
  so are its compressed bytes and its compressed CIDToGIDMap (128 KB before
  compression), which documents laid out alike share too.

``OutputProducer`` is fpdf2's hook for custom output
(``FPDF.output(output_producer_class=...)``); ``BundledFontOutput`` writes the
bundled font's objects exactly as fpdf2 2.8's ``_add_fonts`` does for a
TrueType font (the same bytes: ``tests/lib/test_pdf.py`` compares them) and
leaves any other font to fpdf2.
"""

from __future__ import annotations

import copy
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import (
    LOGGER,
    CIDSystemInfo,
    OutputProducer,
    PDFFont,
    _build_cmap_blocks,
    _tt_font_widths,
)
from fpdf.syntax import Name, PDFArray, PDFContentStream

FONTS = Path(__file__).parent / "fonts"
FAMILY = "amiri"
FACES = {"": "Amiri-Regular.ttf", "B": "Amiri-Bold.ttf"}  # style -> file
# The tables fpdf2 drops when it embeds a font (fpdf/output.py), dropped here before anything is parsed.
_UNEMBEDDED = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC", "EBDT", "EBLC",
               "EBSC", "SVG ", "CPAL", "COLR")  # fmt: skip
SUBSETS_KEPT = 256  # glyph sets remembered per face and thread (a few KB each)
CODINGS_KEPT = 64  # codings (widths and CIDToGIDMap, a few hundred bytes each) remembered per subset
SHAPINGS_KEPT = 50_000  # shaped strings remembered per face and thread before starting afresh

_local = threading.local()


class _Font(TTFFont):
    """fpdf2's TrueType font, remembering what HarfBuzz made of each string (shared by the copies of a face).

    Both the shaping (glyphs and positions) and the width it gives are kept: the line breaker asks for the
    width of every character of every cell, the same few hundred strings in every document.
    """

    __slots__ = ("shaped", "widths")

    def perform_harfbuzz_shaping(self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None):
        key = _shaping_key(text, font_size_pt, text_shaping_params)
        shaped = self.shaped.get(key)
        if shaped is None:
            if len(self.shaped) >= SHAPINGS_KEPT:
                self.shaped.clear()
            # HarfBuzz hands back copies of its glyph records: safe to keep after its buffer is gone.
            shaped = self.shaped[key] = super().perform_harfbuzz_shaping(text, font_size_pt, text_shaping_params)
        return shaped

    def shaped_text_width(self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None):
        key = _shaping_key(text, font_size_pt, text_shaping_params)
        width = self.widths.get(key)
        if width is None:
            if len(self.widths) >= SHAPINGS_KEPT:
                self.widths.clear()
            width = self.widths[key] = super().shaped_text_width(text, font_size_pt, text_shaping_params)
        return width


def _shaping_key(text: str, font_size_pt: float, params: dict[str, Any] | None) -> tuple:
    """What fpdf2's shaping depends on besides the font (fonts.TTFFont.perform_harfbuzz_shaping)."""
    params = params or {}
    features = params.get("features")
    return (text, font_size_pt, params.get("fragment_direction"), params.get("script"), params.get("language"),
            tuple(sorted(features.items())) if features else None)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Cut:
    """A subset of a face as embedded: the font file (and compressed) and each kept glyph's id in it."""

    data: bytes
    compressed: bytes
    glyph_ids: dict[str, int]
    # Each code's width and compressed CIDToGIDMap, by the (code, glyph id, width) triples of a document's
    # glyphs: documents laid out alike pick the same glyphs in the same order, so the same codes.
    codings: dict[tuple[tuple[int, int, int], ...], _Coding] = field(default_factory=dict)

    def coding(self, font: TTFFont) -> _Coding:
        """The widths (``/W``) and compressed CIDToGIDMap of ``font``'s codes, made once per coding."""
        key = tuple((code, self.glyph_ids[glyph.glyph_name], glyph.glyph_width)
                    for glyph, code in font.subset.items() if glyph)  # fmt: skip
        coding = self.codings.get(key)
        if coding is None:
            # CIDToGIDMap: two bytes per code, the glyph's id in the embedded subset.
            cid_to_gid = bytearray(256 * 256 * 2)
            for code, glyph_id, _ in key:
                cid_to_gid[code * 2], cid_to_gid[code * 2 + 1] = glyph_id >> 8, glyph_id & 0xFF
            if len(self.codings) >= CODINGS_KEPT:
                self.codings.clear()
            coding = self.codings[key] = _Coding(_tt_font_widths(font), _compressed(bytes(cid_to_gid)))
        return coding


@dataclass(frozen=True, slots=True)
class _Coding:
    widths: str  # the CID font's /W array, as fpdf2 writes it
    cid_to_gid_map: bytes  # compressed


class _KeptStream(PDFContentStream):
    """A stream of bytes compressed once and kept: what ``PDFContentStream(..., compress=True)`` writes."""

    def __init__(self, compressed: bytes) -> None:
        super().__init__(contents=b"")
        self._contents = compressed
        self.filter = Name("FlateDecode")
        self.length = len(compressed)


def _compressed(data: bytes) -> bytes:
    return zlib.compress(data, level=PDFContentStream._COMPRESSION_LEVEL)


class _Face:
    """One style of the font: fpdf2's parsed font to copy from, the embeddable font's bytes, and its subsets."""

    def __init__(self, style: str, path: Path) -> None:
        # What FPDF.add_font does, with the class that remembers its shaping.
        self.template = _Font(FPDF(), path, f"{FAMILY}{style}", style)
        self.template.shaped, self.template.widths = {}, {}
        _ = self.template.hbfont  # the HarfBuzz face, opened once too
        font = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
        for tag in _UNEMBEDDED:
            if tag in font:
                del font[tag]
        buffer = BytesIO()
        font.save(buffer)
        self.embeddable = buffer.getvalue()
        self.cuts: OrderedDict[frozenset[str], _Cut] = OrderedDict()

    def copy_for(self, pdf: FPDF) -> TTFFont:
        """A font for one document: what parsing gave shared, what the document fills in its own."""
        font = copy.copy(self.template)
        font.i = len(pdf.fonts) + 1
        font.desc = copy.copy(self.template.desc)  # output names it and links its file: per document
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        return font

    def embedded(self, glyph_names: list[str]) -> _Cut:
        """The font file fpdf2 would embed for these glyphs (its own subsetting options), from the cache when seen."""
        key = frozenset(glyph_names)
        cut = self.cuts.get(key)
        if cut is None:
            font = ttLib.TTFont(BytesIO(self.embeddable), recalcTimestamp=False, lazy=True)
            options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
            options.drop_tables += list(_UNEMBEDDED)
            subsetter = ftsubset.Subsetter(options)
            subsetter.populate(glyphs=list(key))
            subsetter.subset(font)
            glyph_ids = {name: font.getGlyphID(name) for name in key}
            buffer = BytesIO()
            font.save(buffer)
            font.close()
            data = buffer.getvalue()
            cut = self.cuts[key] = _Cut(data, _compressed(data), glyph_ids)
            if len(self.cuts) > SUBSETS_KEPT:
                self.cuts.popitem(last=False)
        else:
            self.cuts.move_to_end(key)
        return cut


def _faces() -> dict[str, _Face]:
    faces = getattr(_local, "faces", None)
    if faces is None:
        faces = _local.faces = {style: _Face(style, FONTS / name) for style, name in FACES.items()}
    return faces


def add_bundled_font(pdf: FPDF) -> None:
    """Make the bundled font's faces available to ``pdf`` as ``FAMILY`` (what ``add_font`` would, without parsing)."""
    for face in _faces().values():
        font = face.copy_for(pdf)
        pdf.fonts[font.fontkey] = font


class BundledFontOutput(OutputProducer):
    """fpdf2's output, embedding the bundled font from the subsets kept per glyph set."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> dict[int, PDFFont]:
        fonts = sorted(self.fpdf.fonts.values(), key=lambda font: font.i)
        if not fonts or not all(isinstance(font, _Font) for font in fonts):  # not ours alone: fpdf2's own way
            return super()._add_fonts(*args, **kwargs)
        faces = _faces()
        return {font.i: self._add_bundled_font(font, faces[font.fontkey.removeprefix(FAMILY)]) for font in fonts}

    def _add_bundled_font(self, font: _Font, face: _Face) -> PDFFont:
        """What fpdf2 2.8's ``_add_fonts`` writes for a TrueType (glyf) font, the subset taken from ``face``."""
        fontname = f"MPDFAA+{font.name}"
        if font.missing_glyphs:
            shown = ", ".join(f"'{chr(x)}' ({chr(x).encode('unicode-escape').decode()})"
                              for x in font.missing_glyphs[:10])  # fmt: skip
            LOGGER.warning("Font %s is missing the following glyphs: %s", fontname, shown)
        cut = face.embedded(list(font.subset.get_all_glyph_names()))
        composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        coding = cut.coding(font)
        cid_font = PDFFont(subtype="CIDFontType2", base_font=fontname, d_w=font.desc.missing_width,
                           w=coding.widths)  # fmt: skip
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])
        # ToUnicode: which characters each code stands for (search and copy in a reader).
        bf_chars = [
            f"<{code:04X}> <{''.join(_utf16_code(unicode) for unicode in glyph.unicode)}>\n"
            for glyph, code in font.subset.items()
            if glyph is not None and isinstance(glyph.unicode, tuple) and glyph.unicode
        ]
        to_unicode = PDFContentStream(
            (
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
                "<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
                f"endcodespacerange\n{_build_cmap_blocks(bf_chars, 'bfchar')}endcmap\n"
                "CMapName currentdict /CMap defineresource pop\nend\nend"
            ).encode("latin-1")
        )
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode
        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info
        descriptor = font.desc
        descriptor.font_name = Name(fontname)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor
        cid_to_gid_map = _KeptStream(coding.cid_to_gid_map)
        self._add_pdf_obj(cid_to_gid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid_map
        font_file = _KeptStream(cut.compressed)
        font_file.length1 = len(cut.data)  # as fpdf2's PDFFontStream: the font's length uncompressed
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file
        font.subset.pick.cache_clear()
        font.subset.get_glyph.cache_clear()
        return composite


def _utf16_code(unicode: int) -> str:
    if unicode > 0xFFFF:  # a surrogate pair
        return f"{0xD800 | (unicode - 0x10000) >> 10:04X}{0xDC00 | (unicode & 0x3FF):04X}"
    return f"{unicode:04X}"
