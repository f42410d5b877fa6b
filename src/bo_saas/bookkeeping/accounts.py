"""The chart of accounts as keepers change it: add, rename, regroup, close, and delete only what was never used.

An account with lines (posted or drafted) is never deleted: its history is the
books. Closing it keeps the history and takes no new lines.
"""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.errors import AccountNotFound, LedgerConflict
from bo_saas.bookkeeping.models import AccountStatus, AccountType, Book, JournalLine, LedgerAccount
from bo_saas.lib.repository import TenantRepository


class Accounts(TenantRepository[LedgerAccount]):
    model = LedgerAccount
    not_found = AccountNotFound
    not_found_message = "No such account"


async def create_account(
    session: AsyncSession, book: Book, *, code: str, name: str, type: AccountType, group: str | None
) -> LedgerAccount:
    account = LedgerAccount(
        id=uuid4(), tenant_id=book.tenant_id, code=code, name=name.strip(), type=type,
        group=group.strip() if group else None, status=AccountStatus.OPEN,
    )  # fmt: skip
    try:
        async with session.begin_nested():
            session.add(account)
    except IntegrityError:
        raise LedgerConflict(f"The chart has an account {code!r} already", extra={"field": "code"}) from None
    return account


async def update_account(session: AsyncSession, account: LedgerAccount, changes: dict) -> dict[str, dict]:
    """Apply the given fields (name, group, status); the differences."""
    made = {}
    for field, value in changes.items():
        if getattr(account, field) != value:
            made[field] = {"old": getattr(account, field), "new": value}
            setattr(account, field, value)
    await session.flush()
    return made


async def has_lines(session: AsyncSession, account: LedgerAccount) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(JournalLine.tenant_id == account.tenant_id, JournalLine.account_id == account.id))
        )
    )


async def delete_account(session: AsyncSession, account: LedgerAccount) -> None:
    if await has_lines(session, account):
        raise LedgerConflict(
            f'Account {account.code} has entries: it cannot be deleted; close it instead (PATCH status "closed")'
        )
    await session.delete(account)
    await session.flush()
