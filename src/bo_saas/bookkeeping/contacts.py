"""A tenant's contacts: customers it invoices and vendors that bill it, each with what is still open.

A contact's name is unique among its kind within the tenant (two customers
called "Acme" cannot be told apart on an aging report). Its kind never
changes: its invoices or bills are booked on the receivables or payables side.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.contact_models import Contact, ContactKind, OpenItem
from bo_saas.bookkeeping.contacts_schemas import ContactIn, ContactOut, ContactUpdate
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest, LedgerConflict
from bo_saas.bookkeeping.open_amounts import open_amounts
from bo_saas.lib.errors import NotFoundError
from bo_saas.lib.repository import TenantRepository


class ContactNotFound(NotFoundError):
    pass


class Contacts(TenantRepository[Contact]):
    model = Contact
    not_found = ContactNotFound
    not_found_message = "No such contact"


def _blank_to_none(value: str | None) -> str | None:
    return (value or "").strip() or None


async def _require_unique_name(session: AsyncSession, tenant_id: UUID, kind: ContactKind, name: str) -> None:
    taken = await session.scalar(
        select(exists().where(Contact.tenant_id == tenant_id, Contact.kind == kind, Contact.name == name))
    )
    if taken:
        raise LedgerConflict(f"There is already a {kind.value} called {name!r}", extra={"field": "name"})


async def create_contact(session: AsyncSession, tenant_id: UUID, data: ContactIn) -> Contact:
    name = data.name.strip()
    if not name:
        raise InvalidBookkeepingRequest("A contact needs a name", extra={"field": "name"})
    kind = ContactKind(data.kind)
    await _require_unique_name(session, tenant_id, kind, name)
    contact = Contact(
        id=uuid4(), tenant_id=tenant_id, kind=kind, name=name, email=_blank_to_none(data.email),
        tax_id=_blank_to_none(data.tax_id), payment_terms_days=data.payment_terms_days,
    )  # fmt: skip
    session.add(contact)
    await session.flush()
    return contact


async def update_contact(session: AsyncSession, contact: Contact, data: ContactUpdate) -> dict[str, dict]:
    """Apply the fields given; the differences, for the audit trail."""
    wanted: dict = {}
    if data.name is not None:
        wanted["name"] = data.name.strip()
        if not wanted["name"]:
            raise InvalidBookkeepingRequest("A contact needs a name", extra={"field": "name"})
    if data.email is not None:
        wanted["email"] = _blank_to_none(data.email)
    if data.tax_id is not None:
        wanted["tax_id"] = _blank_to_none(data.tax_id)
    if data.payment_terms_days is not None:
        wanted["payment_terms_days"] = data.payment_terms_days
    changes = {k: {"old": getattr(contact, k), "new": v} for k, v in wanted.items() if getattr(contact, k) != v}
    if "name" in changes:
        await _require_unique_name(session, contact.tenant_id, contact.kind, wanted["name"])
    for name, change in changes.items():
        setattr(contact, name, change["new"])
    await session.flush()
    return changes


async def contacts_out(session: AsyncSession, contacts: list[Contact]) -> list[ContactOut]:
    """The contacts with their open amounts (their items' amounts less live allocations), in two queries."""
    if not contacts:
        return []
    items = dict(
        (
            await session.execute(
                select(OpenItem.id, OpenItem.contact_id).where(
                    OpenItem.contact_id.in_([contact.id for contact in contacts])
                )
            )
        ).all()
    )
    open_by_item = await open_amounts(session, list(items))
    per_contact: dict[UUID, int] = {}
    for item_id, contact_id in items.items():
        per_contact[contact_id] = per_contact.get(contact_id, 0) + open_by_item[item_id].open_amount
    return [
        ContactOut(
            id=contact.id,
            kind=contact.kind.value,
            name=contact.name,
            email=contact.email,
            tax_id=contact.tax_id,
            payment_terms_days=contact.payment_terms_days,
            open_amount=per_contact.get(contact.id, 0),
        )  # fmt: skip
        for contact in contacts
    ]


def name_matches(text: str):
    """A case-insensitive search on the name (the list's ``q``)."""
    return func.lower(Contact.name).contains(text.strip().lower(), autoescape=True)
