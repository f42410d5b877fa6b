"""A finalized invoice never changes: the database refuses it, to the application's own runtime role too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from bo_saas.billing.models import Invoice, InvoiceLine, InvoiceStatus
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from tests.billing.helpers import InvoiceFactory, InvoiceLineFactory, subscribed_tenant, version_of
from tests.factories import save


async def _invoice(admin_session, status: InvoiceStatus = InvoiceStatus.OPEN):
    tenant = await subscribed_tenant(admin_session)
    version = await version_of(admin_session, "growth")
    invoice = InvoiceFactory(tenant_id=tenant.id, plan_version_id=version.id)
    await save(admin_session, invoice)
    await save(admin_session, InvoiceLineFactory(tenant_id=tenant.id, invoice_id=invoice.id, position=1))
    if status is not InvoiceStatus.DRAFT:
        now = utc_now()
        invoice.status, invoice.number = status, "INV-2026-000001"
        invoice.issued_at, invoice.due_at = now, now + timedelta(days=14)
        await admin_session.commit()
    return tenant, invoice


async def _as_runtime(runtime_sessionmaker, tenant_id, statement) -> None:
    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant_id))
        async with session.begin():
            await session.execute(statement)


def _refused(raised: pytest.ExceptionInfo) -> str:
    assert raised.value.orig.sqlstate == "23001", raised.value  # restrict_violation: a 409 at the API
    return str(raised.value.orig)


@pytest.mark.parametrize(
    "change",
    [
        {"total": 1, "subtotal": 1},
        {"number": "INV-2026-000002"},
        {"period": "2026-09"},
        {"due_at": utc_now() + timedelta(days=90)},
        {"status": InvoiceStatus.DRAFT},
    ],
    ids=["money", "number", "period", "due date", "back to draft"],
)
async def test_the_runtime_role_cannot_change_a_finalized_invoice(change, admin_session, runtime_sessionmaker):
    tenant, invoice = await _invoice(admin_session)
    statement = update(Invoice).where(Invoice.tenant_id == tenant.id, Invoice.id == invoice.id).values(**change)

    with pytest.raises(DBAPIError) as raised:
        await _as_runtime(runtime_sessionmaker, tenant.id, statement)

    assert "finalized" in _refused(raised) or "cannot go from open to draft" in _refused(raised)


async def test_the_runtime_role_cannot_delete_a_finalized_invoice_or_touch_its_lines(
    admin_session, runtime_sessionmaker
):
    tenant, invoice = await _invoice(admin_session)
    of_invoice = (InvoiceLine.tenant_id == tenant.id, InvoiceLine.invoice_id == invoice.id)
    attempts = [
        delete(Invoice).where(Invoice.tenant_id == tenant.id, Invoice.id == invoice.id),
        delete(InvoiceLine).where(*of_invoice),
        update(InvoiceLine).where(*of_invoice).values(amount=1),
        InvoiceLine.__table__.insert().values(
            tenant_id=tenant.id,
            invoice_id=invoice.id,
            position=2,
            kind="charge",
            description="extra",
            quantity=1,
            unit_price="1.00",
            amount=100,
        ),  # fmt: skip
    ]

    for statement in attempts:
        with pytest.raises(DBAPIError) as raised:
            await _as_runtime(runtime_sessionmaker, tenant.id, statement)
        _refused(raised)

    lines = await admin_session.scalars(select(InvoiceLine.amount).where(*of_invoice))
    assert list(lines) == [99900]


async def test_a_finalized_invoice_may_still_be_paid(admin_session, runtime_sessionmaker):
    tenant, invoice = await _invoice(admin_session)
    paid_at = utc_now()

    await _as_runtime(
        runtime_sessionmaker,
        tenant.id,
        update(Invoice)
        .where(Invoice.tenant_id == tenant.id, Invoice.id == invoice.id)
        .values(status=InvoiceStatus.PAID, amount_paid=invoice.total, amount_due=0, paid_at=paid_at),
    )

    await admin_session.refresh(invoice)
    assert (invoice.status, invoice.amount_due, invoice.paid_at) == (InvoiceStatus.PAID, 0, paid_at)


async def test_a_draft_may_be_recomputed_and_deleted(admin_session, runtime_sessionmaker):
    tenant, invoice = await _invoice(admin_session, InvoiceStatus.DRAFT)
    of_invoice = (InvoiceLine.tenant_id == tenant.id, InvoiceLine.invoice_id == invoice.id)

    await _as_runtime(runtime_sessionmaker, tenant.id, update(InvoiceLine).where(*of_invoice).values(amount=5))
    await _as_runtime(
        runtime_sessionmaker, tenant.id, delete(Invoice).where(Invoice.tenant_id == tenant.id, Invoice.id == invoice.id)
    )

    assert await admin_session.scalar(select(InvoiceLine.amount).where(*of_invoice)) is None
