"""Who is calling: decoded once per request from the access token."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from bo_saas.identity.models import Role


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
