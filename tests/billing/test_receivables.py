"""Receivables: every tenant's owed invoices, aged into buckets, with totals per currency and bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bo_saas.billing.models import InvoiceStatus
from bo_saas.billing.receivables import bucket_of, days_overdue
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from tests.auth import bearer
from tests.billing.helpers import InvoiceFactory, save, subscribed_tenant, version_of
from tests.factories import client_user, staff_user

RECEIVABLES = "/api/v1/billing/receivables"


async def _invoice(session, tenant, period: str, status: InvoiceStatus, due_in_days: float, **fields):
    """A finalized invoice of ``tenant`` due ``due_in_days`` from now (negative: overdue)."""
    version = await version_of(session, "growth")
    now = utc_now()
    invoice = InvoiceFactory(
        tenant_id=tenant.id, plan_version_id=version.id, period=period, status=status,
        number=f"INV-2025-0000{period[-2:]}", issued_at=now - timedelta(days=40),
        due_at=now + timedelta(days=due_in_days), **fields,
    )  # fmt: skip
    if status is InvoiceStatus.DRAFT:  # not finalized: no number, issue or due time yet
        invoice.number = invoice.issued_at = invoice.due_at = None
    if status is InvoiceStatus.PAID:
        invoice.paid_at = now
    await save(session, invoice)
    return invoice


def test_days_overdue_count_whole_days_past_due_and_buckets_split_at_30_60_90():
    due = datetime(2026, 10, 1, 12, tzinfo=UTC)
    assert days_overdue(due, due - timedelta(days=3)) == 0
    assert days_overdue(None, due) == 0
    assert days_overdue(due, due + timedelta(hours=23)) == 0
    assert days_overdue(due, due + timedelta(days=1)) == 1
    assert days_overdue(due, due + timedelta(days=31, hours=5)) == 31
    assert [bucket_of(d) for d in (0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+",
    ]  # fmt: skip


async def test_owed_invoices_of_every_tenant_are_aged_and_totalled_per_currency_and_bucket(app, client, admin_session):
    acme = await subscribed_tenant(admin_session, "growth")
    beta = await subscribed_tenant(admin_session, "growth")
    await _invoice(admin_session, acme, "2026-08", InvoiceStatus.OPEN, due_in_days=5)  # current
    await _invoice(
        admin_session, acme, "2026-07", InvoiceStatus.OPEN, due_in_days=-10.5, amount_paid=900, amount_due=99000
    )
    await _invoice(admin_session, beta, "2026-06", InvoiceStatus.UNCOLLECTIBLE, due_in_days=-100, currency="EUR")
    await _invoice(admin_session, beta, "2026-07", InvoiceStatus.OPEN, due_in_days=-45)
    # Not owed: paid, a draft, and an open invoice credited down to nothing.
    await _invoice(
        admin_session, beta, "2026-05", InvoiceStatus.PAID, due_in_days=-120, amount_paid=99900, amount_due=0
    )
    await _invoice(admin_session, acme, "2026-09", InvoiceStatus.DRAFT, due_in_days=10)
    await _invoice(
        admin_session, acme, "2026-04", InvoiceStatus.OPEN, due_in_days=-200, amount_credited=99900, amount_due=0
    )
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    answer = await client.get(RECEIVABLES, headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert answer.status_code == 200, answer.text
    body = answer.json()
    rows = [(r["tenant_slug"], r["period"], r["status"], r["days_overdue"], r["bucket"]) for r in body["items"]]
    assert rows == [
        (beta.slug, "2026-06", "uncollectible", 100, "90+"),
        (beta.slug, "2026-07", "open", 45, "31-60"),
        (acme.slug, "2026-07", "open", 10, "1-30"),
        (acme.slug, "2026-08", "open", 0, "current"),
    ]
    assert body["items"][2]["amount_due"] == 99900 - 900 and body["items"][2]["total"] == 99900
    assert body["items"][0]["tenant_name"] == beta.name
    assert body["total"] == 4
    assert [(t["currency"], t["bucket"], t["invoices"], t["amount_due"]) for t in body["totals"]] == [
        ("EUR", "90+", 1, 99900),
        ("USD", "current", 1, 99900),
        ("USD", "1-30", 1, 99000),
        ("USD", "31-60", 1, 99900),
    ]


async def test_a_page_and_one_named_tenant_narrow_the_rows_but_totals_cover_everything_chosen(
    app, client, admin_session
):
    acme = await subscribed_tenant(admin_session, "growth")
    beta = await subscribed_tenant(admin_session, "growth")
    for period, days in (("2026-06", -70), ("2026-07", -40), ("2026-08", -5)):
        await _invoice(admin_session, acme, period, InvoiceStatus.OPEN, due_in_days=days)
    await _invoice(admin_session, beta, "2026-07", InvoiceStatus.OPEN, due_in_days=-40)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = {**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": str(acme.id)}

    page = (await client.get(RECEIVABLES, params={"limit": 1, "offset": 1}, headers=headers)).json()

    assert [(r["tenant_slug"], r["period"]) for r in page["items"]] == [(acme.slug, "2026-07")]
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
    assert [(t["bucket"], t["invoices"]) for t in page["totals"]] == [("1-30", 1), ("31-60", 1), ("61-90", 1)]


async def test_tenant_users_and_agents_are_refused_the_receivables(app, client, admin_session):
    acme = await subscribed_tenant(admin_session, "growth")
    await _invoice(admin_session, acme, "2026-07", InvoiceStatus.OPEN, due_in_days=-40)
    client_admin = await client_user(admin_session, acme, Role.CLIENT_ADMIN)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT)

    as_client = await client.get(RECEIVABLES, headers=bearer(app, client_admin, Role.CLIENT_ADMIN, acme.id))
    as_agent = await client.get(RECEIVABLES, headers=bearer(app, agent, Role.PROVIDER_AGENT))

    assert (as_client.status_code, as_agent.status_code) == (403, 403)
    assert acme.slug not in as_client.text + as_agent.text
