"""The set of tenants a transaction may see: the one thing row-level security trusts.

A ``TenantScope`` is made only by ``tenancy.access`` (from the caller) or by a
background actor (from its message); the database session turns it into the
transaction-local setting ``bo.tenant_ids`` that every RLS policy reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class TenantScope:
    tenant_ids: frozenset[UUID]

    @classmethod
    def of(cls, *tenant_ids: UUID) -> TenantScope:
        return cls(frozenset(tenant_ids))

    @classmethod
    def nothing(cls) -> TenantScope:
        return cls(frozenset())

    def allows(self, tenant_id: UUID) -> bool:
        return tenant_id in self.tenant_ids

    def narrowed_to(self, tenant_id: UUID) -> TenantScope:
        return TenantScope.of(tenant_id) if tenant_id in self.tenant_ids else TenantScope.nothing()

    def as_setting(self) -> str:
        """The value for ``bo.tenant_ids``: comma-separated ids; '' sees nothing."""
        return ",".join(sorted(str(t) for t in self.tenant_ids))
