"""The SLA domain's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import InvalidInputError, NotFoundError


class SlaNotFound(NotFoundError):
    """No such policy, plan, service type or tenant (or not one the caller may see)."""


class InvalidSlaRequest(InvalidInputError):
    """Targets or a calendar that cannot work, or a request that names no single tenant."""
