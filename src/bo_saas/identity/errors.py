"""The identity domain's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError


class UserNotFound(NotFoundError):
    pass


class StaffNotFound(NotFoundError):
    pass


class ApiClientNotFound(NotFoundError):
    pass


class InvalidAccountRequest(InvalidInputError):
    """An email, name, role, skill or tenant that cannot be used."""


class AccountConflict(ConflictError):
    """The account exists already, or its state refuses the change (demoting yourself, activating an invite)."""


class NotAPerson(ForbiddenError):
    """The route is about a person's own things; an API client has none."""
