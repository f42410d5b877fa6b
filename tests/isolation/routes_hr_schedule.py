"""The isolation walker's entries for the payroll schedule: one row per tenant, read and set with X-Tenant.
Pay is personal data: a client member is refused (403); a scope naming another tenant answers 400."""

from __future__ import annotations

from tests.isolation.walker import Entry

SCHEDULE = "/api/v1/hr/payroll-schedule"


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


ROUTES = [
    Entry("GET", SCHEDULE, "client_admin", lambda t, w: SCHEDULE, lower="client_member", headers=_own,
          cross_status=(400,)),
    Entry("PUT", SCHEDULE, "client_admin", lambda t, w: SCHEDULE, body=lambda t, w: {"day": 25, "enabled": True},
          lower="client_member", headers=_own, cross_status=(400,)),
]  # fmt: skip
