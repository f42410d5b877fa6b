"""The isolation walker's entry for the client admins hr staff decide leave for: one tenant's, named with X-Tenant;
a client member is refused (403); a scope naming another tenant answers 400."""

from __future__ import annotations

from tests.isolation.walker import Entry

DECIDERS = "/api/v1/hr/leave-deciders"

ROUTES = [
    Entry("GET", DECIDERS, "client_admin", lambda t, w: DECIDERS, lower="client_member",
          headers=lambda t, w: {"X-Tenant": str(t.tenant.id)}, cross_status=(400,)),
]  # fmt: skip
