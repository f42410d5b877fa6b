"""The isolation walker's entries for tenancy: tenants (plans are billing's)."""

from __future__ import annotations

from uuid import uuid4

from tests.isolation.walker import Entry

ROUTES = [
    Entry("GET", "/api/v1/tenants", "client_member", lambda t, w: "/api/v1/tenants", cross_status=(200,)),
    Entry(
        "POST",
        "/api/v1/tenants",
        "provider_admin",
        lambda t, w: "/api/v1/tenants",
        own_status=201,
        body=lambda t, w: {"slug": f"new-{uuid4().hex[:8]}", "name": "New Co", "timezone": "UTC"},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry("GET", "/api/v1/tenants/{tenant_id:uuid}", "client_member", lambda t, w: f"/api/v1/tenants/{t.tenant.id}"),
    Entry(
        "PATCH",
        "/api/v1/tenants/{tenant_id:uuid}",
        "provider_admin",
        lambda t, w: f"/api/v1/tenants/{t.tenant.id}",
        body=lambda t, w: {"name": "Renamed Co"},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/tenants/{tenant_id:uuid}/suspend",
        "provider_admin",
        lambda t, w: f"/api/v1/tenants/{t.tenant.id}/suspend",
        body=lambda t, w: {"reason": "unpaid"},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/tenants/{tenant_id:uuid}/reactivate",
        "provider_admin",
        lambda t, w: f"/api/v1/tenants/{t.tenant.id}/reactivate",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
]
