"""The refusals of the HR desk's checklists, cases and documents; routes answer them through ``lib.errors``."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, NotFoundError, UnprocessableError


class ChecklistNotFound(NotFoundError):
    pass


class CaseNotFound(NotFoundError):
    pass


class DocumentNotFound(NotFoundError):
    pass


class ChecklistConflict(ConflictError):
    """409: another template of the tenant has the name."""


class InvalidCase(UnprocessableError):
    """422: a case that cannot start (no template of that kind, an offboarding without a last day)."""


class InvalidDocument(UnprocessableError):
    """422: a document file that cannot be stored (empty, too large, not a multipart file)."""
