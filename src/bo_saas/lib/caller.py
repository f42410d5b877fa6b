"""Who is calling, and in which role: decoded once per request from the access token.

Every floor needs these two plain values (guards, the tenant scope, the audit trail),
so they live in ``lib``; ``identity`` stores and issues them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from uuid import UUID


class Role(enum.StrEnum):
    PROVIDER_ADMIN = "provider_admin"
    PROVIDER_AGENT = "provider_agent"
    CLIENT_ADMIN = "client_admin"
    CLIENT_MEMBER = "client_member"

    @property
    def is_staff(self) -> bool:
        return self in (Role.PROVIDER_ADMIN, Role.PROVIDER_AGENT)


STAFF_ROLES = (Role.PROVIDER_ADMIN, Role.PROVIDER_AGENT)
CLIENT_ROLES = (Role.CLIENT_ADMIN, Role.CLIENT_MEMBER)


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated person (``account_id``) or a tenant's API client (``api_client_id``)."""

    role: Role
    account_id: UUID | None = None
    api_client_id: UUID | None = None
    # A client's one tenant; None for provider staff, whose tenants are their assignments.
    tenant_id: UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def actor_id(self) -> UUID | None:
        return self.account_id or self.api_client_id

    @property
    def actor_kind(self) -> str:
        return "account" if self.account_id else "api_client"
