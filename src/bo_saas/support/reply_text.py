"""The new part of a reply: what the customer wrote this time, without the quoted history or signature.

mail-parser-reply finds the quote headers mail clients write ("On ... wrote:", Outlook's
"From: / Sent: / To: / Subject:" block, "-----Original Message-----") in several languages, and
splits the text there. It has no Arabic, so two small rules of ours run first:

- a Gmail/Apple-style header: a line starting "في" and ending "كتب:" or "كتبت:" (it may wrap
  onto a second line), e.g. "في الاثنين، 3 مارس 2025 في 10:00 ص، الدعم <help@acme.test> كتب:";
- an Outlook-style block: two or more consecutive lines starting with the Arabic field names
  Outlook writes ("من:", "تاريخ الإرسال:", "إلى:", "الموضوع:", ...), or "-----الرسالة الأصلية-----".

Signatures are removed by our own rules rather than the library's: it also cuts at sign-offs
such as "Thanks," or "Regards," anywhere after the first line, which loses the customer's words
("Thanks, but it still fails ..."). A sign-off left in the new text costs nothing; a lost
sentence costs a wrong answer. So only unambiguous markers cut: the RFC 3676 "-- " line and
the "Sent from my iPhone" family, in English and Arabic.
"""

from __future__ import annotations

import re

from mailparser_reply.parser import EmailMessage

# Languages whose quote headers are looked for (English is always added by the library). Arabic is
# handled by the rules below; French and Spanish are common among the tenants' customers.
REPLY_LANGUAGES = ("en", "fr", "es", "de")

_QUOTE_PREFIX = r"(?:> ?)*"
_ARABIC_WROTE_HEADER = re.compile(
    rf"^{_QUOTE_PREFIX}في\s[^\n]*(?:\n{_QUOTE_PREFIX}[^\n]*)?\s(?:كتب|كتبت|كَتب)\s*:\s*$",
    re.MULTILINE,
)
_ARABIC_FIELD = r"(?:من|المرسل|مرسل|تاريخ الإرسال|أرسل|التاريخ|إلى|الى|نسخة|نسخة إلى|الموضوع)"
_ARABIC_OUTLOOK_HEADER = re.compile(
    rf"^{_QUOTE_PREFIX}\*?{_ARABIC_FIELD}\*?\s*:[^\n]*(?:\n{_QUOTE_PREFIX}\*?{_ARABIC_FIELD}\*?\s*:[^\n]*)+",
    re.MULTILINE,
)
_ARABIC_ORIGINAL_MESSAGE = re.compile(r"^-{3,}\s*الرسالة الأصلية\s*-{3,}\s*$", re.MULTILINE)

# After the library's normalisation every line is stripped, so RFC 3676's "-- " arrives as "--".
_SIGNATURE_DELIMITER = re.compile(r"^--[ \t]*$", re.MULTILINE)
_SENT_FROM_DEVICE = re.compile(
    r"^(?:Sent from my |Sent from Outlook|Get Outlook for |Sent from Mail for |Sent from Yahoo Mail"
    r"|أرسلت من |أُرسلت من |تم الإرسال من |مرسل من |مُرسل من |تم إرساله من )[^\n]{0,80}$",
    re.MULTILINE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^>")


def new_text(text: str) -> str:
    """The part of ``text`` the sender wrote this time (the whole text when nothing is quoted)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _before_arabic_quote_header(text)
    parsed = EmailMessage(text=text, languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True).read()
    # full_body: the first reply without its header, signatures kept (they are cut below, by our rules).
    latest = parsed.replies[0].full_body if parsed.replies else text
    latest = _without_trailing_quote(latest)
    latest = _without_signature(latest)
    return latest.strip()


def _before_arabic_quote_header(text: str) -> str:
    matches = [
        match
        for pattern in (_ARABIC_WROTE_HEADER, _ARABIC_OUTLOOK_HEADER, _ARABIC_ORIGINAL_MESSAGE)
        if (match := pattern.search(text))
    ]
    if not matches:
        return text
    first = min(matches, key=lambda match: match.start())
    before = text[: first.start()]
    # Nothing typed above the header (a forward): the quoted message is all there is to read.
    return before if before.strip() else text[first.end() :]


def _without_trailing_quote(text: str) -> str:
    """Drop a bottom-posted quote that has no header line: the trailing run of "> " lines."""
    lines = text.rstrip().split("\n")
    end = len(lines)
    while end > 0 and (_QUOTED_LINE.match(lines[end - 1].lstrip()) or not lines[end - 1].strip()):
        end -= 1
    # All quoted: a message that is nothing but a quote keeps it, so it is never shown empty.
    return "\n".join(lines[:end]) if end > 0 else text


def _without_signature(text: str) -> str:
    cut = len(text)
    for pattern in (_SIGNATURE_DELIMITER, _SENT_FROM_DEVICE):
        match = pattern.search(text)
        # A marker on the very first line is not a signature under a message: keep the text whole.
        if match and text[: match.start()].strip():
            cut = min(cut, match.start())
    return text[:cut]
