"""``/api/v1/webhooks``: a tenant's webhook endpoints, their deliveries, and sending by hand.

Client admins manage their tenant's endpoints; provider admins do it for a
tenant named in ``X-Tenant``. Every lookup goes through the request's scoped
session, so another tenant's endpoint or delivery answers 404. The secret is
shown only when it is made (create, rotate-secret) and never audited.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated
from uuid import UUID, uuid4

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, delete, get, patch, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib.caller import Caller
from bo_saas.lib.changes import apply_changes
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.listing import Sorting, list_page, to_struct
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.errors import InvalidWebhook, WebhookConflict
from bo_saas.notify.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.notify.repository import WebhookDeliveries, WebhookEndpoints
from bo_saas.notify.schemas import (
    WebhookAttemptOut,
    WebhookDeliveryOut,
    WebhookEndpointCreate,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
)
from bo_saas.notify.webhooks import (
    PING_EVENT,
    WEBHOOK_EVENTS,
    WebhookUrlError,
    check_endpoint_url,
    create_delivery,
    new_endpoint_secret,
    queue_attempts,
    unknown_events,
)
from bo_saas.tenancy.access import tenant_for_write


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _checked_url(request: Request, url: str) -> str:
    try:
        return check_endpoint_url(url, allow_insecure=_settings(request).webhook_allow_insecure)
    except WebhookUrlError as exc:
        raise InvalidWebhook(f"Webhook URL refused: {exc}") from None


def _checked_events(events: list[str]) -> list[str]:
    unknown = unknown_events(events)
    if unknown:
        raise InvalidWebhook(
            f"Unknown webhook events: {', '.join(unknown)}. Valid events: {', '.join(WEBHOOK_EVENTS)}",
            extra={"valid_events": list(WEBHOOK_EVENTS)},
        )
    return sorted(set(events))


ENDPOINT_SORTING = Sorting(
    keys={"created_at": (WebhookEndpoint.created_at,), "url": (WebhookEndpoint.url,)},
    default="-created_at",
    tiebreak=(WebhookEndpoint.id,),
)
DELIVERY_SORTING = Sorting(
    keys={"created_at": (WebhookDelivery.created_at,), "next_attempt_at": (WebhookDelivery.next_attempt_at,)},
    default="-created_at",
    tiebreak=(WebhookDelivery.id,),
    nulls_last=True,
)


def _endpoint_out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return to_struct(endpoint, WebhookEndpointOut)


def _with_secret(endpoint: WebhookEndpoint) -> WebhookEndpointWithSecret:
    return to_struct(endpoint, WebhookEndpointWithSecret)


async def _deliveries_out(session: AsyncSession, deliveries: list[WebhookDelivery]) -> list[WebhookDeliveryOut]:
    """The deliveries with their attempt logs, in one more query."""
    log: dict[UUID, list[WebhookAttemptOut]] = defaultdict(list)
    if deliveries:
        attempts = await session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_([d.id for d in deliveries]))
            .order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)
        )
        for attempt in attempts:
            log[attempt.delivery_id].append(to_struct(attempt, WebhookAttemptOut))
    return [to_struct(d, WebhookDeliveryOut, attempt_log=log[d.id]) for d in deliveries]


class WebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["notify"]
    guards = [requires_admin]

    @get("/", summary="List the tenant's webhook endpoints")
    async def list_endpoints(
        self,
        db: AsyncSession,
        page: PageRequest,
        sort: Annotated[str, ENDPOINT_SORTING.parameter()] = ENDPOINT_SORTING.default,
    ) -> OffsetPagination[WebhookEndpointOut]:
        return await list_page(
            db, WebhookEndpoints().select(), page, sorting=ENDPOINT_SORTING, sort=sort, into=WebhookEndpointOut
        )

    @post("/", summary="Add a webhook endpoint; the signing secret is shown once")
    async def create_endpoint(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: WebhookEndpointCreate
    ) -> WebhookEndpointWithSecret:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        endpoint = WebhookEndpoint(
            id=uuid4(),
            tenant_id=tenant.id,
            url=_checked_url(request, data.url),
            description=data.description.strip(),
            events=_checked_events(data.events),
            secret=new_endpoint_secret(),
            active=data.active,
            created_by=caller.account_id,
        )
        db.add(endpoint)
        record_event(
            db,
            request,
            tenant_id=tenant.id,
            action="webhook.created",
            subject_type="webhook",
            subject_id=str(endpoint.id),
            changes={"url": endpoint.url, "events": endpoint.events, "active": endpoint.active},
        )
        await db.flush()
        return _with_secret(endpoint)

    @get("/{webhook_id:uuid}", summary="One webhook endpoint")
    async def get_endpoint(self, db: AsyncSession, webhook_id: UUID) -> WebhookEndpointOut:
        return _endpoint_out(await WebhookEndpoints().get(db, webhook_id))

    @patch("/{webhook_id:uuid}", summary="Change an endpoint's URL, description, events, or switch it on or off")
    async def update_endpoint(
        self, request: Request, db: AsyncSession, webhook_id: UUID, data: WebhookEndpointUpdate
    ) -> WebhookEndpointOut:
        endpoint = await WebhookEndpoints().get(db, webhook_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        wanted = {
            "url": None if data.url is None else _checked_url(request, data.url),
            "description": None if data.description is None else data.description.strip(),
            "events": None if data.events is None else _checked_events(data.events),
            "active": data.active,
        }
        changes = apply_changes(endpoint, wanted)
        if changes:
            record_event(
                db,
                request,
                tenant_id=endpoint.tenant_id,
                action="webhook.updated",
                subject_type="webhook",
                subject_id=str(endpoint.id),
                changes=changes,
            )
            await db.flush()
        return _endpoint_out(endpoint)

    @delete("/{webhook_id:uuid}", summary="Delete an endpoint and its deliveries")
    async def delete_endpoint(self, request: Request, db: AsyncSession, webhook_id: UUID) -> None:
        endpoint = await WebhookEndpoints().get(db, webhook_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        # The database cascades to the deliveries and their attempts.
        await db.delete(endpoint)
        record_event(
            db,
            request,
            tenant_id=endpoint.tenant_id,
            action="webhook.deleted",
            subject_type="webhook",
            subject_id=str(endpoint.id),
            changes={"url": endpoint.url},
        )

    @post("/{webhook_id:uuid}/rotate-secret", status_code=200, summary="Replace the signing secret; shown once")
    async def rotate_secret(self, request: Request, db: AsyncSession, webhook_id: UUID) -> WebhookEndpointWithSecret:
        endpoint = await WebhookEndpoints().get(db, webhook_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        endpoint.secret = new_endpoint_secret()
        record_event(
            db,
            request,
            tenant_id=endpoint.tenant_id,
            action="webhook.secret_rotated",
            subject_type="webhook",
            subject_id=str(endpoint.id),
        )
        await db.flush()
        return _with_secret(endpoint)

    @get("/{webhook_id:uuid}/deliveries", summary="An endpoint's deliveries with their attempts, newest first")
    async def list_deliveries(
        self,
        db: AsyncSession,
        webhook_id: UUID,
        page: PageRequest,
        sort: Annotated[str, DELIVERY_SORTING.parameter()] = DELIVERY_SORTING.default,
    ) -> OffsetPagination[WebhookDeliveryOut]:
        endpoint = await WebhookEndpoints().get(db, webhook_id)
        return await list_page(
            db,
            WebhookDeliveries(endpoint).select(),
            page,
            sorting=DELIVERY_SORTING,
            sort=sort,
            into=lambda rows: _deliveries_out(db, rows),
        )

    @post(
        "/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry",
        status_code=202,
        summary="Send a failed delivery again, with a fresh round of attempts",
    )
    async def retry_delivery(
        self, request: Request, db: AsyncSession, webhook_id: UUID, delivery_id: UUID
    ) -> WebhookDeliveryOut:
        endpoint = await WebhookEndpoints().get(db, webhook_id)
        delivery = await WebhookDeliveries(endpoint).get(db, delivery_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        if delivery.status != DeliveryStatus.FAILED:
            raise WebhookConflict(f"Only a failed delivery can be retried; this one is {delivery.status}")
        if not endpoint.active:
            raise WebhookConflict("The endpoint is inactive; activate it before retrying its deliveries")
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = utc_now()
        await queue_attempts(db, _settings(request), delivery)
        record_event(
            db,
            request,
            tenant_id=endpoint.tenant_id,
            action="webhook.delivery_retried",
            subject_type="webhook_delivery",
            subject_id=str(delivery.id),
            changes={"webhook_id": str(endpoint.id), "event": delivery.event},
        )
        await db.flush()
        [out] = await _deliveries_out(db, [delivery])
        return out

    @post("/{webhook_id:uuid}/ping", status_code=202, summary="Send a ping event to the endpoint, to test it")
    async def ping(self, request: Request, db: AsyncSession, webhook_id: UUID) -> WebhookDeliveryOut:
        endpoint = await WebhookEndpoints().get(db, webhook_id)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        if not endpoint.active:
            raise WebhookConflict("The endpoint is inactive; activate it before pinging it")
        delivery = await create_delivery(
            db,
            _settings(request),
            tenant_id=endpoint.tenant_id,
            endpoint_id=endpoint.id,
            event=PING_EVENT,
            data={"webhook_id": endpoint.id},
        )
        record_event(
            db,
            request,
            tenant_id=endpoint.tenant_id,
            action="webhook.pinged",
            subject_type="webhook_delivery",
            subject_id=str(delivery.id),
            changes={"webhook_id": str(endpoint.id)},
        )
        await db.flush()
        [out] = await _deliveries_out(db, [delivery])
        return out
