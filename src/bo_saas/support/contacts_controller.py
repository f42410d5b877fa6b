"""``/api/v1/support/contacts``: the tenant's customers who wrote in (made by inbound mail, never by hand)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib import limits
from bo_saas.lib.guards import requires_admin_or_staff
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.support.contacts import Contacts, contact_view, list_contacts
from bo_saas.support.schemas import ContactOut


class ContactController(Controller):
    path = "/api/v1/support/contacts"
    tags = ["support"]
    guards = [requires_admin_or_staff]

    @get("/", summary="List the customers who wrote in", description="Newest first; q searches email and name.")
    async def list_contacts(
        self,
        db: AsyncSession,
        page: PageRequest,
        q: Annotated[
            str | None, QueryParameter(max_length=limits.SEARCH, description="part of an email or name")
        ] = None,
    ) -> OffsetPagination[ContactOut]:
        return await list_contacts(db, page, q)

    @get("/{contact_id:uuid}", summary="One customer, with their ticket count and whether mail to them bounces")
    async def get_contact(self, request: Request, db: AsyncSession, contact_id: UUID) -> ContactOut:
        contact = await Contacts(request.user).get(db, contact_id)
        return await contact_view(db, contact.id)
