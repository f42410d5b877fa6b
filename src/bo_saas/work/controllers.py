"""``/api/v1/work-items``: what a tenant asks for, its conversation, its history, and its moves.

Reads: anyone who can see the item (RLS keeps tenants apart; ``work.repository.WorkItems``
keeps a member to their own and shared items). Writes check the state
machine's rules (``work.states``) and the tenant's write permission. The
routes only pass parameters on: the rules and the SQL live in ``work.items``
and ``work.repository``; the list's one statement in ``work.item_list``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, patch, post, put
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_client, requires_provider_admin, requires_staff
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.tenancy.calendars import business_times
from bo_saas.work import items as work
from bo_saas.work.item_list import list_work_items
from bo_saas.work.models import Comment, Priority, SlaStatus, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.names import display_names
from bo_saas.work.repository import ITEM_SORTING, WorkItems, item_filters
from bo_saas.work.reviews import review as review_item
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


async def item_response(session: AsyncSession, caller: Caller, item: WorkItem) -> WorkItemOut:
    return (await item_responses(session, caller, [item]))[0]


async def item_responses(session: AsyncSession, caller: Caller, items: Sequence[WorkItem]) -> list[WorkItemOut]:
    """Items as the API shows them: one query for the calendars and two for the names, whatever the count."""
    calendars = await business_times(session, {item.tenant_id for item in items})
    people = [i for item in items for i in (item.requester_id, item.requester_client_id, item.assignee_id)]
    names = await display_names(session, people)
    now = utc_now()
    return [item_out(item, calendars[item.tenant_id], caller, now, names) for item in items]


async def _writable_item(session: AsyncSession, caller: Caller, item_id: UUID) -> WorkItem:
    item = await WorkItems(caller).get(session, item_id, for_update=True)
    await tenant_for_write(session, caller, TenantScope.of(item.tenant_id))
    return item


class WorkItemController(Controller):
    path = "/api/v1/work-items"
    tags = ["work"]

    @get("/", summary="List work items", description="Filter, search and sort the items the caller may see.")
    async def list_items(
        self,
        request: Request,
        db_engine: AsyncEngine,
        tenant_scope: TenantScope,
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
        sort: Annotated[str, ITEM_SORTING.parameter()] = ITEM_SORTING.default,
    ) -> OffsetPagination[WorkItemOut]:
        caller: Caller = request.user
        filters = item_filters(
            caller,
            states=in_states,
            service_type=service_type,
            priority=priority,
            sla_status=sla_status,
            assignee=assignee,
            q=q,
        )
        # The hot path (work.item_list): one statement in a scoped read-only transaction, no ORM.
        return await list_work_items(db_engine, tenant_scope, caller, page, filters, sort)

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
        return await item_response(db, request.user, await WorkItems(request.user).get(db, item_id))

    @patch("/{item_id:uuid}", summary="Rename an item, or share it with the tenant's members")
    async def update_item(self, request: Request, db: AsyncSession, item_id: UUID, data: WorkItemUpdate) -> WorkItemOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        changes = work.change_item(caller, item, title=data.title, shared=data.shared)
        if changes:
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
        item = await WorkItems(request.user).get(db, item_id)

        async def with_names(rows: list[WorkItemTransition]) -> list[TransitionOut]:
            names = await display_names(db, [row.actor_id for row in rows])
            return [transition_out(row, names) for row in rows]

        return await list_page(
            db,
            select(WorkItemTransition),
            page,
            filters=[WorkItemTransition.tenant_id == item.tenant_id, WorkItemTransition.work_item_id == item.id],
            order_by=(WorkItemTransition.occurred_at, WorkItemTransition.id),
            into=with_names,
        )

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
        item = await WorkItems(caller).get(db, item_id)
        conditions = [Comment.tenant_id == item.tenant_id, Comment.work_item_id == item.id]
        if not caller.is_staff:
            conditions.append(Comment.internal.is_(False))  # internal notes are for staff only
        return await list_page(
            db, select(Comment), page, filters=conditions, order_by=(Comment.created_at, Comment.id), into=CommentOut
        )

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
        record = await review_item(db, caller, item, data.verdict, list(data.reasons))
        return to_struct(record, ReviewOut)

    @put(
        "/{item_id:uuid}/assignee",
        summary="Hand the item to an agent (provider admins)",
        guards=[requires_provider_admin],
    )
    async def assign(self, request: Request, db: AsyncSession, item_id: UUID, data: AssigneeUpdate) -> WorkItemOut:
        caller: Caller = request.user
        item = await _writable_item(db, caller, item_id)
        previous = await work.assign(db, caller, item, data.assignee_id)
        record_event(
            db,
            request,
            tenant_id=item.tenant_id,
            action="work_item.assigned",
            subject_type="work_item",
            subject_id=str(item.id),
            changes={"assignee_id": {"old": str(previous) if previous else None, "new": str(data.assignee_id)}},
        )
        await db.flush()
        return await item_response(db, caller, item)
