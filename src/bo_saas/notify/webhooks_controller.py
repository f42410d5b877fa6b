"""``/api/v1/webhooks``: a tenant's webhook endpoints, their deliveries, and sending by hand.

Client admins manage their tenant's endpoints; provider admins do it for a
tenant named in ``X-Tenant``. Every lookup goes through the request's scoped
session, so another tenant's endpoint or delivery answers 404. The secret is
shown only when it is made (create, rotate-secret) and never audited.
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID, uuid4

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, delete, get, patch, post
from litestar.exceptions import ClientException, NotFoundException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
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
        raise ClientException(f"Webhook URL refused: {exc}") from None


def _checked_events(events: list[str]) -> list[str]:
    unknown = unknown_events(events)
    if unknown:
        raise ClientException(
            f"Unknown webhook events: {', '.join(unknown)}. Valid events: {', '.join(WEBHOOK_EVENTS)}",
            extra={"valid_events": list(WEBHOOK_EVENTS)},
        )
    return sorted(set(events))


def _endpoint_fields(endpoint: WebhookEndpoint) -> dict:
    return {
        "id": endpoint.id,
        "tenant_id": endpoint.tenant_id,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "active": endpoint.active,
        "created_by": endpoint.created_by,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }


def _endpoint_out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut(**_endpoint_fields(endpoint))


def _with_secret(endpoint: WebhookEndpoint) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret(**_endpoint_fields(endpoint), secret=endpoint.secret)


async def _get_endpoint(session: AsyncSession, webhook_id: UUID, *, for_update: bool = False) -> WebhookEndpoint:
    statement = select(WebhookEndpoint).where(WebhookEndpoint.id == webhook_id)
    endpoint = (await session.execute(statement.with_for_update() if for_update else statement)).scalar()
    if endpoint is None:
        raise NotFoundException("No such webhook endpoint")
    return endpoint


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
            log[attempt.delivery_id].append(
                WebhookAttemptOut(
                    id=attempt.id,
                    attempted_at=attempt.attempted_at,
                    status_code=attempt.status_code,
                    response_body=attempt.response_body,
                    error=attempt.error,
                    duration_ms=attempt.duration_ms,
                )
            )
    return [
        WebhookDeliveryOut(
            id=d.id,
            endpoint_id=d.endpoint_id,
            event=d.event,
            payload=d.payload,
            status=d.status,
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at,
            delivered_at=d.delivered_at,
            last_status_code=d.last_status_code,
            created_at=d.created_at,
            attempt_log=log[d.id],
        )
        for d in deliveries
    ]


class WebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["notify"]
    guards = [requires_admin]

    @get("/", summary="List the tenant's webhook endpoints")
    async def list_endpoints(self, db: AsyncSession, page: PageRequest) -> OffsetPagination[WebhookEndpointOut]:
        total = (await db.execute(select(func.count()).select_from(WebhookEndpoint))).scalar_one()
        rows = await db.scalars(
            select(WebhookEndpoint)
            .order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        return page_of([_endpoint_out(e) for e in rows], total=total, page=page)

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
        return _endpoint_out(await _get_endpoint(db, webhook_id))

    @patch("/{webhook_id:uuid}", summary="Change an endpoint's URL, description, events, or switch it on or off")
    async def update_endpoint(
        self, request: Request, db: AsyncSession, webhook_id: UUID, data: WebhookEndpointUpdate
    ) -> WebhookEndpointOut:
        endpoint = await _get_endpoint(db, webhook_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        wanted = {
            "url": None if data.url is None else _checked_url(request, data.url),
            "description": None if data.description is None else data.description.strip(),
            "events": None if data.events is None else _checked_events(data.events),
            "active": data.active,
        }
        changes = {}
        for name, value in wanted.items():
            if value is not None and value != getattr(endpoint, name):
                changes[name] = [getattr(endpoint, name), value]
                setattr(endpoint, name, value)
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
        endpoint = await _get_endpoint(db, webhook_id, for_update=True)
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
        endpoint = await _get_endpoint(db, webhook_id, for_update=True)
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
        self, db: AsyncSession, webhook_id: UUID, page: PageRequest
    ) -> OffsetPagination[WebhookDeliveryOut]:
        endpoint = await _get_endpoint(db, webhook_id)
        of_endpoint = WebhookDelivery.endpoint_id == endpoint.id
        total = (await db.execute(select(func.count()).select_from(WebhookDelivery).where(of_endpoint))).scalar_one()
        deliveries = (
            await db.scalars(
                select(WebhookDelivery)
                .where(of_endpoint)
                .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
                .limit(page.limit)
                .offset(page.offset)
            )
        ).all()
        return page_of(await _deliveries_out(db, list(deliveries)), total=total, page=page)

    @post(
        "/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry",
        status_code=202,
        summary="Send a failed delivery again, with a fresh round of attempts",
    )
    async def retry_delivery(
        self, request: Request, db: AsyncSession, webhook_id: UUID, delivery_id: UUID
    ) -> WebhookDeliveryOut:
        endpoint = await _get_endpoint(db, webhook_id)
        delivery = (
            await db.execute(
                select(WebhookDelivery)
                .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.id == delivery_id)
                .with_for_update()
            )
        ).scalar()
        if delivery is None:
            raise NotFoundException("No such delivery of this webhook endpoint")
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        if delivery.status != DeliveryStatus.FAILED:
            raise ConflictError(f"Only a failed delivery can be retried; this one is {delivery.status}")
        if not endpoint.active:
            raise ConflictError("The endpoint is inactive; activate it before retrying its deliveries")
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
        endpoint = await _get_endpoint(db, webhook_id)
        await tenant_for_write(db, request.user, TenantScope.of(endpoint.tenant_id))
        if not endpoint.active:
            raise ConflictError("The endpoint is inactive; activate it before pinging it")
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
