"""``/api/v1/qa``: sampling rates, the review list, and per-agent quality.

Staff review sampled items (``POST /api/v1/work-items/{id}/review``); here a
reviewer finds what waits for them, and provider admins set how much is
sampled and read how often each agent's work comes back.
"""

from __future__ import annotations

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, put
from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.models import Account
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_provider_admin, requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.work.catalog import offered_service
from bo_saas.work.controllers import item_responses
from bo_saas.work.errors import InvalidWorkRequest
from bo_saas.work.models import QaReview, QaSampling, WorkItem, WorkState
from bo_saas.work.schemas import AgentQuality, QaSamplingOut, QaSamplingUpdate, WorkItemOut


class QaController(Controller):
    path = "/api/v1/qa"
    tags = ["qa"]
    guards = [requires_staff]

    @get("/sampling", summary="QA sampling rates of the tenants in scope")
    async def list_sampling(self, db: AsyncSession, page: PageRequest) -> OffsetPagination[QaSamplingOut]:
        return await list_page(
            db,
            select(QaSampling),
            page,
            order_by=(QaSampling.tenant_id, QaSampling.service_type),
            into=QaSamplingOut,
        )

    @put(
        "/sampling",
        summary="Set the share of a service type's finished items that QA reviews",
        guards=[requires_provider_admin],
    )
    async def set_sampling(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: QaSamplingUpdate
    ) -> QaSamplingOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        if await offered_service(db, tenant, data.service_type) is None:
            raise InvalidWorkRequest(f"{tenant.name} does not use the service {data.service_type!r}")
        await db.execute(
            pg_insert(QaSampling)
            .values(tenant_id=tenant.id, service_type=data.service_type, sample_percent=data.sample_percent)
            .on_conflict_do_update(
                index_elements=[QaSampling.tenant_id, QaSampling.service_type],
                set_={"sample_percent": data.sample_percent, "updated_at": utc_now()},
            )
        )
        record_event(
            db, request, tenant_id=tenant.id, action="qa.sampling_set", subject_type="service_type",
            subject_id=data.service_type, changes={"sample_percent": data.sample_percent},
        )  # fmt: skip
        return QaSamplingOut(tenant.id, data.service_type, data.sample_percent)

    @get("/reviews", summary="Items waiting for QA that you may review (not your own work)")
    async def review_list(self, request: Request, db: AsyncSession, page: PageRequest) -> OffsetPagination[WorkItemOut]:
        caller: Caller = request.user
        conditions = [WorkItem.state == WorkState.IN_REVIEW, WorkItem.assignee_id.is_distinct_from(caller.account_id)]
        return await list_page(
            db,
            select(WorkItem),
            page,
            filters=conditions,
            order_by=(WorkItem.queue_due_at.asc().nulls_last(), WorkItem.updated_at),
            into=lambda rows: item_responses(db, caller, rows),
        )

    @get("/quality", summary="Per agent: reviewed, accepted, sent back, rework rate", guards=[requires_provider_admin])
    async def quality(self, db: AsyncSession) -> list[AgentQuality]:
        rejected = func.count(case((QaReview.verdict == "reject", 1)))
        rows = await db.execute(
            select(QaReview.agent_id, Account.name, func.count().label("reviewed"), rejected.label("rejected"))
            .join(Account, Account.id == QaReview.agent_id)
            .group_by(QaReview.agent_id, Account.name)
            .order_by(Account.name)
        )
        return [
            AgentQuality(
                agent_id=row.agent_id,
                agent_name=row.name,
                reviewed=row.reviewed,
                accepted=row.reviewed - row.rejected,
                rejected=row.rejected,
                rework_rate=round(row.rejected / row.reviewed, 4) if row.reviewed else 0.0,
            )
            for row in rows
        ]
