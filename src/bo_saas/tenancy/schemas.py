"""Request and response bodies of ``/api/v1/tenants``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from bo_saas.lib import limits

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", max_length=limits.SLUG)]
Name = limits.text(limits.NAME, min_length=1)
Reason = limits.text(limits.SUSPENSION_REASON)
Timezone = limits.text(limits.TIMEZONE, min_length=1)
Code = limits.text(limits.CODE, min_length=1)
Email = limits.text(limits.EMAIL, min_length=3)


class TenantOut(msgspec.Struct):
    id: UUID
    slug: str
    name: str
    plan: str
    timezone: str
    status: str
    services: list[str]
    suspended_reason: str | None
    created_at: datetime
    updated_at: datetime


class FirstAdminIn(msgspec.Struct, forbid_unknown_fields=True):
    """The tenant's first client admin, invited by email when the tenant is created."""

    name: Name
    email: Email


class TenantCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    timezone: Timezone
    plan: Code = "starter"
    services: list[Code] = []
    first_admin: FirstAdminIn | None = None


class TenantUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    timezone: Timezone | None = None
    plan: Code | None = None
    services: list[Code] | None = None


class Suspension(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason = ""
