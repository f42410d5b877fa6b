"""CAMT.053 statements (ISO 20022 ``BkToCstmrStmt``), read with ``defusedxml``: no DTDs, no entity expansion.

Elements are found by local name, so every ``camt.053.001.xx`` version reads
the same way. An entry is keyed by the bank's AcctSvcrRef, else its NtryRef.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bo_saas.bookkeeping.bank_parsing import ParsedLine, decimal_of, text_fields, to_minor
from bo_saas.bookkeeping.errors import BadStatement


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child) == name]


def _find(element: Element | None, path: str) -> Element | None:
    for name in path.split("/"):
        if element is None:
            return None
        found = _children(element, name)
        element = found[0] if found else None
    return element


def _text(element: Element | None, path: str) -> str:
    found = _find(element, path)
    return (found.text or "").strip() if found is not None else ""


def _date(entry: Element, where: str) -> date:
    for path in ("BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"):
        text = _text(entry, path)
        if text:
            try:
                return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
            except ValueError:
                raise BadStatement(f"{where}: {text!r} is not an ISO date") from None
    raise BadStatement(f"{where}: no booking or value date")


def _root(data: bytes) -> Element:
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise BadStatement("The XML file declares a DTD or entities, which statements never need") from None
    except ParseError as problem:
        raise BadStatement(f"The XML file cannot be read: {problem}") from None
    statement_list = _find(root, "BkToCstmrStmt") if _local(root) == "Document" else None
    if statement_list is None:
        raise BadStatement("The XML file is not a CAMT.053 bank-to-customer statement")
    return statement_list


def _entry(entry: Element, currency: str, where: str) -> ParsedLine:
    amount_element = _find(entry, "Amt")
    if amount_element is None:
        raise BadStatement(f"{where}: no amount")
    if amount_element.get("Ccy", currency) != currency:
        raise BadStatement(f"{where}: the amount is in {amount_element.get('Ccy')}; this bank account is in {currency}")
    amount: Decimal = decimal_of(amount_element.text or "", where)
    direction = _text(entry, "CdtDbtInd")
    if direction not in ("CRDT", "DBIT"):
        raise BadStatement(f"{where}: CdtDbtInd is {direction!r}, not CRDT or DBIT")
    received = direction == "CRDT"
    details = _find(entry, "NtryDtls/TxDtls")
    # The other party: who paid us on a credit, whom we paid on a debit.
    party = _text(details, "RltdPties/Dbtr/Nm" if received else "RltdPties/Cdtr/Nm") or _text(
        details, "RltdPties/Dbtr/Pty/Nm" if received else "RltdPties/Cdtr/Pty/Nm"
    )
    remittance = _find(details, "RmtInf")
    unstructured = _children(remittance, "Ustrd") if remittance is not None else []
    description = " ".join((node.text or "").strip() for node in unstructured) or _text(entry, "AddtlNtryInf")
    reference = _text(details, "Refs/EndToEndId")
    if reference == "NOTPROVIDED":
        reference = ""
    return ParsedLine(
        booked_on=_date(entry, where),
        amount=to_minor(abs(amount) if received else -abs(amount), currency, where),
        bank_id=_text(entry, "AcctSvcrRef") or _text(entry, "NtryRef"),
        **text_fields(description, reference or _text(details, "Refs/AcctSvcrRef"), party),
    )


def parse_camt(data: bytes, currency: str) -> list[ParsedLine]:
    statement_list = _root(data)
    lines = []
    for statement in _children(statement_list, "Stmt"):
        account_currency = _text(statement, "Acct/Ccy")
        if account_currency and account_currency != currency:
            raise BadStatement(f"The CAMT statement is in {account_currency}; this bank account is in {currency}")
        for position, entry in enumerate(_children(statement, "Ntry"), start=1):
            # Pending and information-only entries are not bookings yet: they come again once booked.
            if (_text(entry, "Sts") or _text(entry, "Sts/Cd")) in ("PDNG", "INFO"):
                continue
            lines.append(_entry(entry, currency, f"Entry {position}"))
    return lines
