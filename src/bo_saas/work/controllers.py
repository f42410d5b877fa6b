"""``/api/v1/work-items``: what a tenant asks for, its conversation, its history, and its moves.

Reads: anyone who can see the item (RLS keeps tenants apart; ``items.can_see``
keeps a member to their own and shared items). Writes check the state
machine's rules (``work.states``) and the tenant's write permission.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, patch, post, put
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.params import QueryParameter
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.models import StaffAssignment, StaffProfile
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_client, requires_provider_admin, requires_staff
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.tenancy.calendars import business_times
from bo_saas.work import items as work
from bo_saas.work.models import Comment, Priority, SlaStatus, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.names import display_names
from bo_saas.work.schemas import (
    AnswerCreate,
    AssigneeUpdate,
    CommentCreate,
    CommentOut,
    ReviewCreate,
    ReviewOut,
    TransitionCreate,
    TransitionOut,
    WorkItemCreate,
    WorkItemOut,
    WorkItemUpdate,
)
from bo_saas.work.views import comment_out, item_out, transition_out

SortKey = Literal["due_at", "-due_at", "created_at", "-created_at", "priority", "-priority"]
_SORTS = {
    "due_at": (WorkItem.queue_due_at.asc().nulls_last(), WorkItem.created_at),
    "-due_at": (WorkItem.queue_due_at.desc().nulls_last(), WorkItem.created_at.desc()),
    "created_at": (WorkItem.created_at, WorkItem.id),
    "-created_at": (WorkItem.created_at.desc(), WorkItem.id),
    "priority": (WorkItem.priority, WorkItem.created_at),
    "-priority": (WorkItem.priority.desc(), WorkItem.created_at),
}


async def item_response(session: AsyncSession, caller: Caller, item: WorkItem) -> WorkItemOut:
    return (await item_responses(session, caller, [item]))[0]


async def item_responses(session: AsyncSession, caller: Caller, items: Sequence[WorkItem]) -> list[WorkItemOut]:
    """Items as the API shows them: one query for the calendars and two for the names, whatever the count."""
    calendars = await business_times(session, {item.tenant_id for item in items})
    people = [i for item in items for i in (item.requester_id, item.requester_client_id, item.assignee_id)]
    names = await display_names(session, people)
    now = utc_now()
    return [item_out(item, calendars[item.tenant_id], caller, now, names) for item in items]


def visible_to(caller: Caller):
    """The SQL twin of ``items.can_see``: a member's own and shared items."""
    if caller.role is Role.CLIENT_MEMBER and caller.api_client_id is None:
        return or_(WorkItem.requester_id == caller.account_id, WorkItem.shared.is_(True))
    return True


async def _writable_item(session: AsyncSession, caller: Caller, item_id: UUID) -> WorkItem:
    item = await work.get_item(session, caller, item_id, for_update=True)
    await tenant_for_write(session, caller, TenantScope.of(item.tenant_id))
    return item


class WorkItemController(Controller):
    path = "/api/v1/work-items"
    tags = ["work"]

    @get("/", summary="List work items", description="Filter, search and sort the items the caller may see.")
    async def list_items(
        self,
        request: Request,
        db: AsyncSession,
        page: PageRequest,
        # "state" is a name Litestar reserves for the app state, so the parameter is renamed.
        in_states: Annotated[
            list[WorkState] | None, QueryParameter(name="state", description="one or more states")
        ] = None,
        service_type: str | None = None,
        priority: Priority | None = None,
        sla_status: SlaStatus | None = None,
        assignee: Annotated[str | None, QueryParameter(description="'me' or an account id")] = None,
        q: Annotated[str | None, QueryParameter(max_length=200, description="words in the title or form")] = None,
        sort: SortKey = "-created_at",
    ) -> OffsetPagination[WorkItemOut]:
        caller: Caller = request.user
        conditions = [visible_to(caller)]
        if in_states:
            conditions.append(WorkItem.state.in_(in_states))
        if service_type:
            conditions.append(WorkItem.service_type == service_type)
        if priority:
            conditions.append(WorkItem.priority == priority)
        if sla_status:
            conditions.append(WorkItem.sla_status == sla_status)
        if assignee:
            conditions.append(WorkItem.assignee_id == _account_reference(caller, assignee))
        if q and q.strip():
            conditions.append(
                or_(
                    WorkItem.search.op("@@")(func.websearch_to_tsquery("simple", q)),
                    WorkItem.title.ilike(f"%{_escape_like(q.strip())}%", escape="\\"),
                )
            )
        total = await db.scalar(select(func.count()).select_from(WorkItem).where(*conditions))
        rows = (
            (
                await db.execute(
                    select(WorkItem).where(*conditions).order_by(*_SORTS[sort]).limit(page.limit).offset(page.offset)
                )
            )
            .scalars()
            .all()
        )
        return page_of(await item_responses(db, caller, rows), total=total, page=page)

    @post("/", summary="Ask for work", guards=[requires_client])
    async def create_item(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: WorkItemCreate
    ) -> WorkItemOut:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        item = await work.create_item(
            db,
            caller,
            tenant,
            service_type=data.service_type,
            title=data.title,
            payload=data.payload,
            priority=Priority(data.priority),
            submit=data.submit,
        )
        record_event(
            db,
            request,
            tenant_id=tenant.id,
            action="work_item.created",
            subject_type="work_item",
            subject_id=str(item.id),
            changes={"service_type": item.service_type, "priority": item.priority.value},
        )
        await db.flush()
        return await item_response(db, caller, item)

    @get("/{item_id:uuid}", summary="One work item, with its SLA")
    async def get_one(self, request: Request, db: AsyncSession, item_id: UUID) -> WorkItemOut:
        return await item_response(db, request.user, await work.get_item(db, request.user, item_id))

    @patch("/{item_id:uuid}", summary="Rename an item, or share it with the tenant's members")
    async def update_item(self, request: Request, db: AsyncSession, item_id: UUID, data: WorkItemUpdate) -> WorkItemOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        changes = {}
        if data.shared is not None and data.shared != item.shared:
            if caller.role is not Role.CLIENT_ADMIN:
                raise PermissionDeniedException("Only the tenant's admins share items with every member")
            changes["shared"] = [item.shared, data.shared]
            item.shared = data.shared
        if data.title is not None and data.title.strip() != item.title:
            if caller.is_staff or item.state not in (WorkState.NEW, WorkState.QUEUED):
                raise PermissionDeniedException("The requester renames an item only before work on it starts")
            changes["title"] = [item.title, data.title.strip()]
            item.title = data.title.strip()
        if changes:
            item.updated_at = utc_now()
            record_event(
                db, request, tenant_id=item.tenant_id, action="work_item.updated", subject_type="work_item",
                subject_id=str(item.id), changes=changes,
            )  # fmt: skip
        await db.flush()
        return await item_response(db, caller, item)

    @get("/{item_id:uuid}/transitions", summary="The item's state history")
    async def list_transitions(
        self, request: Request, db: AsyncSession, item_id: UUID, page: PageRequest
    ) -> OffsetPagination[TransitionOut]:
        await work.get_item(db, request.user, item_id)
        where = WorkItemTransition.work_item_id == item_id
        total = await db.scalar(select(func.count()).select_from(WorkItemTransition).where(where))
        rows = (
            (
                await db.execute(
                    select(WorkItemTransition)
                    .where(where)
                    .order_by(WorkItemTransition.occurred_at, WorkItemTransition.id)
                    .limit(page.limit)
                    .offset(page.offset)
                )
            )
            .scalars()
            .all()
        )
        names = await display_names(db, [row.actor_id for row in rows])
        return page_of([transition_out(row, names) for row in rows], total=total, page=page)

    @post("/{item_id:uuid}/transitions", summary="Move the item to another state", status_code=200)
    async def transition(
        self, request: Request, db: AsyncSession, item_id: UUID, data: TransitionCreate
    ) -> WorkItemOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        await work.request_transition(db, caller, item, WorkState(data.to), data.reason and data.reason.strip())
        return await item_response(db, caller, item)

    @get("/{item_id:uuid}/comments", summary="The item's conversation")
    async def list_comments(
        self, request: Request, db: AsyncSession, item_id: UUID, page: PageRequest
    ) -> OffsetPagination[CommentOut]:
        caller: Caller = request.user
        await work.get_item(db, caller, item_id)
        conditions = [Comment.work_item_id == item_id]
        if not caller.is_staff:
            conditions.append(Comment.internal.is_(False))  # internal notes are for staff only
        total = await db.scalar(select(func.count()).select_from(Comment).where(*conditions))
        rows = await db.execute(
            select(Comment)
            .where(*conditions)
            .order_by(Comment.created_at, Comment.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        return page_of([comment_out(row) for row in rows.scalars()], total=total, page=page)

    @post("/{item_id:uuid}/comments", summary="Reply (public) or add an internal note (staff)")
    async def add_comment(self, request: Request, db: AsyncSession, item_id: UUID, data: CommentCreate) -> CommentOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        comment = await work.add_comment(db, caller, item, data.body, data.internal)
        return comment_out(comment)

    @post("/{item_id:uuid}/answer", summary="Answer the provider's question", status_code=200)
    async def answer(self, request: Request, db: AsyncSession, item_id: UUID, data: AnswerCreate) -> WorkItemOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        await work.answer(db, caller, item, data.body)
        return await item_response(db, caller, item)

    @post("/{item_id:uuid}/review", summary="QA: accept the work, or send it back for rework", guards=[requires_staff])
    async def review(self, request: Request, db: AsyncSession, item_id: UUID, data: ReviewCreate) -> ReviewOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        record = await work.review(db, caller, item, data.verdict, list(data.reasons))
        return ReviewOut(
            id=record.id,
            work_item_id=record.work_item_id,
            agent_id=record.agent_id,
            reviewer_id=record.reviewer_id,
            verdict=record.verdict,
            reasons=record.reasons,
            created_at=record.created_at,
        )

    @put(
        "/{item_id:uuid}/assignee",
        summary="Hand the item to an agent (provider admins)",
        guards=[requires_provider_admin],
    )
    async def assign(self, request: Request, db: AsyncSession, item_id: UUID, data: AssigneeUpdate) -> WorkItemOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        if item.state not in (WorkState.QUEUED, WorkState.IN_PROGRESS, WorkState.WAITING_ON_CLIENT):
            raise work.TransitionRefused(f"An item in {item.state} has no agent to change", [])
        serves = await db.scalar(
            select(StaffAssignment.account_id)
            .join(StaffProfile, StaffProfile.account_id == StaffAssignment.account_id)
            .where(StaffAssignment.tenant_id == item.tenant_id, StaffAssignment.account_id == data.assignee_id)
        )
        if serves is None:
            raise ClientException("That person is not staff assigned to this tenant")
        previous = item.assignee_id
        item.assignee_id = data.assignee_id
        if item.state is WorkState.QUEUED:
            await work.move(db, item, WorkState.IN_PROGRESS, caller=caller, reason="Assigned by an admin")
        record_event(
            db,
            request,
            tenant_id=item.tenant_id,
            action="work_item.assigned",
            subject_type="work_item",
            subject_id=str(item.id),
            changes={"assignee_id": [str(previous) if previous else None, str(data.assignee_id)]},
        )
        await db.flush()
        return await item_response(db, caller, item)


def _account_reference(caller: Caller, reference: str) -> UUID:
    if reference == "me":
        if caller.account_id is None:
            raise ClientException("assignee=me needs a person's token")
        return caller.account_id
    try:
        return UUID(reference)
    except ValueError:
        raise ClientException("assignee must be 'me' or an account id") from None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
