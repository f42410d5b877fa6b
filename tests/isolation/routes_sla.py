"""The isolation walker's entries for sla: policies, calendar, the board, reports."""

from __future__ import annotations

from tests.isolation.walker import Entry

ROUTES = [
    # sla: policies, calendar, the board
    Entry(
        "GET",
        "/api/v1/sla/policies",
        "provider_admin",
        lambda t, w: "/api/v1/sla/policies",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "PUT",
        "/api/v1/sla/policies/{plan:str}/{service_type:str}/{priority:str}",
        "provider_admin",
        lambda t, w: "/api/v1/sla/policies/growth/support/urgent",
        body=lambda t, w: {"first_response_minutes": 10, "resolution_minutes": 100},
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "DELETE",
        "/api/v1/sla/policies/{plan:str}/{service_type:str}/{priority:str}",
        "provider_admin",
        lambda t, w: "/api/v1/sla/policies/growth/support/urgent",
        own_status=204,
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        "/api/v1/sla/calendar",
        "client_member",
        lambda t, w: "/api/v1/sla/calendar",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
    ),
    Entry(
        "PUT",
        "/api/v1/sla/calendar",
        "client_admin",
        lambda t, w: "/api/v1/sla/calendar",
        body=lambda t, w: {"weekly_hours": {"sun": ["09:00-17:00"]}, "holidays": ["2026-12-02"]},
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        lower="client_member",
        cross_status=(400,),
    ),
    Entry(
        "DELETE",
        "/api/v1/sla/calendar",
        "client_admin",
        lambda t, w: "/api/v1/sla/calendar",
        own_status=204,
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        lower="client_member",
        cross_status=(400,),
    ),
    Entry("GET", "/api/v1/sla/events", "client_member", lambda t, w: "/api/v1/sla/events", cross_status=(200,)),
    # sla: reports
    Entry(
        "GET",
        "/api/v1/sla/reports",
        "client_member",
        lambda t, w: "/api/v1/sla/reports",
        headers=lambda t, w: {"X-Tenant": str(t.tenant.id)},
        cross_status=(200,),
    ),
]
