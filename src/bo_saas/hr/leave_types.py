"""A tenant's leave types: the rule (``LeaveRule``) that both the manifest and the API write, and its checks.

A type is named by its ``code`` within the tenant. Making the tenant's types
match a list (the manifest) adds the missing ones, changes the differing ones
and retires the unlisted ones: deleted when no request uses them, otherwise
switched off (requests keep their type; new requests cannot use it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.leave_models import Accrual, LeaveKind, LeaveRequest, LeaveType

MAX_DAYS_PER_YEAR = Decimal(366)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class LeaveRule:
    """What a leave type is, as written in the manifest or sent to the API."""

    code: str
    name: str
    kind: str = LeaveKind.CUSTOM.value
    accrual: str = Accrual.YEARLY.value
    days_per_year: Decimal = Decimal(0)
    carry_over_cap: Decimal = Decimal(0)
    carry_over_expiry_months: int = 0
    allow_negative: bool = False

    def fields(self) -> dict[str, Any]:
        return asdict(self)


RULE_FIELDS = tuple(LeaveRule.__dataclass_fields__)


def days(value: int | float | Decimal) -> Decimal:
    """A number of days to the hundredth, as stored."""
    return Decimal(str(value)).quantize(HUNDREDTH)


def rule_problems(rule: LeaveRule) -> list[tuple[str, str]]:
    """(field, reason) for each rule that does not hold together; empty when it does."""
    problems = []
    if not Decimal(0) <= rule.days_per_year <= MAX_DAYS_PER_YEAR:
        problems.append(("days_per_year", f"must be from 0 to 366 days, not {rule.days_per_year}"))
    if not Decimal(0) <= rule.carry_over_cap <= MAX_DAYS_PER_YEAR:
        problems.append(("carry_over_cap", f"must be from 0 to 366 days, not {rule.carry_over_cap}"))
    if not 0 <= rule.carry_over_expiry_months <= 12:
        problems.append(("carry_over_expiry_months", f"must be from 0 to 12, not {rule.carry_over_expiry_months}"))
    if rule.accrual == Accrual.NONE.value and rule.days_per_year:
        problems.append(("days_per_year", 'must be 0 when accrual is "none" (nothing accrues)'))
    if rule.accrual == Accrual.NONE.value and rule.carry_over_cap:
        problems.append(("carry_over_cap", 'must be 0 when accrual is "none" (nothing accrues to carry)'))
    return problems


def rule_of(leave_type: LeaveType) -> LeaveRule:
    return LeaveRule(**{name: getattr(leave_type, name) for name in RULE_FIELDS})


def is_limited(leave_type: LeaveType) -> bool:
    """Whether a request must fit the balance: unpaid leave and types allowing a negative balance need not."""
    return leave_type.kind != LeaveKind.UNPAID.value and not leave_type.allow_negative


async def tenant_types(session: AsyncSession, tenant_id: UUID, *, active_only: bool = False) -> list[LeaveType]:
    query = select(LeaveType).where(LeaveType.tenant_id == tenant_id).order_by(LeaveType.code)
    if active_only:
        query = query.where(LeaveType.active.is_(True))
    return list(await session.scalars(query))


def changed_fields(leave_type: LeaveType, rule: LeaveRule) -> dict[str, dict[str, Any]]:
    """{field: {"old", "new"}} for each field the rule changes (reactivating counts as a change)."""
    changes = {
        name: {"old": getattr(leave_type, name), "new": value}
        for name, value in rule.fields().items()
        if getattr(leave_type, name) != value
    }
    if not leave_type.active:
        changes["active"] = {"old": False, "new": True}
    return changes


def set_rule(leave_type: LeaveType, rule: LeaveRule) -> None:
    for name, value in rule.fields().items():
        setattr(leave_type, name, value)
    leave_type.active = True


async def retire(session: AsyncSession, leave_type: LeaveType) -> str:
    """Delete a type no request uses, else switch it off; says which."""
    used = await session.scalar(
        select(
            exists().where(LeaveRequest.tenant_id == leave_type.tenant_id, LeaveRequest.leave_type_id == leave_type.id)
        )
    )
    if used:
        leave_type.active = False
        return "switched off"
    await session.execute(
        delete(LeaveType).where(LeaveType.tenant_id == leave_type.tenant_id, LeaveType.id == leave_type.id)
    )
    return "removed"
