"""The Bookkeeping desk: a tenant's book and chart of accounts, journal entries that cannot be cooked, periods,
the trial balance, bank accounts with statement import and reconciliation, and the ledger seam other
domains post through (``bookkeeping.ledger.post_entry``).

The desk works the ``bookkeeping`` service's items: documents to book (one ``bookkeeping.documents``
unit per document booked, when its item is done) and period closes (a checklist, then the lock);
generic requests from the portal's form are worked as any item.
"""

from __future__ import annotations

from bo_saas.bookkeeping.accounts_controller import AccountController
from bo_saas.bookkeeping.aging_controller import AgingController
from bo_saas.bookkeeping.bank_controller import BankAccountController
from bo_saas.bookkeeping.close import close_abandoned
from bo_saas.bookkeeping.close_controller import CloseController
from bo_saas.bookkeeping.contacts_controller import BookSettingsController, ContactController
from bo_saas.bookkeeping.documents_controller import DocumentController
from bo_saas.bookkeeping.documents_desk import documents_booked, work_remaining
from bo_saas.bookkeeping.entries_controller import EntryController
from bo_saas.bookkeeping.manifest import BOOKKEEPING_SECTION
from bo_saas.bookkeeping.open_items_controller import BillController, InvoiceController, PaymentController
from bo_saas.bookkeeping.periods_controller import PeriodController
from bo_saas.bookkeeping.reports_controller import ReportController
from bo_saas.lib.domain import Domain, Meter, NavLink
from bo_saas.work.desks import Desk

DOMAIN = Domain(
    name="bookkeeping",
    route_handlers=[
        AccountController,
        BankAccountController,
        EntryController,
        PeriodController,
        ReportController,
        DocumentController,
        CloseController,
        ContactController,
        BookSettingsController,
        InvoiceController,
        BillController,
        PaymentController,
        AgingController,
    ],
    models="bo_saas.bookkeeping.models",
    manifest_sections=[BOOKKEEPING_SECTION],
    desks=[
        Desk(
            service_type="bookkeeping",
            meter="bookkeeping.documents",
            quantity=documents_booked,
            remaining=work_remaining,
            workspace="/console/books/work/{item_id}",
            on_closed=close_abandoned,
        )
    ],
    meters=[Meter("bookkeeping.documents", "document", "sum", "Documents booked")],
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
