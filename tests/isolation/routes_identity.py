"""The isolation walker's entries for identity: the caller, users, API clients, staff and skills."""

from __future__ import annotations

from uuid import uuid4

from tests.isolation.walker import Entry


def _users(t, w):
    return "/api/v1/users"


ROUTES = [
    Entry("GET", "/api/v1/me", "client_member", lambda t, w: "/api/v1/me", cross_status=(200,)),
    Entry(
        "PATCH",
        "/api/v1/me",
        "client_member",
        lambda t, w: "/api/v1/me",
        body=lambda t, w: {"locale": "ar"},
        cross_status=(200,),
    ),
    Entry("GET", "/api/v1/users", "client_admin", _users, lower="client_member", cross_status=(200,)),
    Entry(
        "POST",
        "/api/v1/users",
        "client_admin",
        _users,
        own_status=201,
        lower="client_member",
        body=lambda t, w: {"email": f"new-{uuid4().hex[:8]}@example.test", "name": "New Person"},
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET",
        "/api/v1/users/{user_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/users/{t.member.id}",
        lower="client_member",
    ),
    Entry(
        "PATCH",
        "/api/v1/users/{user_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/users/{t.member.id}",
        body=lambda t, w: {"name": "Renamed"},
        lower="client_member",
    ),
    Entry(
        "GET",
        "/api/v1/api-clients",
        "client_admin",
        lambda t, w: "/api/v1/api-clients",
        lower="client_member",
        cross_status=(200,),
    ),
    Entry(
        "POST",
        "/api/v1/api-clients",
        "client_admin",
        lambda t, w: "/api/v1/api-clients",
        own_status=201,
        body=lambda t, w: {"name": "ERP"},
        lower="client_member",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(400,),
    ),
    Entry(
        "GET",
        "/api/v1/api-clients/{api_client_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/api-clients/{t.api_client_id}",
        lower="client_member",
    ),
    Entry(
        "DELETE",
        "/api/v1/api-clients/{api_client_id:uuid}",
        "client_admin",
        lambda t, w: f"/api/v1/api-clients/{t.api_client_id}",
        own_status=204,
        lower="client_member",
    ),
    Entry(
        "GET",
        "/api/v1/staff",
        "provider_admin",
        lambda t, w: "/api/v1/staff",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        "/api/v1/staff",
        "provider_admin",
        lambda t, w: "/api/v1/staff",
        own_status=201,
        body=lambda t, w: {"email": f"s-{uuid4().hex[:8]}@provider.test", "name": "S", "tenants": [t.tenant.slug]},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/staff/{staff_id:uuid}",
        "provider_admin",
        lambda t, w: f"/api/v1/staff/{w.agent.id}",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "PATCH",
        "/api/v1/staff/{staff_id:uuid}",
        "provider_admin",
        lambda t, w: f"/api/v1/staff/{w.agent.id}",
        body=lambda t, w: {"capacity": 7},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/skills",
        "provider_admin",
        lambda t, w: "/api/v1/skills",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
]
