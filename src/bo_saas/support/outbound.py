"""Replies the Support desk sends under a tenant's brand: threading headers and loop-safe marks.

Threading is what keeps a conversation one ticket: the customer's client shows our reply under
their message (In-Reply-To, References), and their next reply names our Message-ID, which the
ingest finds again. Message-IDs are made on the sender's domain, so ``loops.is_auto_submitted``
recognises our own mail when it comes back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from bo_saas.lib.clock import utc_now

# Long threads would grow References without bound; RFC 5322 section 3.6.4 allows trimming the
# middle, and mail clients (Thunderbird, Gmail) keep the first id and the most recent ones.
MAX_REFERENCES = 20
# The standard policy folds a header it made itself by re-encoding any word longer than a line as
# RFC 2047 (=?utf-8?q?=3C...?=), which turns a long Message-ID into something no client matches.
# The ids are therefore set raw, folded by us one id a line, and this policy writes raw headers as given.
_VERBATIM_RAW_HEADERS = policy.default.clone(refold_source="none")
# "Re:", "RE:", "Fwd:"-style answers already in the subject, in the languages customers reply in:
# English, German "AW:", French "Réf.", Scandinavian "SV:"/"VS:", Arabic "رد:".
_REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|sv|vs|antw|réf|ref|رد)\s*(?:\[\d+\])?\s*[:：]", re.IGNORECASE)


def new_message_id(from_address: str) -> str:
    """A new unique Message-ID on the domain of ``from_address``, without angle brackets."""
    domain = from_address.rpartition("@")[2].strip().lower() or None
    return make_msgid(domain=domain).strip("<>")


def reply_subject(subject: str) -> str:
    subject = subject.strip()
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


def references_chain(references: Sequence[str], in_reply_to: str | None) -> list[str]:
    """The References of a reply: the parent's references, then the parent, trimmed to the first and the last."""
    chain = list(dict.fromkeys(ref.strip("<> ") for ref in [*references, in_reply_to or ""] if ref.strip("<> ")))
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return chain


def compose_reply(
    *,
    from_name: str,
    from_address: str,
    to: str,
    cc: Sequence[str] = (),
    subject: str,
    body: str,
    message_id: str,
    in_reply_to: str | None,
    references: Sequence[str],
    auto_submitted: bool = False,
) -> EmailMessage:
    """A plain-text UTF-8 reply; ``references`` are the parent's, the parent itself comes from ``in_reply_to``."""
    message = EmailMessage(policy=_VERBATIM_RAW_HEADERS)
    # Address() encodes a non-ASCII display name (an Arabic brand) as RFC 2047 words on serialisation.
    local, _, domain = from_address.partition("@")
    message["From"] = Address(display_name=from_name, username=local, domain=domain)
    message["To"] = to
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = reply_subject(subject)
    message["Date"] = format_datetime(utc_now())
    message.set_raw("Message-ID", f"<{message_id.strip('<> ')}>")
    if in_reply_to:
        message.set_raw("In-Reply-To", f"<{in_reply_to.strip('<> ')}>")
    chain = references_chain(references, in_reply_to)
    if chain:
        message.set_raw("References", "\n ".join(f"<{ref}>" for ref in chain))
    if auto_submitted:
        # RFC 3834: an automatic answer; other responders must not answer it (and Outlook honours the second).
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    message.set_content(body, charset="utf-8")
    return message
