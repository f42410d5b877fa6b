"""``/api/v1/audit-events``: read the trail (client admins: their tenant; provider admins: any)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get
from litestar.exceptions import PermissionDeniedException
from litestar.params import QueryParameter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.pagination import PageRequest, page_of


class AuditEventOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID | None
    occurred_at: datetime
    actor_id: UUID | None
    actor_kind: str
    action: str
    subject_type: str | None
    subject_id: str | None
    changes: dict[str, Any]
    ip: str | None
    request_id: str | None


class AuditEventController(Controller):
    path = "/api/v1/audit-events"
    tags = ["audit"]
    guards = [requires_admin]

    @get("/", summary="Audit events, newest first")
    async def list_events(
        self,
        request: Request,
        db: AsyncSession,
        page: PageRequest,
        level: Annotated[
            Literal["tenant", "provider"],
            QueryParameter(description="tenant events (the X-Tenant / own tenant) or provider-level ones"),
        ] = "tenant",
        action: Annotated[str | None, QueryParameter(max_length=80)] = None,
        since: Annotated[datetime | None, QueryParameter()] = None,
    ) -> OffsetPagination[AuditEventOut]:
        if level == "provider" and not request.user.is_staff:
            raise PermissionDeniedException("Only provider admins may read provider-level events")
        model = ProviderAuditEvent if level == "provider" else AuditEvent
        statement = select(model)
        if action:
            statement = statement.where(model.action == action)
        if since:
            statement = statement.where(model.occurred_at >= since)
        total = (await db.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        rows = (
            await db.execute(
                statement.order_by(model.occurred_at.desc(), model.id).limit(page.limit).offset(page.offset)
            )
        ).scalars()
        return page_of(
            [
                AuditEventOut(
                    id=e.id,
                    tenant_id=getattr(e, "tenant_id", None),
                    occurred_at=e.occurred_at,
                    actor_id=e.actor_id,
                    actor_kind=e.actor_kind,
                    action=e.action,
                    subject_type=e.subject_type,
                    subject_id=e.subject_id,
                    changes=e.changes,
                    ip=e.ip,
                    request_id=e.request_id,
                )
                for e in rows
            ],
            total=total,
            page=page,
        )
