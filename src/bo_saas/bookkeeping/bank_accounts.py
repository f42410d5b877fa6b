"""A tenant's bank accounts: each booked on one of its open asset accounts, with its CSV column mapping."""

from __future__ import annotations

from uuid import uuid4

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import iban as iban_numbers
from stdnum.exceptions import ValidationError

from bo_saas.bookkeeping.bank_import_csv import check_mapping
from bo_saas.bookkeeping.bank_parsing import known_currency
from bo_saas.bookkeeping.errors import BankAccountNotFound, InvalidBookkeepingRequest
from bo_saas.bookkeeping.models import AccountStatus, AccountType, BankAccount, Book, LedgerAccount
from bo_saas.bookkeeping.schemas import BankAccountIn, BankAccountOut, CsvMapping
from bo_saas.lib.repository import TenantRepository


class BankAccounts(TenantRepository[BankAccount]):
    model = BankAccount
    not_found = BankAccountNotFound
    not_found_message = "No such bank account"


def compact_iban(text: str) -> str:
    try:
        return iban_numbers.validate(text)
    except ValidationError:
        raise InvalidBookkeepingRequest(f"{text!r} is not a valid IBAN", extra={"field": "iban"}) from None


def mapping_of(account: BankAccount) -> CsvMapping | None:
    return None if account.csv_mapping is None else msgspec.convert(account.csv_mapping, CsvMapping)


def save_mapping(account: BankAccount, mapping: CsvMapping) -> None:
    check_mapping(mapping)
    account.csv_mapping = msgspec.to_builtins(mapping)


async def create_bank_account(session: AsyncSession, book: Book, data: BankAccountIn) -> BankAccount:
    ledger = await session.scalar(
        select(LedgerAccount).where(
            LedgerAccount.tenant_id == book.tenant_id, LedgerAccount.code == data.ledger_account
        )
    )
    if ledger is None or ledger.type is not AccountType.ASSET or ledger.status is not AccountStatus.OPEN:
        raise InvalidBookkeepingRequest(
            f"No open asset account {data.ledger_account!r}: a bank account is booked on one",
            extra={"field": "ledger_account"},
        )
    if not known_currency(data.currency):
        raise InvalidBookkeepingRequest(f"{data.currency} is not an ISO 4217 currency", extra={"field": "currency"})
    account = BankAccount(
        id=uuid4(), tenant_id=book.tenant_id, ledger_account_id=ledger.id, name=data.name.strip(),
        iban=compact_iban(data.iban) if data.iban else None, currency=data.currency,
    )  # fmt: skip
    if data.csv_mapping is not None:
        save_mapping(account, data.csv_mapping)
    session.add(account)
    await session.flush()
    return account


async def bank_accounts_out(session: AsyncSession, accounts: list[BankAccount]) -> list[BankAccountOut]:
    codes = dict(
        (
            await session.execute(
                select(LedgerAccount.id, LedgerAccount.code).where(
                    LedgerAccount.id.in_({account.ledger_account_id for account in accounts})
                )
            )
        ).all()
    )
    return [
        BankAccountOut(
            id=account.id,
            ledger_account=codes[account.ledger_account_id],
            name=account.name,
            iban=account.iban,
            currency=account.currency,
            csv_mapping=mapping_of(account),
        )  # fmt: skip
        for account in accounts
    ]
