"""Bank accounts and statement imports: CSV through a saved mapping, OFX, CAMT.053; no line twice, bad files 422."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bo_saas.bookkeeping.models import StatementLine
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.bookkeeping.helpers import books_headers
from tests.factories import TenantFactory, client_user, save

BANK_ACCOUNTS = "/api/v1/books/bank-accounts"

OFX = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260315120000<LANGUAGE>ENG</SONRS>
</SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>021000021<ACCTID>000123456789<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20260301<DTEND>20260315
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260310<TRNAMT>119.00<FITID>20260310-001<NAME>Acme Corp<MEMO>Invoice INV-42
</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260312120000<TRNAMT>-45.50<FITID>20260312-002<NAME>Office Supplies<MEMO>Paper
</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>73.50<DTASOF>20260315</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""

CAMT = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-2026-03-15</MsgId><CreDtTm>2026-03-15T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-0315</Id>
      <CreDtTm>2026-03-15T18:00:00</CreDtTm>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Ntry>
        <NtryRef>1</NtryRef>
        <Amt Ccy="EUR">1250.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-11</Dt></BookgDt>
        <ValDt><Dt>2026-03-11</Dt></ValDt>
        <AcctSvcrRef>2026031100012345</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>INV-2026-0042</EndToEndId></Refs>
          <RltdPties><Dbtr><Nm>Muster GmbH</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>Rechnung INV-2026-0042</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">89.90</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-12</Dt></BookgDt>
        <AcctSvcrRef>2026031200067890</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Cdtr><Nm>Telekom Deutschland</Nm></Cdtr></RltdPties>
          <RmtInf><Ustrd>Mobilfunk Maerz</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">10.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>PDNG</Sts>
        <BookgDt><Dt>2026-03-15</Dt></BookgDt>
        <AcctSvcrRef>2026031500000001</AcctSvcrRef>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""

COMMA_CSV = b"""Date,Amount,Details,Ref,Payee
2026-03-10,119.00,Invoice INV-42,INV-42,Acme Corp
2026-03-12,-45.50,Paper,,Office Supplies
2026-03-12,-45.50,Paper,,Office Supplies
"""
COMMA_MAPPING = {"date": "Date", "amount": "Amount", "description": "Details", "reference": "Ref",
                 "counterparty": "Payee"}  # fmt: skip

SEMICOLON_CSV = """Buchungstag;Soll;Haben;Verwendungszweck;Auftraggeber
11.03.2026;;1.250,00;Rechnung INV-2026-0042;Muster GmbH
12.03.2026;89,90;;Mobilfunk März;Telekom Deutschland
""".encode("cp1252")
SEMICOLON_MAPPING = {"date": "Buchungstag", "debit": "Soll", "credit": "Haben", "description": "Verwendungszweck",
                     "counterparty": "Auftraggeber", "date_format": "%d.%m.%Y", "decimal_separator": ","}  # fmt: skip


async def a_bank_account(client, desk, currency: str = "USD", **fields) -> dict:
    body = {"ledger_account": "1010", "name": f"Main {currency}", "currency": currency, **fields}
    answer = await client.post(BANK_ACCOUNTS, json=body, headers=books_headers(desk, "agent"))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def upload(client, desk, account: dict, name: str, content: bytes, mapping: dict | None = None):
    form = {"mapping": json.dumps(mapping)} if mapping is not None else {}
    return await client.post(
        f"{BANK_ACCOUNTS}/{account['id']}/statements", files={"file": (name, content)}, data=form,
        headers=books_headers(desk, "agent"),
    )  # fmt: skip


async def lines_of(client, desk, account: dict) -> list[dict]:
    answer = await client.get(f"{BANK_ACCOUNTS}/{account['id']}/reconciliation", headers=books_headers(desk, "agent"))
    assert answer.status_code == 200, answer.text
    return [item["line"] for item in answer.json()["items"]]


def brief(lines: list[dict]) -> list[tuple]:
    return [(line["date"], line["amount"], line["description"], line["reference"], line["counterparty"])
            for line in lines]  # fmt: skip


async def test_a_bank_account_is_booked_on_an_asset_account_with_its_iban_compacted(client, desk):
    account = await a_bank_account(client, desk, "EUR", iban="DE89 3704 0044 0532 0130 00")
    listed = await client.get(BANK_ACCOUNTS, headers=books_headers(desk, "member"))

    assert account["ledger_account"] == "1010" and account["iban"] == "DE89370400440532013000"
    assert listed.json()["items"] == [account]


async def test_a_bank_account_on_a_bad_iban_or_a_non_asset_account_is_refused(client, desk):
    headers = books_headers(desk, "agent")
    bad_iban = {"ledger_account": "1010", "name": "X", "currency": "EUR", "iban": "DE00 3704 0044 0532 0130 00"}
    on_revenue = {"ledger_account": "4000", "name": "X", "currency": "EUR"}

    assert (await client.post(BANK_ACCOUNTS, json=bad_iban, headers=headers)).status_code == 400
    assert (await client.post(BANK_ACCOUNTS, json=on_revenue, headers=headers)).status_code == 400
    assert (await client.post(BANK_ACCOUNTS, json=bad_iban, headers=books_headers(desk, "member"))).status_code == 403


async def test_a_comma_csv_imports_through_the_mapping_sent_with_it_and_the_mapping_is_saved(client, desk):
    account = await a_bank_account(client, desk)

    answer = await upload(client, desk, account, "march.csv", COMMA_CSV, COMMA_MAPPING)
    saved = await client.get(f"{BANK_ACCOUNTS}/{account['id']}", headers=books_headers(desk, "member"))

    assert answer.status_code == 201, answer.text
    # The two identical paper purchases are two bookings: the occurrence number keeps their keys apart.
    assert answer.json() == {"format": "csv", "lines": 3, "new": 3, "known": 0}
    assert saved.json()["csv_mapping"]["amount"] == "Amount"
    assert brief(await lines_of(client, desk, account)) == [
        ("2026-03-10", 11900, "Invoice INV-42", "INV-42", "Acme Corp"),
        ("2026-03-12", -4550, "Paper", "", "Office Supplies"),
        ("2026-03-12", -4550, "Paper", "", "Office Supplies"),
    ]


async def test_a_semicolon_csv_with_decimal_commas_and_debit_credit_columns_reads_signed_amounts(client, desk):
    account = await a_bank_account(client, desk, "EUR", csv_mapping=SEMICOLON_MAPPING)

    answer = await upload(client, desk, account, "umsaetze.csv", SEMICOLON_CSV)

    assert answer.json() == {"format": "csv", "lines": 2, "new": 2, "known": 0}
    assert brief(await lines_of(client, desk, account)) == [
        ("2026-03-11", 125000, "Rechnung INV-2026-0042", "", "Muster GmbH"),
        ("2026-03-12", -8990, "Mobilfunk März", "", "Telekom Deutschland"),
    ]


async def test_an_ofx_statement_imports_each_transaction_keyed_by_its_fitid(client, desk):
    account = await a_bank_account(client, desk)

    answer = await upload(client, desk, account, "export.qfx", OFX)

    assert answer.json() == {"format": "ofx", "lines": 2, "new": 2, "known": 0}
    assert brief(await lines_of(client, desk, account)) == [
        ("2026-03-10", 11900, "Invoice INV-42", "", "Acme Corp"),
        ("2026-03-12", -4550, "Paper", "", "Office Supplies"),
    ]


async def test_a_camt053_statement_imports_booked_credits_and_debits_with_party_and_remittance_text(client, desk):
    account = await a_bank_account(client, desk, "EUR")

    answer = await upload(client, desk, account, "camt053.xml", CAMT)

    assert answer.json() == {"format": "camt053", "lines": 2, "new": 2, "known": 0}
    assert brief(await lines_of(client, desk, account)) == [
        ("2026-03-11", 125000, "Rechnung INV-2026-0042", "INV-2026-0042", "Muster GmbH"),
        ("2026-03-12", -8990, "Mobilfunk Maerz", "", "Telekom Deutschland"),
    ]


async def test_importing_the_same_statements_again_adds_nothing(client, desk, admin_session):
    usd = await a_bank_account(client, desk, csv_mapping=COMMA_MAPPING)
    eur = await a_bank_account(client, desk, "EUR")
    for account, name, content in ((usd, "a.csv", COMMA_CSV), (usd, "b.ofx", OFX), (eur, "c.xml", CAMT)):
        await upload(client, desk, account, name, content)

    again = [
        (await upload(client, desk, account, name, content)).json()
        for account, name, content in ((usd, "a.csv", COMMA_CSV), (usd, "b.ofx", OFX), (eur, "c.xml", CAMT))
    ]

    assert [(r["new"], r["known"]) for r in again] == [(0, 3), (0, 2), (0, 2)]
    stored = await admin_session.scalar(
        select(func.count()).select_from(StatementLine).where(StatementLine.tenant_id == desk.tenant.id)
    )
    assert stored == 7


BAD_FILES = [
    ("empty.csv", b"", "empty"),
    ("short.csv", b"Date,Amount,Details,Ref,Payee\n2026-03-10,1.00\n", "Row 2: 2 columns"),
    ("date.csv", b"Date,Amount,Details,Ref,Payee\n10/03/2026,1.00,x,,\n", "Row 2: '10/03/2026' is not a date"),
    ("amount.csv", b"Date,Amount,Details,Ref,Payee\n2026-03-10,ten,x,,\n", "Row 2: 'ten' is not an amount"),
    ("cents.csv", b"Date,Amount,Details,Ref,Payee\n2026-03-10,1.001,x,,\n", "more decimals than USD"),
    ("header.csv", b"When,How much\n2026-03-10,1.00\n", "no column 'Date'"),
    ("broken.ofx", b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1>", "OFX file cannot be read"),
    ("euro.ofx", OFX.replace(b"<CURDEF>USD", b"<CURDEF>EUR"), "in EUR; this bank account is in USD"),
    ("broken.xml", b"<Document><BkToCstmrStmt><Stmt>", "XML file cannot be read"),
    ("other.xml", b"<?xml version='1.0'?><Document><pain/></Document>", "not a CAMT.053"),
    (
        "bomb.xml",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<Document><BkToCstmrStmt>&b;</BkToCstmrStmt></Document>",
        "declares a DTD",
    ),
]


async def test_bad_files_are_refused_with_a_reason_and_import_nothing(client, desk):
    account = await a_bank_account(client, desk, csv_mapping=COMMA_MAPPING)
    # A good row before the bad one: nothing of the file may stay.
    mixed = COMMA_CSV + b"2026-03-13,oops,x,,\n"

    answers = {name: await upload(client, desk, account, name, content) for name, content, _ in BAD_FILES}
    answers["mixed.csv"] = await upload(client, desk, account, "mixed.csv", mixed)

    for name, _, reason in BAD_FILES:
        assert answers[name].status_code == 422, (name, answers[name].text)
        assert reason in answers[name].json()["detail"], (name, answers[name].json())
    assert answers["mixed.csv"].status_code == 422 and "Row 5" in answers["mixed.csv"].json()["detail"]
    assert await lines_of(client, desk, account) == []


async def test_a_csv_without_a_mapping_or_with_a_bad_one_is_refused(client, desk):
    account = await a_bank_account(client, desk)

    unmapped = await upload(client, desk, account, "a.csv", COMMA_CSV)
    both = await upload(client, desk, account, "a.csv", COMMA_CSV, {"date": "Date", "amount": "A", "debit": "D"})
    not_json = await client.post(
        f"{BANK_ACCOUNTS}/{account['id']}/statements", files={"file": ("a.csv", COMMA_CSV)},
        data={"mapping": "{date:"}, headers=books_headers(desk, "agent"),
    )  # fmt: skip

    assert unmapped.status_code == 422 and "no CSV column mapping" in unmapped.json()["detail"]
    assert both.status_code == 422 and "not both" in both.json()["detail"]
    assert not_json.status_code == 400


async def test_only_keepers_import_and_another_tenants_bank_account_is_not_found(client, desk, admin_session):
    account = await a_bank_account(client, desk, csv_mapping=COMMA_MAPPING)
    other = TenantFactory(services=["bookkeeping"])
    await save(admin_session, other)
    outsider = await client_user(admin_session, other, Role.CLIENT_ADMIN)
    outsider_headers = bearer(desk.app, outsider, Role.CLIENT_ADMIN, tenant_id=other.id)

    by_member = await client.post(
        f"{BANK_ACCOUNTS}/{account['id']}/statements", files={"file": ("a.csv", COMMA_CSV)},
        headers=books_headers(desk, "member"),
    )  # fmt: skip
    seen_from_outside = await client.get(f"{BANK_ACCOUNTS}/{account['id']}", headers=outsider_headers)
    reconciliation_from_outside = await client.get(
        f"{BANK_ACCOUNTS}/{account['id']}/reconciliation", headers=outsider_headers
    )

    assert by_member.status_code == 403
    assert seen_from_outside.status_code == 404
    assert reconciliation_from_outside.status_code == 404


async def test_a_mapping_sent_with_a_file_that_fails_is_not_saved(client, desk):
    account = await a_bank_account(client, desk)

    answer = await upload(client, desk, account, "a.csv", COMMA_CSV + b"2026-03-13,oops,x,,\n", COMMA_MAPPING)
    saved = await client.get(f"{BANK_ACCOUNTS}/{account['id']}", headers=books_headers(desk, "agent"))

    assert answer.status_code == 422
    assert saved.json()["csv_mapping"] is None
