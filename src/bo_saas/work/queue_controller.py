"""``/api/v1/queue``: provider staff take the next item and see the queue at a glance."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_read, set_scope
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import TENANT_HEADER, log_tenant, resolve_scope
from bo_saas.work import items as work
from bo_saas.work.item_rows import row_out
from bo_saas.work.models import SlaStatus, WorkState
from bo_saas.work.queue import QUEUE_COUNTS_SQL, claim_next_key, claimed_item
from bo_saas.work.schemas import QueueCount, QueueSummary, WorkItemOut


class QueueController(Controller):
    path = "/api/v1/queue"
    tags = ["queue"]
    guards = [requires_staff]

    @post(
        "/claim",
        summary="Take the most urgent item you may do",
        description="Marks it in progress for you; 204 when there is nothing you may take (or you are at capacity).",
        responses={204: ResponseSpec(data_container=None, description="Nothing you may take now")},
        status_code=200,
    )
    async def claim(self, request: Request, db_session: AsyncSession, db_engine: AsyncEngine) -> Response[WorkItemOut]:
        caller: Caller = request.user
        # Without X-Tenant the claim function declares the agent's own assignments as the transaction's
        # scope, so no lookup runs first; X-Tenant narrows it (or, for a provider admin, widens it, audited)
        # through the one place scopes are made.
        tenants = None
        if request.headers.get(TENANT_HEADER):
            tenants = (await resolve_scope(request, db_engine)).tenant_ids
        set_scope(db_session, TenantScope(tenants) if tenants is not None else TenantScope.nothing())
        key = await claim_next_key(db_session, caller.account_id, tenants, utc_now())
        if key is None:
            return Response(content=None, status_code=HTTP_204_NO_CONTENT)
        log_tenant(TenantScope.of(key[0]))  # the claimed item's tenant, whatever the agent serves
        item = await claimed_item(db_session, key)
        # Claiming moves no due time: the client sees nothing of it, so the first response is still owed.
        await work.publish_state_change(db_session, item, WorkState.QUEUED, "Claimed")
        return Response(row_out(item, caller, utc_now()))

    @get("/", summary="The queue at a glance: open items per tenant, service type, state and SLA status")
    async def summary(self, db_engine: AsyncEngine, tenant_scope: TenantScope) -> QueueSummary:
        # A hot read: one statement in a scoped read-only transaction, records straight into structs.
        async with scoped_read(db_engine, tenant_scope) as connection:
            counts = [QueueCount(*record) for record in await connection.fetch(QUEUE_COUNTS_SQL)]
        return QueueSummary(
            queued=sum(c.items for c in counts if c.state == WorkState.QUEUED),
            in_progress=sum(c.items for c in counts if c.state == WorkState.IN_PROGRESS),
            breached=sum(c.items for c in counts if c.sla_status == SlaStatus.BREACHED),
            at_risk=sum(c.items for c in counts if c.sla_status == SlaStatus.WARNING),
            counts=counts,
        )
