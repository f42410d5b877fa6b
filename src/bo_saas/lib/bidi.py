"""Left-to-right runs (numbers, dates, codes, amounts) kept in reading order inside Arabic text.

The Unicode bidi algorithm reorders neutral characters between numbers in a
right-to-left paragraph: "09:00–13:00" shows as "13:00–09:00" and "2026-11-30"
as "30-11-2026". Wrapping such a run in an isolate (LRI … PDI) makes it one
left-to-right unit that the paragraph places as a whole. Mail clients, browsers
and the PDF writer (fpdf2) all honour isolates; the marks themselves are invisible.
"""

from __future__ import annotations

import re

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE

# A run starts and ends with a Latin letter, a digit or a percent sign, and may hold the separators that
# join such text ("INV-2026-000123", "USD 1,234.50", "09:00–13:00", "1,200 × 0.04", "15%"). Arabic
# letters end a run; brackets stay outside it, so the paragraph mirrors them as it should.
_LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .,:/\-+%_@#–×]*[A-Za-z0-9%])?")


def isolated_ltr(text: str) -> str:
    """``text`` as one left-to-right unit inside a right-to-left paragraph."""
    return f"{LRI}{text}{PDI}"


def isolate_latin_runs(text: str) -> str:
    """Every Latin/number run of ``text`` isolated, for text that may mix Arabic with codes and figures.

    Text already holding isolates is returned as it is: its author placed them.
    """
    if LRI in text:
        return text
    return _LATIN_RUN.sub(lambda match: isolated_ltr(match.group(0)), text)
