"""Inbound mail: raw RFC 5322 bytes to a ParsedMessage the Support desk can store and show.

Customers write from every mail client there is, in every charset there was: the parser never
fails on content. Undecodable bytes become U+FFFD, a header the standard library cannot parse is
decoded by hand, and only input that is not a mail message at all (nothing that looks like a
header) is refused. Size is checked before any parsing, so a huge message costs no memory.
"""

from __future__ import annotations

import codecs
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from types import MappingProxyType

from bo_saas.support.html_body import html_to_text, sanitize_html
from bo_saas.support.reply_text import new_text

MAX_MESSAGE_BYTES = 25 * 1024 * 1024


class MessageTooLargeError(ValueError):
    """The raw message is larger than MAX_MESSAGE_BYTES."""


class MalformedMessageError(ValueError):
    """The input is not a mail message at all."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool
    content_id: str | None  # without angle brackets, as an HTML part refers to it after "cid:"


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str | None  # angle brackets stripped, lower-cased
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_address: str  # lower-cased addr-spec, "" if none
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    subject: str
    date: datetime | None  # aware, UTC
    text: str  # the whole plain text
    new_text: str  # what the sender wrote this time: no quoted history, no signature
    html: str | None  # sanitised: safe to show in a browser
    attachments: tuple[Attachment, ...]
    headers: Mapping[str, str]  # lower-cased names, first value, decoded


# A header line: a name of printable ASCII without a colon, then a colon (RFC 5322 section 2.2).
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
# Charset names mailers send that Python does not know, or knows under a narrower name.
_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "windows-874": "cp874",
    "x-mac-arabic": "mac-arabic",
    "unicode-1-1-utf-7": "utf-7",
}


def parse_message(raw: bytes) -> ParsedMessage:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageTooLargeError(f"the message has {len(raw)} bytes; at most {MAX_MESSAGE_BYTES} are accepted")
    if not _HEADER_LINE.match(_without_mbox_line(raw.lstrip(b"\r\n"))):
        raise MalformedMessageError("not a mail message: it does not start with a header")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    headers = _decoded_headers(message)
    if not headers:
        raise MalformedMessageError("not a mail message: no headers")

    from_name, from_address = _first_address(message, "from")
    plain, html, attachments = _body(message)
    text = plain if plain is not None else (html_to_text(html) if html is not None else "")
    return ParsedMessage(
        message_id=next(iter(_message_ids(_raw_header(message, "message-id"))), None),
        in_reply_to=_message_ids(_raw_header(message, "in-reply-to")),
        references=_message_ids(_raw_header(message, "references")),
        from_address=from_address,
        from_name=from_name,
        to=_addresses(message, "to"),
        cc=_addresses(message, "cc"),
        reply_to=_addresses(message, "reply-to"),
        subject=headers.get("subject", ""),
        date=_date(_raw_header(message, "date")),
        text=text,
        new_text=new_text(text),
        html=sanitize_html(html) if html is not None else None,
        attachments=tuple(attachments),
        headers=MappingProxyType(headers),
    )


def _without_mbox_line(raw: bytes) -> bytes:
    # Messages saved from an mbox start with a "From sender date" line, which the parser skips too.
    return raw.partition(b"\n")[2] if raw.startswith(b"From ") else raw


# Headers -----------------------------------------------------------------------------------------


def _raw_header(message: Message, name: str) -> str:
    """The first ``name`` header as it was sent (unfolded), before any decoding."""
    for key, value in message.raw_items():
        if key.lower() == name:
            return _unfold(value)
    return ""


def _unfold(value: str) -> str:
    value = re.sub(r"\r?\n[ \t]*", " ", value).strip()
    if any("\udc80" <= char <= "\udcff" for char in value):
        # Raw 8-bit bytes in a header (escaped by the parser): nearly always UTF-8 from a modern client.
        value = value.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    return value


def _decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words in any charset; bytes a charset cannot decode become U+FFFD."""
    try:
        parts = decode_header(value)
    except Exception:  # a malformed encoded word: show it as it came
        return value
    return "".join(part if isinstance(part, str) else _decode_bytes(part, charset) for part, charset in parts)


def _decoded_headers(message: Message) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in message.raw_items():
        headers.setdefault(key.lower(), _decode_words(_unfold(value)))
    return headers


def _message_ids(value: str) -> tuple[str, ...]:
    if "=?" in value:  # ids a mailer wrongly wrapped in encoded words (Python's email package does, past 78 chars)
        value = _decode_words(value)
    ids = _MESSAGE_ID.findall(value) or value.split()  # some mailers drop the brackets
    return tuple(dict.fromkeys(found.strip("<>").lower() for found in ids if found.strip("<>")))


def _address_pairs(message: Message, name: str) -> list[tuple[str, str]]:
    # Split the raw value, whose encoded words hold no commas or brackets, then decode each name.
    pairs = getaddresses([_raw_header(message, name)])
    return [(_decode_words(display).strip(), address.strip().lower()) for display, address in pairs]


def _first_address(message: Message, name: str) -> tuple[str, str]:
    for display, address in _address_pairs(message, name):
        if "@" in address:
            return display, address
    return "", ""


def _addresses(message: Message, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(address for _, address in _address_pairs(message, name) if "@" in address))


def _date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # "-0000": the sender did not know its zone; RFC 5322 reads it as UTC
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# Body --------------------------------------------------------------------------------------------


def _body(message: Message) -> tuple[str | None, str | None, list[Attachment]]:
    """The inline text/plain and text/html (each joined in order) and the attachments."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    for index, part in enumerate(_leaf_parts(message)):
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = _filename(part)
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            (plain if content_type == "text/plain" else html).append(_part_text(part))
        else:
            attachments.append(_attachment(part, index, content_type, disposition, filename))
    return ("\n".join(plain) if plain else None), ("\n".join(html) if html else None), attachments


def _leaf_parts(part: Message) -> Iterator[Message]:
    """Every non-multipart part; an attached message (message/*) is one part, not walked into."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for child in part.get_payload():
            yield from _leaf_parts(child)
    else:
        yield part


def _part_bytes(part: Message) -> bytes:
    if part.get_content_maintype() == "message":
        # A forwarded message or a delivery report: keep it whole, as it was written.
        payload = part.get_payload()
        chunks = payload if isinstance(payload, list) else [payload]
        return b"\n".join(
            chunk.as_bytes(policy=policy.compat32) if isinstance(chunk, Message) else str(chunk).encode()
            for chunk in chunks
        )
    # Decodes base64 and quoted-printable; a damaged base64 body yields what could be read.
    return part.get_payload(decode=True) or b""


def _part_text(part: Message) -> str:
    # An 8-bit body keeps the wire's CRLF; text is stored and compared with plain newlines.
    return _decode_bytes(_part_bytes(part), part.get_content_charset()).replace("\r\n", "\n")


def _decode_bytes(data: bytes, charset: str | None) -> str:
    name = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        name = ""
    if name and name not in ("us-ascii", "ascii"):
        return data.decode(name, errors="replace")
    # No charset, an unknown one, or "us-ascii" over 8-bit bytes (common): UTF-8 if it is, else Latin-1.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("windows-1252", errors="replace")


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a broken RFC 2231 parameter
        name = ""
    # Never a path: a name like "../../etc/passwd" or "C:\\x.exe" keeps only its last component.
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if char.isprintable()).strip(" .")
    return name[:255]


def _attachment(part: Message, index: int, content_type: str, disposition: str | None, filename: str) -> Attachment:
    content_id = _raw_header(part, "content-id").strip().strip("<>") or None
    if not filename:
        extension = ".eml" if content_type == "message/rfc822" else mimetypes.guess_extension(content_type) or ".bin"
        filename = f"part-{index + 1}{extension}"
    return Attachment(
        filename=filename,
        content_type=content_type,
        data=_part_bytes(part),
        inline=disposition == "inline" or (content_id is not None and disposition != "attachment"),
        content_id=content_id,
    )
