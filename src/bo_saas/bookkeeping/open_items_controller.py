"""``/api/v1/books/invoices``, ``/api/v1/books/bills`` and ``/api/v1/books/payments``: open items and payments.

Keepers record them (each is booked as a journal entry, posted or waiting for
approval above the threshold); the tenant's people read them. Lists filter by
``contact`` and by ``open=true`` (only what still has something open).
Another tenant's invoice, bill, payment or contact answers 404.
"""

from __future__ import annotations

from typing import Annotated, ClassVar
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper
from bo_saas.bookkeeping.contact_models import OpenItem, OpenItemKind, Payment
from bo_saas.bookkeeping.contacts_schemas import OpenItemIn, OpenItemOut, PaymentIn, PaymentOut
from bo_saas.bookkeeping.open_amounts import live_allocations, reversed_entry
from bo_saas.bookkeeping.open_items import OpenItemNotFound, OpenItems, contact_of_kind, create_item, items_out
from bo_saas.bookkeeping.payments import Payments, payments_out, record_payment
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope

ContactFilter = Annotated[UUID | None, Parameter(query="contact", description="only this contact's")]
OpenFilter = Annotated[bool, Parameter(query="open", description="only items with something still open")]


class _OpenItemRoutes(Controller):
    """Shared by invoices and bills; ``kind`` says which."""

    kind: ClassVar[OpenItemKind]
    tags = ["books"]

    async def _list(self, db, tenant_scope, page, contact, only_open) -> OffsetPagination[OpenItemOut]:
        book = await open_book(db, one_tenant(tenant_scope))
        filters = [OpenItem.tenant_id == book.tenant_id, OpenItem.kind == self.kind]
        if contact is not None:
            filters.append(OpenItem.contact_id == contact)
        if only_open:
            filters.append(OpenItem.id.in_(open_item_ids(book.tenant_id, self.kind)))
        return await list_page(
            db, OpenItems().select(), page, filters=filters,
            order_by=(OpenItem.due_date, OpenItem.issue_date, OpenItem.number, OpenItem.id),
            into=lambda rows: items_out(db, rows),
        )  # fmt: skip

    async def _create(self, request, db, tenant_scope, data: OpenItemIn) -> OpenItemOut:
        tenant_id = one_tenant(tenant_scope)
        await require_keeper(db, request.user, tenant_id)
        book = await open_book(db, tenant_id)
        contact = await contact_of_kind(db, request.user, data.contact, self.kind)
        item = await create_item(db, book, self.kind, contact, data, maker_id=request.user.actor_id, now=utc_now())
        record_event(
            db, request, tenant_id=tenant_id, action=f"book_{self.kind.value}.created",
            subject_type=f"book_{self.kind.value}", subject_id=str(item.id),
            changes={"number": item.number, "contact": contact.name, "amount": item.amount},
        )  # fmt: skip
        return (await items_out(db, [item]))[0]

    async def _get(self, request, db, item_id: UUID) -> OpenItemOut:
        item = await OpenItems(request.user).get(db, item_id)
        if item.kind is not self.kind:
            raise OpenItemNotFound(f"No such {self.kind.value}")
        return (await items_out(db, [item]))[0]


def open_item_ids(tenant_id: UUID, kind: OpenItemKind):
    """SQL: ids of the tenant's items of ``kind`` not reversed and not settled in full."""
    allocations = live_allocations().subquery()
    paid = (
        select(allocations.c.open_item_id, func.sum(allocations.c.amount).label("amount"))
        .group_by(allocations.c.open_item_id)
        .subquery()
    )
    return (
        select(OpenItem.id)
        .outerjoin(paid, paid.c.open_item_id == OpenItem.id)
        .where(
            OpenItem.tenant_id == tenant_id, OpenItem.kind == kind,
            ~reversed_entry(OpenItem.tenant_id, OpenItem.entry_id),
            func.coalesce(paid.c.amount, 0) < OpenItem.amount,
        )
    )  # fmt: skip


class InvoiceController(_OpenItemRoutes):
    path = "/api/v1/books/invoices"
    kind = OpenItemKind.INVOICE

    @get("/", summary="List sales invoices (receivables), by due date, with what is open")
    async def list_invoices(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest, contact: ContactFilter = None,
        only_open: OpenFilter = False,
    ) -> OffsetPagination[OpenItemOut]:  # fmt: skip
        return await self._list(db, tenant_scope, page, contact, only_open)

    @post("/", summary="Record a sales invoice: debit receivables, credit its lines (bookkeepers)",
          guards=[requires_staff])  # fmt: skip
    async def create_invoice(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: OpenItemIn
    ) -> OpenItemOut:
        return await self._create(request, db, tenant_scope, data)

    @get("/{item_id:uuid}", summary="One sales invoice with what is open")
    async def get_invoice(self, request: Request, db: AsyncSession, item_id: UUID) -> OpenItemOut:
        return await self._get(request, db, item_id)


class BillController(_OpenItemRoutes):
    path = "/api/v1/books/bills"
    kind = OpenItemKind.BILL

    @get("/", summary="List bills (payables), by due date, with what is open")
    async def list_bills(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest, contact: ContactFilter = None,
        only_open: OpenFilter = False,
    ) -> OffsetPagination[OpenItemOut]:  # fmt: skip
        return await self._list(db, tenant_scope, page, contact, only_open)

    @post("/", summary="Record a vendor's bill: credit payables, debit its lines (bookkeepers)",
          guards=[requires_staff])  # fmt: skip
    async def create_bill(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: OpenItemIn
    ) -> OpenItemOut:
        return await self._create(request, db, tenant_scope, data)

    @get("/{item_id:uuid}", summary="One bill with what is open")
    async def get_bill(self, request: Request, db: AsyncSession, item_id: UUID) -> OpenItemOut:
        return await self._get(request, db, item_id)


class PaymentController(Controller):
    path = "/api/v1/books/payments"
    tags = ["books"]

    @get("/", summary="List payments received and made, newest first")
    async def list_payments(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest, contact: ContactFilter = None
    ) -> OffsetPagination[PaymentOut]:
        book = await open_book(db, one_tenant(tenant_scope))
        filters = [Payment.tenant_id == book.tenant_id]
        if contact is not None:
            filters.append(Payment.contact_id == contact)
        return await list_page(
            db, Payments().select(), page, filters=filters,
            order_by=(Payment.payment_date.desc(), Payment.created_at.desc(), Payment.id),
            into=lambda rows: payments_out(db, rows),
        )  # fmt: skip

    @post("/", summary="Record a payment settling one or more invoices or bills of one contact (bookkeepers)",
          guards=[requires_staff])  # fmt: skip
    async def create_payment(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: PaymentIn
    ) -> PaymentOut:
        tenant_id = one_tenant(tenant_scope)
        await require_keeper(db, request.user, tenant_id)
        book = await open_book(db, tenant_id)
        payment = await record_payment(db, book, request.user, data, maker_id=request.user.actor_id, now=utc_now())
        record_event(
            db, request, tenant_id=tenant_id, action=f"book_payment.{payment.kind.value}",
            subject_type="book_payment", subject_id=str(payment.id),
            changes={"amount": payment.amount, "allocations": {str(a.item): a.amount for a in data.allocations}},
        )  # fmt: skip
        return (await payments_out(db, [payment]))[0]

    @get("/{payment_id:uuid}", summary="One payment with what it settled")
    async def get_payment(self, request: Request, db: AsyncSession, payment_id: UUID) -> PaymentOut:
        return (await payments_out(db, [await Payments(request.user).get(db, payment_id)]))[0]
