"""``/api/v1/books/contacts`` (customers and vendors with what is open) and ``/api/v1/books/settings``.

The tenant's people read; its keepers (provider staff with the bookkeeping
skill) add and change contacts. Another tenant's contact answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from babel.numbers import get_currency_precision
from litestar import Controller, Request, get, patch, post
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping import contacts
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper
from bo_saas.bookkeeping.contact_models import Contact, ContactKind
from bo_saas.bookkeeping.contacts import Contacts, contacts_out, name_matches
from bo_saas.bookkeeping.contacts_schemas import (
    BookSettingsOut,
    ContactIn,
    ContactKindName,
    ContactOut,
    ContactUpdate,
)
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope


def _audit(db: AsyncSession, request: Request, contact: Contact, action: str, changes: dict) -> None:
    record_event(
        db, request, tenant_id=contact.tenant_id, action=action, subject_type="book_contact",
        subject_id=str(contact.id), changes={"name": contact.name, **changes},
    )  # fmt: skip


class ContactController(Controller):
    path = "/api/v1/books/contacts"
    tags = ["books"]

    @get("/", summary="List customers and vendors, by name, with what each has open")
    async def list_contacts(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        kind: Annotated[ContactKindName | None, Parameter(query="kind")] = None,
        q: Annotated[str | None, Parameter(query="q", max_length=200, description="part of the name")] = None,
    ) -> OffsetPagination[ContactOut]:
        book = await open_book(db, one_tenant(tenant_scope))
        filters = [Contact.tenant_id == book.tenant_id]
        if kind is not None:
            filters.append(Contact.kind == ContactKind(kind))
        if q and q.strip():
            filters.append(name_matches(q))
        return await list_page(
            db, Contacts().select(), page, filters=filters, order_by=(Contact.name, Contact.id),
            into=lambda rows: contacts_out(db, rows),
        )  # fmt: skip

    @post("/", summary="Add a customer or a vendor (bookkeepers)", guards=[requires_staff])
    async def create_contact(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: ContactIn
    ) -> ContactOut:
        tenant_id = one_tenant(tenant_scope)
        await require_keeper(db, request.user, tenant_id)
        await open_book(db, tenant_id)
        contact = await contacts.create_contact(db, tenant_id, data)
        _audit(db, request, contact, "book_contact.created", {"kind": contact.kind.value})
        return (await contacts_out(db, [contact]))[0]

    @get("/{contact_id:uuid}", summary="One contact with what it has open")
    async def get_contact(self, request: Request, db: AsyncSession, contact_id: UUID) -> ContactOut:
        return (await contacts_out(db, [await Contacts(request.user).get(db, contact_id)]))[0]

    @patch("/{contact_id:uuid}", summary="Change a contact's name, email, tax id or payment terms (bookkeepers)",
           guards=[requires_staff])  # fmt: skip
    async def update_contact(
        self, request: Request, db: AsyncSession, contact_id: UUID, data: ContactUpdate
    ) -> ContactOut:
        contact = await Contacts(request.user).get(db, contact_id, for_update=True)
        await require_keeper(db, request.user, contact.tenant_id)
        changes = await contacts.update_contact(db, contact, data)
        if changes:
            _audit(db, request, contact, "book_contact.updated", {k: {"old": str(v["old"]), "new": str(v["new"])}
                                                                  for k, v in changes.items()})  # fmt: skip
        return (await contacts_out(db, [contact]))[0]


class BookSettingsController(Controller):
    path = "/api/v1/books/settings"
    tags = ["books"]

    @get("/", summary="The book's settings: chart, base currency, fiscal year start, approval threshold")
    async def book_settings(self, db: AsyncSession, tenant_scope: TenantScope) -> BookSettingsOut:
        book = await open_book(db, one_tenant(tenant_scope))
        return BookSettingsOut(
            chart=book.chart, base_currency=book.base_currency, fiscal_year_start=book.fiscal_year_start,
            approval_threshold=book.approval_threshold, currency_digits=get_currency_precision(book.base_currency),
        )  # fmt: skip
