"""``/api/v1/queue``: provider staff take the next item and see the queue at a glance."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_204_NO_CONTENT
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work import items as work
from bo_saas.work.controllers import item_response
from bo_saas.work.models import SlaStatus, WorkItem, WorkState
from bo_saas.work.queue import QUEUE_COUNTS_SQL, claim_next_key
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
    async def claim(self, request: Request, db: AsyncSession, tenant_scope: TenantScope) -> Response[WorkItemOut]:
        caller: Caller = request.user
        now = utc_now()
        key = await claim_next_key(db, caller.account_id, tenant_scope.tenant_ids, now)
        if key is None:
            return Response(content=None, status_code=HTTP_204_NO_CONTENT)
        tenant_id, item_id = key
        # The statement changed the row; load it as it is now and finish the change around it.
        item = (
            await db.execute(
                select(WorkItem).where(WorkItem.tenant_id == tenant_id, WorkItem.id == item_id),
                execution_options={"populate_existing": True},
            )
        ).scalar_one()
        # Claiming moves no due time: the client sees nothing of it, so the first response is still owed.
        work.record_claim(db, item, caller, now)
        await db.flush()
        await work.publish_state_change(db, item, WorkState.QUEUED, "Claimed")
        return Response(await item_response(db, caller, item))

    @get("/", summary="The queue at a glance: open items per tenant, service type, state and SLA status")
    async def summary(self, db: AsyncSession) -> QueueSummary:
        rows = (await db.execute(QUEUE_COUNTS_SQL)).all()
        counts = [QueueCount(**row._mapping) for row in rows]
        return QueueSummary(
            queued=sum(c.items for c in counts if c.state == WorkState.QUEUED),
            in_progress=sum(c.items for c in counts if c.state == WorkState.IN_PROGRESS),
            breached=sum(c.items for c in counts if c.sla_status == SlaStatus.BREACHED),
            at_risk=sum(c.items for c in counts if c.sla_status == SlaStatus.WARNING),
            counts=counts,
        )
