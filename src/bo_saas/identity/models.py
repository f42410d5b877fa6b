"""People, what they may do, and the machines that act for a tenant.

What identifies a person (email, password hash, status) is provider-level, so
sign-in can find an account before any tenant is known. What a person may do
inside a tenant (membership and role, an agent's assignment) is tenant-owned.
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.caller import Role
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey


class AccountStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e])


class Account(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "accounts"
    email: Mapped[str] = mapped_column(String(limits.EMAIL), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(limits.NAME))
    password_hash: Mapped[str | None] = mapped_column(Text)
    status: Mapped[AccountStatus] = mapped_column(_enum(AccountStatus, "account_status"))
    # Set for provider staff only; a client's role lives in its membership.
    staff_role: Mapped[Role | None] = mapped_column(_enum(Role, "role"))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class Membership(TenantOwned, Timestamps, Base):
    """A client person's place in its one tenant."""

    __tablename__ = "memberships"
    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))


class Skill(Base):
    __tablename__ = "skills"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class StaffProfile(Timestamps, Base):
    __tablename__ = "staff_profiles"
    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer, default=5)


class StaffSkill(Base):
    __tablename__ = "staff_skills"
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("staff_profiles.account_id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"), primary_key=True)


class StaffAssignment(TenantOwned, Timestamps, Base):
    """A provider staff member serving a tenant."""

    __tablename__ = "staff_assignments"
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("staff_profiles.account_id", ondelete="CASCADE"), primary_key=True
    )


class ApiClient(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A tenant's system using the client-credentials grant."""

    __tablename__ = "api_clients"
    # Unique per tenant among clients not revoked (index in migration 0007).
    name: Mapped[str] = mapped_column(String(limits.NAME))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class RefreshToken(UUIDPrimaryKey, Base):
    """One link of a rotating refresh-token family; reuse of a spent link revokes the family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    family_id: Mapped[UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    spent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
