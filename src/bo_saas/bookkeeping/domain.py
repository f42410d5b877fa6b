"""The Bookkeeping desk: a tenant's book and chart of accounts, journal entries that cannot be cooked, periods,
the trial balance, bank accounts with statement import and reconciliation, and the ledger seam other
domains post through (``bookkeeping.ledger.post_entry``).

The desk for documents to book (its service type's work items) is the next slice; until then the
service's items are worked through the generic item views.
"""

from __future__ import annotations

from bo_saas.bookkeeping.accounts_controller import AccountController
from bo_saas.bookkeeping.bank_controller import BankAccountController
from bo_saas.bookkeeping.entries_controller import EntryController
from bo_saas.bookkeeping.manifest import BOOKKEEPING_SECTION
from bo_saas.bookkeeping.periods_controller import PeriodController
from bo_saas.bookkeeping.reports_controller import ReportController
from bo_saas.lib.domain import Domain, NavLink

DOMAIN = Domain(
    name="bookkeeping",
    route_handlers=[AccountController, BankAccountController, EntryController, PeriodController, ReportController],
    models="bo_saas.bookkeeping.models",
    manifest_sections=[BOOKKEEPING_SECTION],
    # The tenant's people read their reports and journal (a client admin approves entries there);
    # staff with the bookkeeping skill keep a tenant's books in the console.
    navigation=[
        NavLink(
            "books",
            "Books",
            "/portal/books",
            "portal",
            ("client_admin", "client_member"),
            order=36,
            service="bookkeeping",
        ),
        NavLink(
            "booksConsole",
            "Bookkeeping",
            "/console/books",
            "console",
            ("provider_admin", "provider_agent"),
            order=29,
            service="bookkeeping",
        ),
    ],
)
