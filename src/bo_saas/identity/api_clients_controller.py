"""``/api/v1/api-clients``: a tenant's machine credentials (client-credentials grant)."""

from __future__ import annotations

from uuid import UUID, uuid4

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, delete, get, post
from litestar.exceptions import NotFoundException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.models import ApiClient
from bo_saas.identity.passwords import digest, new_secret
from bo_saas.identity.schemas import ApiClientCreate, ApiClientCreated, ApiClientOut
from bo_saas.identity.sign_in import format_client_id
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


def _out(client: ApiClient) -> ApiClientOut:
    return ApiClientOut(
        id=client.id,
        tenant_id=client.tenant_id,
        client_id=format_client_id(client.tenant_id, client.id),
        name=client.name,
        created_at=client.created_at,
        revoked_at=client.revoked_at,
        last_used_at=client.last_used_at,
    )


async def _get(session: AsyncSession, api_client_id: UUID, *, for_update: bool = False) -> ApiClient:
    statement = select(ApiClient).where(ApiClient.id == api_client_id)
    client = (await session.execute(statement.with_for_update() if for_update else statement)).scalar()
    if client is None:
        raise NotFoundException("No such API client")
    return client


class ApiClientController(Controller):
    path = "/api/v1/api-clients"
    tags = ["identity"]
    guards = [requires_admin]

    @get("/", summary="List the tenant's API clients")
    async def list_clients(self, db: AsyncSession, page: PageRequest) -> OffsetPagination[ApiClientOut]:
        total = (await db.execute(select(func.count()).select_from(ApiClient))).scalar_one()
        rows = (
            await db.execute(
                select(ApiClient)
                .order_by(ApiClient.created_at.desc(), ApiClient.id)
                .limit(page.limit)
                .offset(page.offset)
            )
        ).scalars()
        return page_of([_out(c) for c in rows], total=total, page=page)

    @post("/", summary="Create an API client; the secret is shown once")
    async def create_client(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: ApiClientCreate
    ) -> ApiClientCreated:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        secret = new_secret()
        client = ApiClient(
            id=uuid4(),
            tenant_id=tenant.id,
            name=data.name.strip(),
            secret_hash=digest(secret),
            created_by=request.user.account_id,
            created_at=utc_now(),
        )
        db.add(client)
        record_event(
            db,
            request,
            tenant_id=tenant.id,
            action="api_client.created",
            subject_type="api_client",
            subject_id=str(client.id),
            changes={"name": client.name},
        )
        await db.flush()
        return ApiClientCreated(
            id=client.id,
            tenant_id=client.tenant_id,
            client_id=format_client_id(client.tenant_id, client.id),
            client_secret=secret,
            name=client.name,
            created_at=client.created_at,
        )

    @get("/{api_client_id:uuid}", summary="One API client")
    async def get_client(self, db: AsyncSession, api_client_id: UUID) -> ApiClientOut:
        return _out(await _get(db, api_client_id))

    @delete("/{api_client_id:uuid}", summary="Revoke an API client (kept for the audit trail)")
    async def revoke_client(self, request: Request, db: AsyncSession, api_client_id: UUID) -> None:
        client = await _get(db, api_client_id, for_update=True)
        if client.revoked_at is None:
            client.revoked_at = utc_now()
            record_event(
                db,
                request,
                tenant_id=client.tenant_id,
                action="api_client.revoked",
                subject_type="api_client",
                subject_id=str(client.id),
            )
