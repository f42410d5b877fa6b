"""Which check an identifier field of a country runs: python-stdnum's modules, plus what stdnum lacks.

A schema names a country for its tax and national id fields; the check comes
from python-stdnum (``get_cc_module``: the country's ``vat``/``tin`` for tax
ids, its ``personalid`` or the module named below for national ids). stdnum
has no module for Saudi Arabia, the provider's home market, so its two
numbers are checked here by their published rules. A country with no check
is refused when the schema is saved, never discovered while a batch imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.util import get_cc_module

# National id modules stdnum has under another name than ``personalid``.
NATIONAL_ID_MODULES = {
    "br": "cpf",
    "cn": "ric",
    "de": "idnr",
    "es": "dni",
    "fr": "nir",
    "gb": "nhs",
    "in": "aadhaar",
    "it": "codicefiscale",
    "nl": "bsn",
    "pl": "pesel",
    "pt": "cc",
    "tr": "tckimlik",
    "us": "ssn",
    "za": "idnr",
}


@dataclass(frozen=True, slots=True)
class IdentifierCheck:
    """``clean`` turns what was written into the stored form, or raises ``ValueError`` with the reason."""

    description: str
    clean: Callable[[str], str]


def _stdnum(module) -> IdentifierCheck:
    def clean(value: str) -> str:
        try:
            return module.compact(module.validate(value))
        except ValidationError as exc:
            raise ValueError(str(exc)) from None

    name = getattr(module, "__name__", "").removeprefix("stdnum.")
    return IdentifierCheck(name, clean)


def _digits(value: str) -> str:
    return re.sub(r"[\s\-.]", "", value)


def _saudi_national_id(value: str) -> str:
    # Ten digits: 1 for citizens, 2 for residents (iqama), the last a Luhn check digit.
    digits = _digits(value)
    if not re.fullmatch(r"[12]\d{9}", digits):
        raise ValueError("must be 10 digits starting with 1 (citizen) or 2 (resident)")
    if not luhn.is_valid(digits):
        raise ValueError("the check digit does not match")
    return digits


def _saudi_vat(value: str) -> str:
    # ZATCA's VAT registration number: 15 digits that start and end with 3.
    digits = _digits(value)
    if not re.fullmatch(r"3\d{13}3", digits):
        raise ValueError("must be 15 digits that start and end with 3")
    return digits


OWN_CHECKS = {
    ("national_id", "sa"): IdentifierCheck("Saudi national id or iqama", _saudi_national_id),
    ("tax_id", "sa"): IdentifierCheck("Saudi VAT number", _saudi_vat),
}


def identifier_check(kind: str, country: str) -> IdentifierCheck | None:
    """The check for a ``tax_id`` or ``national_id`` of ``country`` (ISO 3166 alpha-2); None when there is none."""
    country = country.lower()
    own = OWN_CHECKS.get((kind, country))
    if own is not None:
        return own
    if not re.fullmatch(r"[a-z]{2}", country):
        return None
    names = ("vat", "tin") if kind == "tax_id" else ("personalid", NATIONAL_ID_MODULES.get(country))
    for name in names:
        module = get_cc_module(country, name) if name else None
        if module is not None and hasattr(module, "validate"):
            return _stdnum(module)
    return None
