"""The leave routes' refusals; ``extra.problems`` lists each problem where there can be several."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError


class LeaveNotFound(NotFoundError):
    pass


class LeaveRefused(UnprocessableError):
    """422: the request cannot be filed or decided as asked (over the balance, bad dates, unknown type)."""


class LeaveConflict(ConflictError):
    """409: it overlaps the employee's own pending or approved leave, or it is already decided."""


class LeaveNotAllowed(ForbiddenError):
    """403: the caller may not do this (deciding is the client admin's, or hr staff's on their behalf)."""
