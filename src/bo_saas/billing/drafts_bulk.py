"""Many tenants' drafts of one period saved at once: a fixed number of statements for a whole chunk of tenants.

The same outcomes as ``invoices.save_draft`` for each tenant (created,
recomputed, unchanged, or a finalized invoice left alone), with the same
guarantees: a draft found is locked before it is compared or changed, and a new
one is inserted with ``ON CONFLICT DO NOTHING`` on ``(tenant_id, period)``. The
few that lose a race with another run (their insert found a row that appeared
meanwhile) go through ``save_draft`` one by one, which finds and compares them.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.invoice_builder import BuiltInvoice
from bo_saas.billing.invoices import DraftOutcome, line_rows, money_columns, same_as_built, save_draft
from bo_saas.billing.models import Invoice, InvoiceLine, InvoiceStatus
from bo_saas.tenancy.models import Tenant


async def save_drafts(
    session: AsyncSession, built: Sequence[tuple[Tenant, BuiltInvoice]]
) -> dict[UUID, tuple[Invoice | None, DraftOutcome]]:
    """Each tenant's outcome (and its invoice, None for one just created in bulk), keyed by tenant id."""
    outcomes: dict[UUID, tuple[Invoice | None, DraftOutcome]] = {}
    if not built:
        return outcomes
    keys = [(tenant.id, invoice.period.label) for tenant, invoice in built]
    existing = {
        (invoice.tenant_id, invoice.period): invoice
        for invoice in await session.scalars(
            select(Invoice)
            .where(tuple_(Invoice.tenant_id, Invoice.period).in_(keys))
            .order_by(Invoice.tenant_id)  # one lock order for every run
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    drafts = [invoice for invoice in existing.values() if invoice.status is InvoiceStatus.DRAFT]
    stored_lines: dict[UUID, list[InvoiceLine]] = {invoice.id: [] for invoice in drafts}
    if drafts:
        for line in await session.scalars(
            select(InvoiceLine)
            .where(tuple_(InvoiceLine.tenant_id, InvoiceLine.invoice_id).in_([(d.tenant_id, d.id) for d in drafts]))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        ):
            stored_lines[line.invoice_id].append(line)

    new: list[tuple[Tenant, BuiltInvoice]] = []
    recompute: list[tuple[Invoice, BuiltInvoice]] = []
    for tenant, invoice in built:
        found = existing.get((tenant.id, invoice.period.label))
        if found is None:
            new.append((tenant, invoice))
        elif found.status is not InvoiceStatus.DRAFT:
            outcomes[tenant.id] = (found, DraftOutcome.FINALIZED)
        elif same_as_built(found, stored_lines[found.id], invoice):
            outcomes[tenant.id] = (found, DraftOutcome.UNCHANGED)
        else:
            recompute.append((found, invoice))

    if recompute:
        await session.execute(
            delete(InvoiceLine).where(
                tuple_(InvoiceLine.tenant_id, InvoiceLine.invoice_id).in_([(f.tenant_id, f.id) for f, _ in recompute])
            )
        )
        for found, invoice in recompute:
            for key, value in money_columns(invoice).items():
                setattr(found, key, value)
            session.add_all(line_rows(found.tenant_id, found.id, invoice.priced.lines))
            outcomes[found.tenant_id] = (found, DraftOutcome.RECOMPUTED)

    if new:
        rows = [
            {
                "tenant_id": tenant.id, "id": uuid4(), "period": invoice.period.label,
                "period_start": invoice.period.start, "period_end": invoice.period.end,
                "status": InvoiceStatus.DRAFT, "amount_paid": 0, **money_columns(invoice),
            }
            for tenant, invoice in new
        ]  # fmt: skip
        inserted = dict(
            (
                await session.execute(
                    insert(Invoice)
                    .values(rows)
                    .on_conflict_do_nothing(constraint="invoices_one_per_period")
                    .returning(Invoice.tenant_id, Invoice.id)
                )
            ).all()
        )
        for tenant, invoice in new:
            if tenant.id in inserted:
                session.add_all(line_rows(tenant.id, inserted[tenant.id], invoice.priced.lines))
                outcomes[tenant.id] = (None, DraftOutcome.CREATED)
    await session.flush()
    for tenant, invoice in new:
        if tenant.id not in outcomes:  # another run inserted it first: find it and compare, one by one
            outcomes[tenant.id] = await save_draft(session, tenant, invoice)
    return outcomes
