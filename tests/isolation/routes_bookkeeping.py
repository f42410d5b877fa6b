"""The isolation walker's entries for the Bookkeeping desk: accounts, journal entries, periods, the trial balance."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from sqlalchemy import select

from bo_saas.bookkeeping.books import BookSettings, create_book, ensure_period
from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.models import (
    AccountType,
    BankAccount,
    EntryStatus,
    LedgerAccount,
    Period,
    PeriodStatus,
    StatementLine,
)
from bo_saas.bookkeeping.posting import post
from bo_saas.identity.models import Account, StaffAssignment, StaffSkill
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from tests.isolation.walker import Entry

ACCOUNTS = "/api/v1/books/accounts"
ACCOUNT = "/api/v1/books/accounts/{account_id:uuid}"
ENTRIES = "/api/v1/books/journal-entries"
ENTRY = "/api/v1/books/journal-entries/{entry_id:uuid}"
PERIODS = "/api/v1/books/periods"
PERIOD = "/api/v1/books/periods/{period_id:uuid}"
REPORTS = "/api/v1/books/reports"
TRIAL_BALANCE = REPORTS + "/trial-balance"
BANK_ACCOUNTS = "/api/v1/books/bank-accounts"
BANK_ACCOUNT = BANK_ACCOUNTS + "/{bank_account_id:uuid}"
BANK_CSV = b"Date,Amount,Details\n2026-03-11,12.50,Walk\n"
DAY = date(2026, 3, 10)
LINES = [{"account": "1000", "debit": 100, "credit": 0}, {"account": "4000", "debit": 0, "credit": 100}]


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _id(key: str, base: str, suffix: str = ""):
    return lambda t, w: f"{base}/{t.work[key]}{suffix}"


def _list(path: str) -> Entry:
    # Books are one tenant's: a scope without exactly one tenant (another tenant named in X-Tenant) answers 400.
    return Entry("GET", path, "client_member", lambda t, w: path, headers=_own, cross_status=(400,))


ROUTES = [
    _list(ACCOUNTS),
    Entry(
        "POST", ACCOUNTS, "agent", lambda t, w: ACCOUNTS,
        body=lambda t, w: {"code": f"9{uuid4().hex[:6]}", "name": "Walk", "type": "expense"},
        own_status=201, lower="client_admin", headers=_own, cross_status=(400,),
    ),
    Entry("PATCH", ACCOUNT, "agent", _id("bk_spare_account", ACCOUNTS), body=lambda t, w: {"name": "Walked"},
          lower="client_admin"),
    Entry("DELETE", ACCOUNT, "agent", _id("bk_spare_account", ACCOUNTS), own_status=204, lower="client_admin"),
    _list(ENTRIES),
    Entry(
        "POST", ENTRIES, "agent", lambda t, w: ENTRIES, body=lambda t, w: {"date": "2026-03-10", "lines": LINES},
        own_status=201, lower="client_admin", headers=_own, cross_status=(400,),
    ),
    Entry("GET", ENTRY, "client_member", _id("bk_draft", ENTRIES)),
    Entry("PATCH", ENTRY, "agent", _id("bk_draft", ENTRIES), body=lambda t, w: {"memo": "walk"}, lower="client_admin"),
    Entry("DELETE", ENTRY, "agent", _id("bk_draft", ENTRIES), own_status=204, lower="client_admin"),
    Entry("POST", ENTRY + "/post", "agent", _id("bk_draft", ENTRIES, "/post"), lower="client_admin"),
    # The second person: the tenant's admin approves an entry an agent made; a member may not.
    Entry("POST", ENTRY + "/approve", "client_admin", _id("bk_pending", ENTRIES, "/approve"), lower="client_member"),
    Entry("POST", ENTRY + "/reverse", "agent", _id("bk_posted", ENTRIES, "/reverse"), body=lambda t, w: {},
          own_status=201, lower="client_admin"),
    _list(PERIODS),
    Entry("POST", PERIOD + "/close", "agent", _id("bk_open_period", PERIODS, "/close"), lower="client_admin"),
    # Reopening is a provider admin's (X-Tenant, audited); a tenant's own admin is refused outright.
    Entry(
        "POST", PERIOD + "/reopen", "provider_admin", _id("bk_locked_period", PERIODS, "/reopen"),
        body=lambda t, w: {"reason": "walk"}, lower="agent", headers=_own, cross_caller="client_admin",
        cross_status=(403,),
    ),
    _list(TRIAL_BALANCE),
    _list(REPORTS + "/profit-and-loss"),
    _list(REPORTS + "/balance-sheet"),
    _list(REPORTS + "/general-ledger"),
    # The walk's books are on the general chart, which has no VAT accounts: its own tenant gets the 409.
    Entry("GET", REPORTS + "/vat-return", "client_member", lambda t, w: REPORTS + "/vat-return", headers=_own,
          own_status=409, cross_status=(400,)),
    _list(BANK_ACCOUNTS),
    Entry(
        "POST", BANK_ACCOUNTS, "agent", lambda t, w: BANK_ACCOUNTS,
        body=lambda t, w: {"ledger_account": "1010", "name": "Walk bank", "currency": "USD"},
        own_status=201, lower="client_admin", headers=_own, cross_status=(400,),
    ),
    Entry("GET", BANK_ACCOUNT, "client_member", _id("bk_bank", BANK_ACCOUNTS)),
    Entry("POST", BANK_ACCOUNT + "/statements", "agent", _id("bk_bank", BANK_ACCOUNTS, "/statements"),
          body=lambda t, w: {}, files={"file": ("walk.csv", BANK_CSV, "text/csv")}, own_status=201,
          lower="client_admin"),
    Entry("GET", BANK_ACCOUNT + "/reconciliation", "client_member", _id("bk_bank", BANK_ACCOUNTS, "/reconciliation")),
    Entry("GET", BANK_ACCOUNT + "/unmatched-journal-lines", "client_member",
          _id("bk_bank", BANK_ACCOUNTS, "/unmatched-journal-lines")),
    # The seeded statement line is 100 in, matched by the posted entry's cash line.
    Entry(
        "POST", BANK_ACCOUNT + "/reconciliation", "agent", _id("bk_bank", BANK_ACCOUNTS, "/reconciliation"),
        body=lambda t, w: {"statement_line_id": str(t.work["bk_statement_line"]),
                           "journal_lines": [{"entry_id": str(t.work["bk_posted"]), "line_number": 1}]},
        own_status=201, lower="client_admin",
    ),
    # After the match above: nothing left that leaves no doubt, so auto-matching answers 200 with none.
    Entry("POST", BANK_ACCOUNT + "/reconciliation/auto", "agent", _id("bk_bank", BANK_ACCOUNTS, "/reconciliation/auto"),
          body=lambda t, w: {}, own_status=200, lower="client_admin"),
]  # fmt: skip


async def _skilled_agents(session, tenant_id) -> None:
    """The walk's agent keeps books: give the agents serving this tenant the bookkeeping skill."""
    agents = await session.scalars(
        select(StaffAssignment.account_id)
        .join(Account, Account.id == StaffAssignment.account_id)
        .where(StaffAssignment.tenant_id == tenant_id, Account.staff_role == Role.PROVIDER_AGENT)
    )
    for account_id in agents.all():
        if await session.get(StaffSkill, (account_id, "bookkeeping")) is None:
            session.add(StaffSkill(account_id=account_id, skill_code="bookkeeping"))


async def _bank(session, t, tenant_id) -> None:
    """A bank account on the cash account (1000), with a CSV mapping and one statement line of 100 to match."""
    cash = await session.scalar(
        select(LedgerAccount.id).where(LedgerAccount.tenant_id == tenant_id, LedgerAccount.code == "1000")
    )
    bank = BankAccount(
        id=uuid4(), tenant_id=tenant_id, ledger_account_id=cash, name="Walk bank", currency="USD",
        csv_mapping={"date": "Date", "amount": "Amount", "description": "Details"},
    )  # fmt: skip
    session.add(bank)
    await session.flush()
    statement_line = StatementLine(
        id=uuid4(), tenant_id=tenant_id, bank_account_id=bank.id, booked_on=DAY, amount=100, dedupe_key="id:walk",
        imported_at=utc_now(),
    )  # fmt: skip
    session.add(statement_line)
    await session.flush()
    t.work.update(bk_bank=bank.id, bk_statement_line=statement_line.id)


async def seed(session, t) -> None:
    """Per tenant: books, a spare account, a draft, an entry pending approval, a posted one, open and locked months."""
    tenant_id = t.tenant.id
    await _skilled_agents(session, tenant_id)
    book = await create_book(session, tenant_id, BookSettings(approval_threshold=1000), DAY)
    spare = LedgerAccount(id=uuid4(), tenant_id=tenant_id, code="9999", name="Spare", type=AccountType.EXPENSE)
    session.add(spare)
    await session.flush()
    lines = [LineInput("1000", debit=100), LineInput("4000", credit=100)]
    big = [LineInput("1000", debit=5000), LineInput("4000", credit=5000)]
    draft = await create_draft(session, book, entry_date=DAY, memo="", lines=lines, maker_id=uuid4())
    pending = await create_draft(session, book, entry_date=DAY, memo="", lines=big, maker_id=uuid4())
    posted = await create_draft(session, book, entry_date=DAY, memo="", lines=lines, maker_id=uuid4())
    await post(session, book, pending, utc_now())
    await post(session, book, posted, utc_now())
    assert pending.status is EntryStatus.PENDING_APPROVAL and posted.status is EntryStatus.POSTED
    await ensure_period(session, tenant_id, date(2026, 6, 1))
    periods = {p.month: p for p in await session.scalars(select(Period).where(Period.tenant_id == tenant_id))}
    periods[date(2026, 6, 1)].status = PeriodStatus.LOCKED
    await _bank(session, t, posted.tenant_id)
    await session.commit()
    t.work.update(
        bk_spare_account=spare.id, bk_draft=draft.id, bk_pending=pending.id, bk_posted=posted.id,
        bk_open_period=periods[date(2026, 5, 1)].id, bk_locked_period=periods[date(2026, 6, 1)].id,
    )  # fmt: skip
