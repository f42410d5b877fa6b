"""Late usage: work done in a period whose invoice was finalized is billed on the next invoice, once, by its period."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bo_saas.billing.invoices import finalize
from bo_saas.billing.models import Invoice, InvoiceLine
from bo_saas.billing.runs import run_billing
from bo_saas.lib.caller import Role
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from tests.auth import bearer
from tests.billing.helpers import subscribed_tenant, use
from tests.factories import client_user

NOW = datetime(2027, 1, 5, 9, tzinfo=UTC)
TICKETS = "support.tickets"  # growth: 1,000 included, then 1.20 each (tests/billing/helpers and plans/growth.toml)


async def _finalize(runtime_sessionmaker, tenant, period: str) -> str:
    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        async with session.begin():
            invoice = await session.scalar(select(Invoice).where(Invoice.period == period))
            return (await finalize(session, None, tenant, invoice.id, NOW)).number


async def _lines(admin_session, tenant, period: str) -> list[tuple[str, str, int, int]]:
    rows = await admin_session.execute(
        select(InvoiceLine.kind, InvoiceLine.description, InvoiceLine.quantity, InvoiceLine.amount)
        .join(Invoice, (Invoice.tenant_id == InvoiceLine.tenant_id) & (Invoice.id == InvoiceLine.invoice_id))
        .where(Invoice.tenant_id == tenant.id, Invoice.period == period)
        .order_by(InvoiceLine.position)
    )
    await admin_session.commit()
    return [tuple(row) for row in rows]


async def test_usage_after_finalizing_is_a_line_of_the_next_invoice_naming_its_period(
    app, client, admin_session, runtime_sessionmaker
):
    tenant = await subscribed_tenant(admin_session, "growth")
    await use(admin_session, tenant, TICKETS, 1000, datetime(2026, 10, 10, tzinfo=UTC))
    await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)
    october = await _finalize(runtime_sessionmaker, tenant, "2026-10")
    # Ten tickets of October are done after its invoice was finalized: past the 1,000 included.
    await use(admin_session, tenant, TICKETS, 10, datetime(2026, 10, 30, tzinfo=UTC))

    await run_billing(runtime_sessionmaker, period="2026-11", now=NOW)
    rerun = await run_billing(runtime_sessionmaker, period="2026-11", now=NOW)

    late = [line for line in await _lines(admin_session, tenant, "2026-11") if line[0] == "late_usage"]
    assert late == [
        ("late_usage", f"Late usage for 2026-10 ({october} billed 1000): {TICKETS} 10 more, 1010 in all", 10, 1200)
    ]
    assert [r.outcome for r in rerun.results] == ["unchanged"]
    assert all(kind != "late_usage" for kind, *_ in await _lines(admin_session, tenant, "2026-10"))
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    listed = await client.get("/api/v1/invoices", headers=bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id))
    assert listed.status_code == 200, listed.text
    [november] = [invoice for invoice in listed.json()["items"] if invoice["period"] == "2026-11"]
    shown = await client.get(
        f"/api/v1/invoices/{november['id']}", headers=bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id)
    )
    assert shown.status_code == 200, shown.text
    assert [line["kind"] for line in shown.json()["lines"]][-1] == "late_usage"


async def test_late_usage_is_billed_once_across_invoices_and_tiers_go_on_where_they_stopped(
    admin_session, runtime_sessionmaker
):
    tenant = await subscribed_tenant(admin_session, "growth")
    await use(admin_session, tenant, TICKETS, 990, datetime(2026, 10, 10, tzinfo=UTC))
    await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)
    await _finalize(runtime_sessionmaker, tenant, "2026-10")
    # 20 late: 10 still within the 1,000 included (free), 10 past them.
    await use(admin_session, tenant, TICKETS, 20, datetime(2026, 10, 20, tzinfo=UTC))
    await run_billing(runtime_sessionmaker, period="2026-11", now=NOW)
    await _finalize(runtime_sessionmaker, tenant, "2026-11")
    # Five more of October arrive after November's invoice carried the first twenty.
    await use(admin_session, tenant, TICKETS, 5, datetime(2026, 10, 21, tzinfo=UTC))

    await run_billing(runtime_sessionmaker, period="2026-12", now=NOW)

    november = [line[2:] for line in await _lines(admin_session, tenant, "2026-11") if line[0] == "late_usage"]
    december = [line[2:] for line in await _lines(admin_session, tenant, "2026-12") if line[0] == "late_usage"]
    assert november == [(20, 1200)]  # 10 free + 10 at 1.20
    assert december == [(5, 600)]  # only the five not billed before
