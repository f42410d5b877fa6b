"""``/api/v1/api-clients``: a tenant's machine credentials (client-credentials grant)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, delete, get, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.errors import AccountConflict, InvalidAccountRequest
from bo_saas.identity.models import ApiClient
from bo_saas.identity.passwords import digest, new_secret
from bo_saas.identity.repository import ApiClients
from bo_saas.identity.schemas import ApiClientCreate, ApiClientCreated, ApiClientOut
from bo_saas.identity.sign_in import format_client_id
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.listing import Sorting, list_page, to_struct
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write

SORTING = Sorting(
    keys={"created_at": (ApiClient.created_at,), "name": (ApiClient.name,), "last_used_at": (ApiClient.last_used_at,)},
    default="-created_at",
    tiebreak=(ApiClient.id,),
    nulls_last=True,
)


def _out(client: ApiClient) -> ApiClientOut:
    return to_struct(client, ApiClientOut, client_id=format_client_id(client.tenant_id, client.id))


class ApiClientController(Controller):
    path = "/api/v1/api-clients"
    tags = ["identity"]
    guards = [requires_admin]

    @get("/", summary="List the tenant's API clients")
    async def list_clients(
        self, db: AsyncSession, page: PageRequest, sort: Annotated[str, SORTING.parameter()] = SORTING.default
    ) -> OffsetPagination[ApiClientOut]:
        return await list_page(
            db, ApiClients().select(), page, sorting=SORTING, sort=sort, into=lambda rows: [_out(c) for c in rows]
        )

    @post("/", summary="Create an API client; the secret is shown once")
    async def create_client(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: ApiClientCreate
    ) -> ApiClientCreated:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        name = data.name.strip()
        if not name:
            raise InvalidAccountRequest("name: must not be blank")
        # The unique index (tenant, name) among live clients decides a race; this names the field first.
        taken = await db.scalar(
            select(ApiClient.id).where(
                ApiClient.tenant_id == tenant.id, ApiClient.name == name, ApiClient.revoked_at.is_(None)
            )
        )
        if taken is not None:
            raise AccountConflict(f"name: an API client named '{name}' exists already")
        secret = new_secret()
        client = ApiClient(
            id=uuid4(),
            tenant_id=tenant.id,
            name=name,
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
        return to_struct(
            client, ApiClientCreated, client_id=format_client_id(client.tenant_id, client.id), client_secret=secret
        )

    @get("/{api_client_id:uuid}", summary="One API client")
    async def get_client(self, db: AsyncSession, api_client_id: UUID) -> ApiClientOut:
        return _out(await ApiClients().get(db, api_client_id))

    @delete("/{api_client_id:uuid}", summary="Revoke an API client (kept for the audit trail)")
    async def revoke_client(self, request: Request, db: AsyncSession, api_client_id: UUID) -> None:
        client = await ApiClients().get(db, api_client_id, for_update=True)
        if client.revoked_at is None:
            client.revoked_at = utc_now()
            await request.app.state.revocations.revoke_actor("api_client", client.id)
            record_event(
                db,
                request,
                tenant_id=client.tenant_id,
                action="api_client.revoked",
                subject_type="api_client",
                subject_id=str(client.id),
            )
