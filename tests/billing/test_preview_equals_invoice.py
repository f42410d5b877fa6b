"""Preview equals invoice: the usage page's estimate at a period's end, the draft and the finalized invoice agree."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bo_saas.billing.periods import month_of
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.billing.helpers import run_through_api, subscribed_tenant, use
from tests.factories import client_user, staff_user

ESTIMATED_KINDS = ("base_fee", "seats", "usage")  # what the usage page estimates; tax and credits come on top


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_estimate_the_draft_and_the_finalized_invoice_agree_to_the_cent(
    app, client, admin_session, seed, job_worker
):
    chance = random.Random(seed)
    tenant = await subscribed_tenant(admin_session, chance.choice(["starter", "growth", "enterprise"]))
    for _ in range(chance.randint(0, 14)):  # seats: some beyond the plan's included ones
        await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    october = month_of(datetime(2026, 10, 15, tzinfo=UTC), tenant.timezone)
    for meter in ("support.tickets", "data_entry.records", "work.items"):
        for _ in range(chance.randint(0, 4)):
            at = october.start + timedelta(
                seconds=chance.randint(0, int((october.end - october.start).total_seconds()) - 1)
            )
            await use(admin_session, tenant, meter, chance.randint(1, 9000), at)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    provider = {**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant.id)}
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    own = bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id)

    estimate = (await client.get("/api/v1/usage", params={"period": "2026-10"}, headers=own)).json()
    await run_through_api(client, provider, {"period": "2026-10"})
    [draft] = (await client.get("/api/v1/invoices", headers=own)).json()["items"]
    finalized = (await client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=provider)).json()

    def estimated(invoice: dict) -> int:
        return sum(line["amount"] for line in invoice["lines"] if line["kind"] in ESTIMATED_KINDS)

    assert estimate["estimated_total"] == estimated(draft) == estimated(finalized)
    usage_lines = [line for line in draft["lines"] if line["kind"] == "usage"]
    assert sum(meter["amount"] for meter in estimate["meters"]) == sum(line["amount"] for line in usage_lines)
    assert finalized["lines"] == draft["lines"] and finalized["total"] == draft["total"]
