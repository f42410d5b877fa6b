"""The isolation walker's entries for notify: webhooks and notifications."""

from __future__ import annotations

from tests.isolation.walker import Entry

ROUTES = [
    # notify: webhooks and notifications
    Entry(
        "GET",
        "/api/v1/webhooks",
        "client_admin",
        lambda t, w: "/api/v1/webhooks",
        lower="client_member",
        cross_status=(200,),
    ),
    Entry(
        "POST",
        "/api/v1/webhooks",
        "client_admin",
        lambda t, w: "/api/v1/webhooks",
        own_status=201,
        body=lambda t, w: {"url": "https://hooks.example.test/new"},
        lower="client_member",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET",
        "/api/v1/webhooks/{webhook_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}",
        lower="client_member",
    ),
    Entry(
        "PATCH",
        "/api/v1/webhooks/{webhook_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}",
        body=lambda t, w: {"description": "Renamed"},
        lower="client_member",
    ),
    Entry(
        "DELETE",
        "/api/v1/webhooks/{webhook_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}",
        own_status=204,
        lower="client_member",
    ),
    Entry(
        "POST",
        "/api/v1/webhooks/{webhook_id:uuid}/rotate-secret",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/rotate-secret",
        lower="client_member",
    ),
    Entry(
        "GET",
        "/api/v1/webhooks/{webhook_id:uuid}/deliveries",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/deliveries",
        lower="client_member",
    ),
    Entry(
        "POST",
        "/api/v1/webhooks/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/deliveries/{t.delivery_id}/retry",
        own_status=202,
        lower="client_member",
    ),
    Entry(
        "POST",
        "/api/v1/webhooks/{webhook_id:uuid}/ping",
        "client_admin",
        lambda t, w: f"/api/v1/webhooks/{t.webhook_id}/ping",
        own_status=202,
        lower="client_member",
    ),
    Entry("GET", "/api/v1/notifications", "client_member", lambda t, w: "/api/v1/notifications", cross_status=(200,)),
    Entry(
        "GET",
        "/api/v1/notifications/unread-count",
        "client_member",
        lambda t, w: "/api/v1/notifications/unread-count",
        cross_status=(200,),
    ),
    Entry(
        "POST",
        "/api/v1/notifications/{notification_id:uuid}/read",
        "client_member",
        lambda t, w: f"/api/v1/notifications/{t.notification_id}/read",
    ),
    Entry(
        "POST",
        "/api/v1/notifications/read-all",
        "client_member",
        lambda t, w: "/api/v1/notifications/read-all",
        cross_status=(200,),
    ),
]
