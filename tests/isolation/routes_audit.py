"""The isolation walker's entries for audit: the trail."""

from __future__ import annotations

from tests.isolation.walker import Entry

ROUTES = [
    Entry(
        "GET",
        "/api/v1/audit-events",
        "client_admin",
        lambda t, w: "/api/v1/audit-events",
        lower="client_member",
        cross_status=(200,),
    ),
]
