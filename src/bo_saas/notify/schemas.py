"""Request and response bodies of the webhook and notification routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from bo_saas.lib import limits

EndpointUrl = limits.text(limits.URL, min_length=1)
Description = limits.text(limits.DESCRIPTION)
EventNames = Annotated[list[limits.text(limits.EVENT, min_length=1)], msgspec.Meta(max_length=50)]


class WebhookEndpointOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    url: str
    description: str
    events: list[str]  # empty: every event
    active: bool
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime


class WebhookEndpointWithSecret(WebhookEndpointOut):
    """Only the create and rotate-secret answers carry the secret."""

    secret: str


class WebhookEndpointCreate(msgspec.Struct, forbid_unknown_fields=True):
    url: EndpointUrl
    description: Description = ""
    events: EventNames = []
    active: bool = True


class WebhookEndpointUpdate(msgspec.Struct, forbid_unknown_fields=True):
    url: EndpointUrl | None = None
    description: Description | None = None
    events: EventNames | None = None
    active: bool | None = None


class WebhookAttemptOut(msgspec.Struct):
    id: UUID
    attempted_at: datetime
    status_code: int | None
    response_body: str | None  # the first 2 KB
    error: str | None
    duration_ms: int


class WebhookDeliveryOut(msgspec.Struct):
    id: UUID
    endpoint_id: UUID
    event: str
    payload: dict[str, Any]
    status: str  # pending, delivered, failed
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    created_at: datetime
    attempt_log: list[WebhookAttemptOut]  # oldest first


class NotificationOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    kind: str
    title: str
    body: str
    work_item_id: UUID | None
    created_at: datetime
    read_at: datetime | None


class UnreadCount(msgspec.Struct):
    unread: int


class MarkedRead(msgspec.Struct):
    marked: int
