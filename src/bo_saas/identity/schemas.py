"""Request and response bodies of the identity routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.lib import limits

Name = limits.text(limits.NAME, min_length=1)
Email = limits.text(limits.EMAIL, min_length=3)
Code = limits.text(limits.CODE, min_length=1)
TenantRef = limits.text(limits.TENANT_REF, min_length=1)  # an id or a slug
Token = limits.text(limits.TOKEN, min_length=10)
Password = limits.text(limits.PASSWORD)
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
    skills: list[Code] = []
    tenants: list[TenantRef] = []
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 5


class StaffUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    role: StaffRole | None = None
    skills: list[Code] | None = None
    tenants: list[TenantRef] | None = None
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
    token: Token
    password: Password


class PasswordResetRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Email


class PasswordReset(msgspec.Struct, forbid_unknown_fields=True):
    token: Token
    password: Password
