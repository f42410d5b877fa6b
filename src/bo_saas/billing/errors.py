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
