"""An employee's personal data: its fields, their checks, and sealing them onto the row.

The IBAN is checked by schwifty (country length, bank code, check digits) and
stored compact and upper-case. The national id is checked with the same
python-stdnum rules data entry uses, for the tenant's country (its calendar's
holiday country) when that country has a format; otherwise it is kept as written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from uuid import UUID

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from bo_saas.dataentry.identifiers import identifier_check
from bo_saas.hr.crypto import Keyring
from bo_saas.hr.models import Employee

FIELDS = ("national_id", "iban", "salary", "currency", "birth_date", "address")


@dataclass(frozen=True, slots=True)
class Personal:
    national_id: str | None = None
    iban: str | None = None
    salary: int | None = None  # minor units of ``currency``, per month
    currency: str | None = None
    birth_date: date | None = None
    address: str | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in asdict(self).values())


def clean(values: dict[str, Any], country: str | None, today: date) -> tuple[Personal, dict[str, str]]:
    """The checked personal data and the problems found, by field (empty when there are none)."""
    problems: dict[str, str] = {}
    national_id = _text(values.get("national_id"))
    if national_id is not None and country:
        check = identifier_check("national_id", country)
        if check is not None:
            try:
                national_id = check.clean(national_id)
            except ValueError as exc:
                problems["national_id"] = f"not a valid {check.description} for {country.upper()}: {exc}"
    iban = _text(values.get("iban"))
    if iban is not None:
        try:
            iban = IBAN(iban).compact
        except SchwiftyException as exc:
            problems["iban"] = f"not a valid IBAN: {exc}"
    salary, currency = values.get("salary"), _text(values.get("currency"))
    if salary is not None and currency is None:
        problems["currency"] = "a salary needs its currency (ISO 4217, e.g. SAR)"
    birth_date = values.get("birth_date")
    if birth_date is not None and birth_date >= today:
        problems["birth_date"] = "must be in the past"
    personal = Personal(national_id, iban, salary, currency, birth_date, _text(values.get("address")))
    return personal, problems


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def seal_onto(keyring: Keyring, employee: Employee, personal: Personal) -> None:
    if personal.is_empty():
        employee.personal_sealed = None
        return
    fields = asdict(personal)
    if personal.birth_date is not None:
        fields["birth_date"] = personal.birth_date.isoformat()
    employee.personal_sealed = keyring.seal(employee.tenant_id, employee.id, fields)


def opened(keyring: Keyring, employee: Employee) -> Personal:
    if employee.personal_sealed is None:
        return Personal()
    return open_sealed(keyring, employee.tenant_id, employee.id, employee.personal_sealed)


def open_sealed(keyring: Keyring, tenant_id: UUID, employee_id: UUID, sealed: bytes) -> Personal:
    """The personal data of a sealed blob read as a column (lists and payroll read columns, not rows)."""
    fields = keyring.open(tenant_id, employee_id, sealed)
    birth_date = fields.get("birth_date")
    fields["birth_date"] = date.fromisoformat(birth_date) if birth_date else None
    return Personal(**{name: fields.get(name) for name in FIELDS})
