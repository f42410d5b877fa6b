"""The HR desk's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError


class EmployeeNotFound(NotFoundError):
    pass


class InvalidEmployee(UnprocessableError):
    """422: values the record cannot take; ``extra.problems`` names each field (``extra.rows`` for an import)."""


class EmployeeConflict(ConflictError):
    """409: another employee of the tenant has the number."""


class NotAnHrKeeper(ForbiddenError):
    """403: only the tenant's client admin and provider staff with the ``hr`` skill change employees."""
