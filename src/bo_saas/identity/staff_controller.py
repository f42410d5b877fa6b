"""``/api/v1/staff``: provider admins manage staff, their skills, capacity and tenant assignments."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, patch, post
from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.identity.accounts import (
    AccountError,
    DuplicateAccountError,
    InvitedAccountActivationError,
    add_staff_account,
    assign_staff,
    change_account_status,
    check_skills,
)
from bo_saas.identity.errors import AccountConflict, InvalidAccountRequest, StaffNotFound
from bo_saas.identity.invitations import send_invitation
from bo_saas.identity.models import Account, AccountStatus, Skill, StaffProfile, StaffSkill
from bo_saas.identity.schemas import Skill as SkillOut
from bo_saas.identity.schemas import Staff, StaffCreate, StaffUpdate
from bo_saas.lib.caller import Role
from bo_saas.lib.changes import apply_changes
from bo_saas.lib.db import set_scope
from bo_saas.lib.guards import requires_provider_admin
from bo_saas.lib.listing import to_struct
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import assigned_tenant_ids, find_tenants

# Assignments are tenant-owned (RLS); the narrow lookup function reads them for one account.
_STAFF_LIST = text(
    """
    SELECT a.id, a.email, a.name, a.staff_role AS role, a.status, a.created_at, p.capacity,
           ARRAY(SELECT s.skill_code FROM staff_skills s WHERE s.account_id = a.id ORDER BY 1) AS skills,
           ARRAY(SELECT t.tenant_id FROM bo_account_tenants(a.id) t ORDER BY 1) AS tenant_ids,
           count(*) OVER () AS total
    FROM accounts a JOIN staff_profiles p ON p.account_id = a.id
    WHERE (CAST(:account_id AS uuid) IS NULL OR a.id = :account_id)
    ORDER BY a.email
    LIMIT :limit OFFSET :offset
    """
)


def _staff(row) -> Staff:
    return to_struct(row, Staff)


async def _get_staff(session: AsyncSession, account_id: UUID) -> Staff:
    row = (await session.execute(_STAFF_LIST, {"account_id": account_id, "limit": 1, "offset": 0})).first()
    if row is None:
        raise StaffNotFound("No such staff member")
    return _staff(row)


async def _resolve_tenants(session: AsyncSession, references: list[str]) -> set[UUID]:
    found, missing = await find_tenants(session, references)
    if missing:
        raise InvalidAccountRequest(f"tenants: unknown tenant(s) {', '.join(missing)}")
    return found


async def _check_skills(session: AsyncSession, skills: list[str]) -> None:
    try:
        await check_skills(session, skills)
    except AccountError as exc:
        raise InvalidAccountRequest(f"skills: {exc}") from None


async def _set_assignments(session: AsyncSession, account_id: UUID, wanted: set[UUID]) -> tuple[set[UUID], set[UUID]]:
    """Rewrite assignments under a scope that covers exactly the tenants touched."""
    current = await assigned_tenant_ids(session, account_id)
    if current == wanted:
        return current, wanted
    await session.commit()
    set_scope(session, TenantScope(frozenset(current | wanted)))
    await assign_staff(session, account_id, wanted)
    return current, wanted


class StaffController(Controller):
    path = "/api/v1/staff"
    tags = ["identity"]
    guards = [requires_provider_admin]

    @get("/", summary="List provider staff")
    async def list_staff(self, db_session: AsyncSession, page: PageRequest) -> OffsetPagination[Staff]:
        rows = (
            await db_session.execute(_STAFF_LIST, {"account_id": None, "limit": page.limit, "offset": page.offset})
        ).all()
        if rows:
            total = rows[0].total
        else:
            total = (await db_session.execute(select(func.count()).select_from(StaffProfile))).scalar_one()
        return page_of([_staff(r) for r in rows], total=total, page=page)

    @post("/", summary="Invite a staff member")
    async def create_staff(self, request: Request, db_session: AsyncSession, data: StaffCreate) -> Staff:
        await _check_skills(db_session, data.skills)
        tenant_ids = await _resolve_tenants(db_session, data.tenants)
        try:
            account, invite_token = await add_staff_account(
                db_session,
                email=data.email,
                name=data.name,
                role=Role(data.role),
                password=None,
                capacity=data.capacity,
                skills=data.skills,
            )
        except DuplicateAccountError as exc:
            raise AccountConflict(str(exc)) from None
        except AccountError as exc:
            raise InvalidAccountRequest(str(exc)) from None
        await send_invitation(db_session, account, invite_token, tenant_name=None)
        record_provider_event(
            db_session,
            request,
            action="staff.invited",
            subject_type="staff",
            subject_id=str(account.id),
            changes={
                "email": account.email,
                "role": data.role,
                "skills": sorted(data.skills),
                "tenants": sorted(str(t) for t in tenant_ids),
                "capacity": data.capacity,
            },
        )
        await _set_assignments(db_session, account.id, tenant_ids)
        await db_session.flush()
        return await _get_staff(db_session, account.id)

    @get("/{staff_id:uuid}", summary="One staff member")
    async def get_staff(self, db_session: AsyncSession, staff_id: UUID) -> Staff:
        return await _get_staff(db_session, staff_id)

    @patch("/{staff_id:uuid}", summary="Change a staff member's role, skills, capacity, tenants or status")
    async def update_staff(
        self, request: Request, db_session: AsyncSession, staff_id: UUID, data: StaffUpdate
    ) -> Staff:
        account = await db_session.get(Account, staff_id, with_for_update=True)
        profile = await db_session.get(StaffProfile, staff_id)
        if account is None or profile is None:
            raise StaffNotFound("No such staff member")
        if staff_id == request.user.account_id and (data.role == "provider_agent" or data.status == "deactivated"):
            raise AccountConflict("You cannot demote or deactivate yourself; ask another admin")
        changes = apply_changes(
            account,
            {"name": data.name and data.name.strip(), "role": data.role and Role(data.role)},
            names={"role": "staff_role"},
        )
        changes |= apply_changes(profile, {"capacity": data.capacity})
        if "role" in changes:
            # An access token carries the role it was issued with: the old one must not outlive the change.
            await request.app.state.revocations.revoke_actor("account", staff_id)
        if data.status is not None and data.status != account.status:
            changes["status"] = {"old": account.status, "new": AccountStatus(data.status)}
            try:
                await change_account_status(
                    db_session, account, AccountStatus(data.status), request.app.state.revocations
                )
            except InvitedAccountActivationError as exc:
                raise AccountConflict(str(exc)) from None
        if data.skills is not None:
            await _check_skills(db_session, data.skills)
            current = set(
                (
                    await db_session.execute(select(StaffSkill.skill_code).where(StaffSkill.account_id == staff_id))
                ).scalars()
            )
            if current != set(data.skills):
                changes["skills"] = {"old": sorted(current), "new": sorted(set(data.skills))}
                await db_session.execute(delete(StaffSkill).where(StaffSkill.account_id == staff_id))
                db_session.add_all(
                    StaffSkill(account_id=staff_id, skill_code=code) for code in sorted(set(data.skills))
                )
        if data.tenants is not None:
            wanted = await _resolve_tenants(db_session, data.tenants)
            before = await assigned_tenant_ids(db_session, staff_id)
            if before != wanted:
                changes["tenants"] = {"old": sorted(str(t) for t in before), "new": sorted(str(t) for t in wanted)}
        if changes:
            record_provider_event(
                db_session,
                request,
                action="staff.assignments_changed" if "tenants" in changes else "staff.updated",
                subject_type="staff",
                subject_id=str(staff_id),
                changes=changes,
            )
        if data.tenants is not None:
            await _set_assignments(db_session, staff_id, wanted)
        await db_session.flush()
        return await _get_staff(db_session, staff_id)


class SkillController(Controller):
    path = "/api/v1/skills"
    tags = ["identity"]
    guards = [requires_provider_admin]

    @get("/", summary="The skills staff can have")
    async def list_skills(self, db_session: AsyncSession) -> list[SkillOut]:
        rows = (await db_session.execute(select(Skill).order_by(Skill.code))).scalars()
        return [SkillOut(code=s.code, name=s.name) for s in rows]
