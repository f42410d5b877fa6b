"""The tenancy domain's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, InvalidInputError, NotFoundError


class TenantNotFound(NotFoundError):
    pass


class InvalidTenant(InvalidInputError):
    """A time zone, plan or service list a tenant cannot have."""


class TenantConflict(ConflictError):
    """Another tenant has the slug already."""
