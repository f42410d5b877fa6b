"""OFX statements (1.x SGML and 2.x XML) through ``ofxtools``; each transaction keyed by its FITID."""

from __future__ import annotations

import io

from ofxtools.Parser import OFXTree

from bo_saas.bookkeeping.bank_parsing import ParsedLine, text_fields, to_minor
from bo_saas.bookkeeping.errors import BadStatement


def _converted(data: bytes):
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        return tree.convert()
    # ofxtools reports a bad file with many exception types (header, SGML, element and value errors, some bare
    # ValueError/KeyError/IndexError); every one of them means "this upload is not a readable OFX file".
    except Exception as problem:  # noqa: BLE001
        raise BadStatement(f"The OFX file cannot be read: {problem}") from None


def parse_ofx(data: bytes, currency: str) -> list[ParsedLine]:
    ofx = _converted(data)
    statements = list(getattr(ofx, "statements", None) or ())
    if not statements:
        raise BadStatement("The OFX file has no bank or card statement")
    lines = []
    for statement in statements:
        if statement.curdef and statement.curdef != currency:
            raise BadStatement(f"The OFX statement is in {statement.curdef}; this bank account is in {currency}")
        for position, transaction in enumerate(statement.transactions or (), start=1):
            where = f"Transaction {position} ({transaction.fitid})"
            lines.append(
                ParsedLine(
                    booked_on=transaction.dtposted.date(),
                    amount=to_minor(transaction.trnamt, currency, where),
                    bank_id=transaction.fitid or "",
                    **text_fields(
                        transaction.memo or transaction.name,
                        transaction.refnum or transaction.checknum,
                        transaction.name or (transaction.payee.name if transaction.payee else None),
                    ),
                )
            )
    return lines
