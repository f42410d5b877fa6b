"""An email address judged as email-validator judges it, without its full parse for the common plain address.

email-validator (``validate_email``) is the rule, and the slowest check an
import runs: about 100 µs an address, two thirds of it on the domain. A plain
address (ASCII, one ``@``, a dot-atom local part) is judged by the same steps
the library takes: its local part is valid as written (the library's own
``DOT_ATOM_TEXT``), and its domain is judged once per domain by the library
itself (a file's addresses share a few domains) and remembered. Anything else
(quoted or international local parts, role names the library lower-cases, a
bad domain, an address near the length limit) goes to ``validate_email``
whole, so the result and every problem's wording are the library's.
"""

from __future__ import annotations

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES, DOT_ATOM_TEXT, EMAIL_MAX_LENGTH

_PROBE_LOCAL = "a"  # a local part valid as written and never lower-cased: the probe judges the domain alone
_CASE_INSENSITIVE = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)
DOMAINS_REMEMBERED = 4096


def normalized_email(text: str) -> str:
    """The address as ``validate_email(text, check_deliverability=False).normalized``; raises as it does."""
    if text.isascii() and text.count("@") == 1:
        local, _, domain = text.partition("@")
        if DOT_ATOM_TEXT.match(local) and local.lower() not in _CASE_INSENSITIVE:
            forms = _domain_forms(domain)
            # The library checks the address as written, normalized and with an ASCII domain against the limit.
            longest = max(len(domain), len(forms[0].encode()), len(forms[1])) if forms is not None else EMAIL_MAX_LENGTH
            if len(local) + 1 + longest <= EMAIL_MAX_LENGTH:
                return f"{local}@{forms[0]}"
    return validate_email(text, check_deliverability=False).normalized


@lru_cache(maxsize=DOMAINS_REMEMBERED)
def _domain_forms(domain: str) -> tuple[str, str] | None:
    """The domain as the library normalizes it and in IDNA ASCII; None when the library refuses it."""
    try:
        checked = validate_email(f"{_PROBE_LOCAL}@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.domain, checked.ascii_domain
