"""The Bookkeeping desk: a tenant's book and chart of accounts, journal entries that cannot be cooked, periods,
the trial balance, and the ledger seam other domains post through (``bookkeeping.ledger.post_entry``).

The desk for documents to book (its service type's work items) is the next slice; until then the
service's items are worked through the generic item views.
"""

from __future__ import annotations

from bo_saas.bookkeeping.accounts_controller import AccountController
from bo_saas.bookkeeping.entries_controller import EntryController
from bo_saas.bookkeeping.manifest import BOOKKEEPING_SECTION
from bo_saas.bookkeeping.periods_controller import PeriodController
from bo_saas.bookkeeping.reports_controller import ReportController
from bo_saas.lib.domain import Domain

DOMAIN = Domain(
    name="bookkeeping",
    route_handlers=[AccountController, EntryController, PeriodController, ReportController],
    models="bo_saas.bookkeeping.models",
    manifest_sections=[BOOKKEEPING_SECTION],
    # The screens come with the desk's workspace (next slice).
    navigation=[],
)
