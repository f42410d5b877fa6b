"""A tenant's subscription through the API: started with the tenant, upgraded at once, downgraded next period."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from uuid import UUID

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.models import PlanVersion, Subscription, SubscriptionStatus
from bo_saas.billing.periods import local_day, month_of
from bo_saas.billing.subscriptions import follow_plan, in_force
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.server.registry import load
from bo_saas.tenancy.manifests import apply_manifests
from bo_saas.tenancy.models import Tenant
from bo_saas.work.models import WorkState
from tests.auth import bearer
from tests.desk import queued_item
from tests.factories import TenantFactory, client_user, save, staff_user

SUBSCRIPTION = "/api/v1/subscription"


async def _tenant_on(admin_session, plan: str, services: list[str]) -> tuple[Tenant, dict[str, str]]:
    """A tenant on ``plan`` (its subscription started by the plan-chosen hook) and its client admin's headers."""
    tenant = TenantFactory(plan_code=plan, services=services)
    await save(admin_session, tenant)
    await follow_plan(admin_session, tenant)
    await admin_session.commit()
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    return tenant, admin


async def _subscription(admin_session, tenant_id: UUID) -> Subscription:
    fresh = select(Subscription).where(Subscription.tenant_id == tenant_id).execution_options(populate_existing=True)
    return await admin_session.scalar(fresh)


async def test_a_tenant_onboarded_through_the_api_starts_trialing_on_its_plans_latest_version(
    app, client, admin_session
):
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = bearer(app, provider_admin, Role.PROVIDER_ADMIN)
    body = {"slug": "initech", "name": "Initech", "timezone": "Asia/Riyadh", "plan": "starter", "services": []}
    created = await client.post("/api/v1/tenants", json=body, headers=headers)
    assert created.status_code == 201, created.text

    response = await client.get(SUBSCRIPTION, headers={**headers, "X-Tenant": "initech"})

    assert response.status_code == 200, response.text
    subscription = response.json()
    assert (subscription["plan"]["code"], subscription["plan"]["version"]) == ("starter", 1)
    assert subscription["plan"]["base_fee"] == 29900 and subscription["plan"]["seats"]["unit_price"] == "19.00"
    assert subscription["status"] == "trialing" and subscription["pending_change"] is None
    row = await _subscription(admin_session, UUID(created.json()["id"]))
    assert row.trial_ends_at - row.started_at == timedelta(days=14)
    assert row.current_period_start == month_of(utc_now(), "Asia/Riyadh").start


async def test_a_provider_admin_moving_a_tenant_to_another_plan_moves_its_subscription(app, client, admin_session):
    tenant, _ = await _tenant_on(admin_session, "starter", ["data_entry"])
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    moved = await client.patch(
        f"/api/v1/tenants/{tenant.id}",
        json={"plan": "enterprise"},
        headers=bearer(app, provider_admin, Role.PROVIDER_ADMIN),
    )

    assert moved.status_code == 200, moved.text
    version = await admin_session.get(PlanVersion, (await _subscription(admin_session, tenant.id)).plan_version_id)
    assert (version.plan_code, version.version) == ("enterprise", 1)


def _prorated(minor: int, days: int, period_days: int) -> int:
    return round(Fraction(minor * days, period_days))  # half to even, as the invoice rounds


async def test_an_upgrade_takes_effect_at_once_and_prorates_base_fee_and_seats_by_day(app, client, admin_session):
    tenant, admin = await _tenant_on(admin_session, "starter", ["data_entry", "support"])
    for _ in range(4):  # 5 active client users: 2 seats beyond starter's 3
        await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant_id=tenant.id)
    preview = await client.get(f"{SUBSCRIPTION}/preview", params={"plan": "growth"}, headers=headers)

    response = await client.put(SUBSCRIPTION, json={"plan": "growth"}, headers=headers)

    assert response.status_code == 200, response.text
    change = response.json()
    assert change == {**preview.json(), "effective_at": change["effective_at"]}  # the preview said what happened
    assert (change["kind"], change["plan"], change["version"]) == ("upgrade", "growth", 1)
    period = month_of(utc_now(), tenant.timezone)
    days_old = (local_day(utc_now(), tenant.timezone) - period.first_day).days  # before today: the old version
    days_new = period.days - days_old
    expected = [
        (f"Growth v1 base fee, {days_new} of {period.days} days", _prorated(99900, days_new, period.days)),
    ]
    if days_old:
        expected = [
            (f"Starter v1 base fee, {days_old} of {period.days} days", _prorated(29900, days_old, period.days)),
            (f"Starter v1 seats: 2 at 19.00, {days_old} of {period.days} days", _prorated(3800, days_old, period.days)),
            *expected,
        ]
    assert [(line["description"], line["amount"]) for line in change["lines"]] == expected  # growth has 10 seats
    assert change["total"] == sum(amount for _, amount in expected)
    current = (await client.get(SUBSCRIPTION, headers=headers)).json()
    assert current["plan"]["code"] == "growth" and current["pending_change"] is None
    assert (await admin_session.get(Tenant, tenant.id, populate_existing=True)).plan_code == "growth"


async def test_a_preview_changes_nothing(app, client, admin_session):
    tenant, admin = await _tenant_on(admin_session, "starter", ["data_entry"])
    before = await _subscription(admin_session, tenant.id)

    response = await client.get(
        f"{SUBSCRIPTION}/preview",
        params={"plan": "enterprise"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )

    assert response.status_code == 200 and response.json()["kind"] == "upgrade"
    after = await _subscription(admin_session, tenant.id)
    assert (after.plan_version_id, after.pending_plan_version_id) == (before.plan_version_id, None)


async def test_a_downgrade_waits_for_the_next_period_and_then_drops_the_services_the_plan_lacks(
    app, client, admin_session, runtime_sessionmaker
):
    tenant, admin = await _tenant_on(admin_session, "growth", ["data_entry", "support", "hr"])
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant_id=tenant.id)

    response = await client.put(SUBSCRIPTION, json={"plan": "starter"}, headers=headers)

    assert response.status_code == 200, response.text
    period = month_of(utc_now(), tenant.timezone)
    assert response.json()["kind"] == "downgrade" and response.json()["lines"] == []
    current = (await client.get(SUBSCRIPTION, headers=headers)).json()
    assert current["plan"]["code"] == "growth"
    assert current["pending_change"]["plan"] == "starter"
    assert current["pending_change"]["effective_at"] == period.end.isoformat().replace("+00:00", "Z")
    # The next period comes: the downgrade is in force, and hr (not in starter) is gone from the tenant.
    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        async with session.begin():
            row = await session.get(Tenant, tenant.id)
            later = await in_force(session, row, period.end + timedelta(hours=1))
            assert later.pending_from is None and later.current_period_start == period.end
    moved = await admin_session.get(Tenant, tenant.id, populate_existing=True)
    assert (moved.plan_code, moved.services) == ("starter", ["data_entry", "support"])


async def test_a_downgrade_that_drops_a_service_with_open_work_is_refused(app, client, admin_session):
    tenant, admin = await _tenant_on(admin_session, "growth", ["data_entry", "support", "bookkeeping"])
    await save(admin_session, queued_item(tenant, skill="bookkeeping", state=WorkState.IN_PROGRESS))
    await save(admin_session, queued_item(tenant, skill="bookkeeping", state=WorkState.DONE))

    response = await client.put(
        SUBSCRIPTION, json={"plan": "starter"}, headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant_id=tenant.id)
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "plan: Starter does not include bookkeeping (1 open item); finish or cancel that work before changing plan"
    )
    assert (await _subscription(admin_session, tenant.id)).pending_plan_version_id is None


async def test_changing_to_an_unknown_plan_is_a_clear_404(app, client, admin_session):
    tenant, admin = await _tenant_on(admin_session, "growth", ["data_entry"])

    response = await client.put(
        SUBSCRIPTION, json={"plan": "gold"}, headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant_id=tenant.id)
    )

    assert (response.status_code, response.json()["detail"]) == (404, "plan: no plan 'gold'")


async def test_a_trial_that_has_ended_reads_as_active(admin_session):
    tenant, _ = await _tenant_on(admin_session, "growth", ["data_entry"])
    subscription = await _subscription(admin_session, tenant.id)
    assert subscription.status is SubscriptionStatus.TRIALING

    later = await in_force(admin_session, tenant, subscription.trial_ends_at + timedelta(seconds=1))

    assert later.status is SubscriptionStatus.ACTIVE


async def test_a_tenant_manifest_starts_the_subscription_and_a_changed_plan_moves_it(
    tmp_path, runtime_sessionmaker, admin_session
):
    manifest = tmp_path / "hooli.toml"
    sections = load().manifest_sections
    plans = []
    for plan in ("growth", "growth", "enterprise"):
        manifest.write_text(
            f'slug = "hooli"\nname = "Hooli"\nplan = "{plan}"\ntimezone = "UTC"\nservices = ["support"]\n', "utf-8"
        )
        await apply_manifests(runtime_sessionmaker, [manifest], sections, echo=lambda _: None)
        tenant_id = await admin_session.scalar(select(Tenant.id).where(Tenant.slug == "hooli"))
        version = await admin_session.get(PlanVersion, (await _subscription(admin_session, tenant_id)).plan_version_id)
        plans.append((version.plan_code, version.version))

    assert plans == [("growth", 1), ("growth", 1), ("enterprise", 1)]
    events = await admin_session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "subscription").order_by(AuditEvent.occurred_at)
    )
    assert list(events) == ["subscription.started", "subscription.plan_changed"]  # applying again changed nothing
