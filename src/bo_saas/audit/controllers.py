"""``/api/v1/audit-events``: read the trail (client admins: their tenant; provider admins: any)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.lib.errors import ForbiddenError
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import PageRequest


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
            raise ForbiddenError("Only provider admins may read provider-level events")
        model = ProviderAuditEvent if level == "provider" else AuditEvent
        statement = select(model)
        if action:
            statement = statement.where(model.action == action)
        if since:
            statement = statement.where(model.occurred_at >= since)
        return await list_page(
            db,
            statement,
            page,
            order_by=(model.occurred_at.desc(), model.id),
            # Provider-level events belong to no tenant.
            into=lambda rows: [to_struct(e, AuditEventOut, tenant_id=getattr(e, "tenant_id", None)) for e in rows],
        )
