"""Billing's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, InvalidInputError, NotFoundError


class SubscriptionNotFound(NotFoundError):
    pass


class PlanNotFound(NotFoundError):
    """No plan with that code (or the tenant may not see it)."""


class InvalidBillingRequest(InvalidInputError):
    """A value billing cannot use (a period that is not YYYY-MM, a tax id that is not one)."""


class PlanChangeRefused(ConflictError):
    """409: the subscription's state refuses the change (a service with open work would be dropped)."""


class InvoiceNotFound(NotFoundError):
    pass


class InvoiceNotBuildable(ConflictError):
    """409: the tenant's invoice cannot be made as things stand (a plan billed by the year)."""


class InvoiceFinalized(ConflictError):
    """409: a finalized invoice (or a finalized period) never changes."""


class BillingRunRefused(InvalidInputError):
    """400: a run for a period that has not ended, or for a tenant that does not exist."""


class BillingRunNotFound(NotFoundError):
    pass
