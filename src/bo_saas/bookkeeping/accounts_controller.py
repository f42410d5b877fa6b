"""``/api/v1/books/accounts``: a tenant's chart of accounts; its keepers change it, its people read it.

An account that has entries is never deleted (409): close it instead. Another
tenant's account answers 404.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping import accounts
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper
from bo_saas.bookkeeping.accounts import Accounts
from bo_saas.bookkeeping.models import AccountStatus, AccountType, LedgerAccount
from bo_saas.bookkeeping.schemas import AccountIn, AccountOut, AccountUpdate
from bo_saas.bookkeeping.views import account_out
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope


def _audit(db: AsyncSession, request: Request, account: LedgerAccount, action: str, changes: dict) -> None:
    record_event(
        db, request, tenant_id=account.tenant_id, action=action, subject_type="book_account",
        subject_id=str(account.id), changes={"code": account.code, **changes},
    )  # fmt: skip


async def _writable(db: AsyncSession, request: Request, account_id: UUID) -> LedgerAccount:
    account = await Accounts(request.user).get(db, account_id, for_update=True)
    await require_keeper(db, request.user, account.tenant_id)
    return account


class AccountController(Controller):
    path = "/api/v1/books/accounts"
    tags = ["books"]

    @get("/", summary="List the chart of accounts, in code order")
    async def list_accounts(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest
    ) -> OffsetPagination[AccountOut]:
        book = await open_book(db, one_tenant(tenant_scope))
        statement = Accounts().select().where(LedgerAccount.tenant_id == book.tenant_id)
        return await list_page(
            db, statement, page, order_by=(LedgerAccount.code,), into=lambda rows: [account_out(r) for r in rows]
        )

    @post("/", summary="Add an account (bookkeepers)", guards=[requires_staff])
    async def create_account(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: AccountIn
    ) -> AccountOut:
        tenant_id = one_tenant(tenant_scope)
        await require_keeper(db, request.user, tenant_id)
        book = await open_book(db, tenant_id)
        account = await accounts.create_account(
            db, book, code=data.code, name=data.name, type=AccountType(data.type), group=data.group
        )
        _audit(db, request, account, "book_account.created", {"name": account.name, "type": account.type.value})
        return account_out(account)

    @patch("/{account_id:uuid}", summary="Rename, regroup, close or reopen an account (bookkeepers)",
           guards=[requires_staff])  # fmt: skip
    async def update_account(
        self, request: Request, db: AsyncSession, account_id: UUID, data: AccountUpdate
    ) -> AccountOut:
        account = await _writable(db, request, account_id)
        changes: dict = {}
        if data.name is not None:
            changes["name"] = data.name.strip()
        if data.group is not None:
            changes["group"] = data.group.strip() or None
        if data.status is not None:
            changes["status"] = AccountStatus(data.status)
        made = await accounts.update_account(db, account, changes)
        if made:
            _audit(db, request, account, "book_account.updated", {
                field: {"old": str(change["old"]), "new": str(change["new"])} for field, change in made.items()
            })  # fmt: skip
        return account_out(account)

    @delete("/{account_id:uuid}", summary="Delete an account that has no entries (bookkeepers)",
            guards=[requires_staff])  # fmt: skip
    async def delete_account(self, request: Request, db: AsyncSession, account_id: UUID) -> None:
        account = await _writable(db, request, account_id)
        await accounts.delete_account(db, account)
        _audit(db, request, account, "book_account.deleted", {"name": account.name})
