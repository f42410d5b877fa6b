"""The bank payment file of a finalized run: CSV, or SEPA credit transfer initiation (ISO 20022 pain.001.001.03).

One payment per payslip, for its net pay, to the IBAN fixed at finalize
(sealed on the payslip, so a later change to the employee's record does not
change what this run paid). The debtor (the tenant's own account) is named by
the caller: the HR desk does not keep the tenant's bank accounts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID
from xml.etree import ElementTree as ET

from babel.numbers import get_currency_precision

PAIN_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


@dataclass(frozen=True, slots=True)
class Payment:
    payslip_id: UUID
    payslip_number: str
    employee_number: str
    name: str
    iban: str
    amount: int  # minor units


def _major(minor: int, currency: str) -> str:
    digits = get_currency_precision(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def bank_csv(payments: list[Payment], currency: str, period: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["payslip_number", "employee_number", "name", "iban", "amount", "currency", "reference"])
    for payment in payments:
        writer.writerow([
            payment.payslip_number, payment.employee_number, payment.name, payment.iban,
            _major(payment.amount, currency), currency, f"Salary {period}",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def sepa_pain001(
    payments: list[Payment], currency: str, period: str, *, run_id: UUID, debtor_name: str, debtor_iban: str,
    debtor_bic: str | None, execution_date: date, created_at: datetime,
) -> bytes:  # fmt: skip
    message_id = f"PAYROLL-{run_id.hex[:24]}"
    total = sum(payment.amount for payment in payments)
    root = ET.Element("Document", xmlns=PAIN_NAMESPACE)
    initiation = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created_at.replace(microsecond=0).isoformat())
    _sub(header, "NbOfTxs", str(len(payments)))
    _sub(header, "CtrlSum", _major(total, currency))
    _sub(_sub(header, "InitgPty"), "Nm", debtor_name[:70])
    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", f"{message_id}-1")
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(payments)))
    _sub(info, "CtrlSum", _major(total, currency))
    type_info = _sub(info, "PmtTpInf")
    _sub(_sub(type_info, "SvcLvl"), "Cd", "SEPA")
    _sub(_sub(type_info, "CtgyPurp"), "Cd", "SALA")
    _sub(info, "ReqdExctnDt", execution_date.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", debtor_name[:70])
    _sub(_sub(_sub(info, "DbtrAcct"), "Id"), "IBAN", debtor_iban)
    agent = _sub(_sub(info, "DbtrAgt"), "FinInstnId")
    if debtor_bic:
        _sub(agent, "BIC", debtor_bic)
    else:
        _sub(_sub(agent, "Othr"), "Id", "NOTPROVIDED")
    _sub(info, "ChrgBr", "SLEV")
    for payment in payments:
        transfer = _sub(info, "CdtTrfTxInf")
        ids = _sub(transfer, "PmtId")
        _sub(ids, "EndToEndId", payment.payslip_number)
        _sub(_sub(transfer, "Amt"), "InstdAmt", _major(payment.amount, currency), Ccy=currency)
        _sub(_sub(transfer, "Cdtr"), "Nm", payment.name[:70])
        _sub(_sub(_sub(transfer, "CdtrAcct"), "Id"), "IBAN", payment.iban)
        _sub(_sub(transfer, "RmtInf"), "Ustrd", f"Salary {period} {payment.payslip_number}"[:140])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
