"""``/api/v1/support/tickets``: the tenant's customer conversations, their messages, and an agent's reply.

Client admins and the staff serving the tenant read tickets and set tags and
priority; provider staff answer (the reply goes out as email under the
channel). Another tenant's ticket answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib import limits
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin_or_staff, requires_staff
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.support import replies, tickets
from bo_saas.support.schemas import MessageOut, ReplyCreate, TicketOut, TicketUpdate
from bo_saas.support.tickets import Tickets
from bo_saas.tenancy.access import declare_staff_scope, log_tenant, tenant_for_write
from bo_saas.work.models import Priority, WorkItem, WorkState
from bo_saas.work.priority import change_priority


class TicketController(Controller):
    path = "/api/v1/support/tickets"
    tags = ["support"]
    guards = [requires_admin_or_staff]

    @get(
        "/",
        summary="List tickets",
        description="Newest first; filter by status (the work item's state), tag, contact, work item or customer (q).",
    )
    async def list_tickets(
        self,
        db: AsyncSession,
        page: PageRequest,
        statuses: Annotated[
            list[WorkState] | None, QueryParameter(name="status", description="one or more work item states")
        ] = None,
        tag: Annotated[str | None, QueryParameter(max_length=50)] = None,
        contact_id: UUID | None = None,
        work_item_id: Annotated[
            UUID | None, QueryParameter(description="the ticket on this work item (the desk's workspace opens by it)")
        ] = None,
        q: Annotated[
            str | None, QueryParameter(max_length=limits.SEARCH, description="part of the customer's email or name")
        ] = None,
    ) -> OffsetPagination[TicketOut]:
        return await tickets.list_tickets(
            db,
            page,
            states=statuses,
            tag=tag and tag.strip().lower(),
            contact_id=contact_id,
            work_item_id=work_item_id,
            customer=q,
        )

    @get("/{ticket_id:uuid}", summary="One ticket, with its customer, status and rating")
    async def get_ticket(self, request: Request, db: AsyncSession, ticket_id: UUID) -> TicketOut:
        ticket = await Tickets(request.user).get(db, ticket_id)
        return await tickets.ticket_view(db, ticket.id)

    @patch("/{ticket_id:uuid}", summary="Set a ticket's tags or priority")
    async def update_ticket(self, request: Request, db: AsyncSession, ticket_id: UUID, data: TicketUpdate) -> TicketOut:
        caller: Caller = request.user
        ticket = await Tickets(caller).get(db, ticket_id, for_update=True)
        await tenant_for_write(db, caller, TenantScope.of(ticket.tenant_id))
        made = {}
        if data.tags is not None:
            tags = tickets.clean_tags(data.tags)
            if tags != list(ticket.tags):
                made["tags"] = {"old": list(ticket.tags), "new": tags}
                ticket.tags = tags
        if data.priority is not None:
            item = (
                await db.execute(
                    select(WorkItem)
                    .where(WorkItem.tenant_id == ticket.tenant_id, WorkItem.id == ticket.work_item_id)
                    .with_for_update()
                )
            ).scalar_one()
            old = item.priority.value
            if await change_priority(db, item, Priority(data.priority)):  # its SLA due times follow
                made["priority"] = {"old": old, "new": data.priority}
        if made:
            ticket.updated_at = utc_now()
            record_event(
                db, request, tenant_id=ticket.tenant_id, action="support_ticket.updated", subject_type="support_ticket",
                subject_id=str(ticket.id), changes=made,
            )  # fmt: skip
            await db.flush()
        return await tickets.ticket_view(db, ticket.id)

    @get(
        "/{ticket_id:uuid}/messages",
        summary="The ticket's emails, in and out, oldest first",
        description="Each inbound message lists the files it brought (`attachments`), downloaded from the "
        "ticket's work item: `GET /api/v1/work-items/{work_item_id}/attachments/{id}`.",
    )
    async def list_messages(
        self, request: Request, db: AsyncSession, ticket_id: UUID, page: PageRequest
    ) -> OffsetPagination[MessageOut]:
        ticket = await Tickets(request.user).get(db, ticket_id)
        return await tickets.list_messages(db, ticket, page)

    @post(
        "/{ticket_id:uuid}/messages",
        summary="Reply to the customer by email (provider staff)",
        description="Sent under the ticket's channel after the change commits, threaded with Message-ID, "
        "In-Reply-To and References; macro_id fills in the macro's placeholders.",
        guards=[requires_staff],
    )
    async def reply(
        self, request: Request, db_session: AsyncSession, db_engine: AsyncEngine, ticket_id: UUID, data: ReplyCreate
    ) -> MessageOut:
        # The desk's hottest write: the agent's scope is declared inside its one transaction (no lookup of its
        # own), and no ``tenant_for_write``: it asks for one tenant (the ticket's is one) and refuses only a
        # suspended tenant's clients, and only staff reply, so it could never refuse.
        caller: Caller = request.user
        db = db_session
        await declare_staff_scope(request, db, db_engine)
        tenant_id, message = await replies.reply(
            db, caller, ticket_id, body=data.body, cc=data.cc, macro_id=data.macro_id
        )
        log_tenant(TenantScope.of(tenant_id))
        record_event(
            db, request, tenant_id=tenant_id, action="support_ticket.replied", subject_type="support_ticket",
            subject_id=str(ticket_id), changes={"message_id": message.message_id},
        )  # fmt: skip
        return message
