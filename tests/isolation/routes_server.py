"""The isolation walker's entries for server: the caller's navigation."""

from __future__ import annotations

from tests.isolation.walker import Entry

ROUTES = [
    # The caller's own menu: no ids in it, the same answer whichever tenant is named.
    Entry("GET", "/api/v1/navigation", "client_member", lambda t, w: "/api/v1/navigation", cross_status=(200,)),
]
