"""Request and response bodies of the identity routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320)]
Locale = Literal["en", "ar"]
ClientRole = Literal["client_admin", "client_member"]
StaffRole = Literal["provider_admin", "provider_agent"]


class TenantSummary(msgspec.Struct):
    id: UUID
    slug: str
    name: str
    status: str
    timezone: str


class Me(msgspec.Struct):
    id: UUID
    kind: Literal["account", "api_client"]
    role: str
    name: str
    email: str | None
    locale: str
    tenant: TenantSummary | None
    assigned_tenants: list[TenantSummary]


class MeUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    locale: Locale | None = None


class User(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    email: str
    name: str
    role: str
    status: str
    created_at: datetime


class UserInvite(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    name: Name
    role: ClientRole = "client_member"


class UserUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    role: ClientRole | None = None
    status: Literal["active", "deactivated"] | None = None


class Staff(msgspec.Struct):
    id: UUID
    email: str
    name: str
    role: str
    status: str
    capacity: int
    skills: list[str]
    tenant_ids: list[UUID]
    created_at: datetime


class StaffCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    name: Name
    role: StaffRole = "provider_agent"
    skills: list[str] = []
    tenants: list[str] = []  # ids or slugs
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 5


class StaffUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    role: StaffRole | None = None
    skills: list[str] | None = None
    tenants: list[str] | None = None
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None
    status: Literal["active", "deactivated"] | None = None


class Skill(msgspec.Struct):
    code: str
    name: str


class ApiClientOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    client_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiClientCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name


class ApiClientCreated(msgspec.Struct):
    """The only time the secret is shown: it is stored hashed."""

    id: UUID
    tenant_id: UUID
    client_id: str
    client_secret: str
    name: str
    created_at: datetime


class InvitationAccept(msgspec.Struct, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=10, max_length=200)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]
