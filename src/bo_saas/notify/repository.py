"""Webhook endpoints, deliveries and notifications as the caller may see them: "get visible or 404".

RLS scopes every row to the request's tenants. Notifications are also a
person's own: someone else's, even in the same tenant, answers 404.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from bo_saas.lib.repository import TenantRepository
from bo_saas.notify.errors import DeliveryNotFound, NotificationNotFound, WebhookNotFound
from bo_saas.notify.models import Notification, WebhookDelivery, WebhookEndpoint


class WebhookEndpoints(TenantRepository[WebhookEndpoint]):
    model = WebhookEndpoint
    not_found = WebhookNotFound
    not_found_message = "No such webhook endpoint"


class WebhookDeliveries(TenantRepository[WebhookDelivery]):
    """An endpoint's deliveries: a delivery is found only through the endpoint it belongs to."""

    model = WebhookDelivery
    not_found = DeliveryNotFound
    not_found_message = "No such delivery of this webhook endpoint"

    def __init__(self, endpoint: WebhookEndpoint) -> None:
        super().__init__()
        self.endpoint = endpoint

    def select(self):
        return super().select().where(WebhookDelivery.endpoint_id == self.endpoint.id)


class Notifications(TenantRepository[Notification]):
    model = Notification
    not_found = NotificationNotFound
    not_found_message = "No such notification"

    def visible(self) -> ColumnElement[bool] | None:
        return Notification.recipient_id == self.caller.account_id
