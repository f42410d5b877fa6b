"""Request and response bodies of ``/api/v1/tenants``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Reason = Annotated[str, msgspec.Meta(max_length=500)]


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


class TenantCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    timezone: str
    plan: str = "starter"
    services: list[str] = []


class TenantUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    timezone: str | None = None
    plan: str | None = None
    services: list[str] | None = None


class Suspension(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason = ""
