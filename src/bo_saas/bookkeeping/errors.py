"""The Bookkeeping desk's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnprocessableError


class AccountNotFound(NotFoundError):
    pass


class EntryNotFound(NotFoundError):
    pass


class PeriodNotFound(NotFoundError):
    pass


class InvalidBookkeepingRequest(InvalidInputError):
    """400: a value the books cannot use (an unknown account code, a date range the wrong way round)."""


class UnbalancedEntry(UnprocessableError):
    """422: the lines' debits and credits differ, or a line has both or neither; ``extra`` says by how much."""


class LedgerConflict(ConflictError):
    """409: the entry's, account's or period's state refuses the change (posted, locked, in use)."""


class NotYourApproval(ForbiddenError):
    """403: maker-checker: the maker of an entry cannot approve it, and only the tenant's keepers or admin can."""


class InvalidChart(UnprocessableError):
    """422: a chart template file with problems (a packaging mistake, reported with its path)."""


class BankAccountNotFound(NotFoundError):
    pass


class StatementLineNotFound(NotFoundError):
    pass


class BadStatement(UnprocessableError):
    """422: a statement file that cannot be read (its format, a row, a date or an amount); nothing is imported."""
