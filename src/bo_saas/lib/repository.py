"""A tenant-scoped repository: "get visible or 404", and the same visibility for lists.

Row-level security is the real guard between tenants: every statement runs in
a transaction whose tenant scope PostgreSQL enforces, so another tenant's row
is simply not there. A repository adds what RLS cannot know, a per-caller rule
inside one tenant (a client member sees their own and shared work items, a
person sees only their own notifications), declared once as SQL so a lookup
and a list can never disagree.

A thin base of our own: advanced-alchemy's repositories assume a single-column
primary key, while our tables are keyed ``(tenant_id, id)`` and looked up by id
under the tenant scope.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.lib.errors import NotFoundError

Row = TypeVar("Row")


class TenantRepository(Generic[Row]):
    """Subclasses name the model, the column ids are looked up by, and the not-found error and its message."""

    model: ClassVar[type]
    not_found: ClassVar[type[NotFoundError]] = NotFoundError
    not_found_message: ClassVar[str] = "Not found"

    def __init__(self, caller: Caller | None = None) -> None:
        # No caller: a job or the CLI acting for the platform, bound by RLS alone.
        self.caller = caller

    @classmethod
    def key(cls) -> Any:
        return cls.model.id

    def visible(self) -> ColumnElement[bool] | None:
        """The per-caller rule, as SQL; None when RLS's tenant scope is the whole rule."""
        return None

    def select(self) -> Select:
        """The model's rows the caller may see (a list starts from this)."""
        statement = select(self.model)
        rule = self.visible() if self.caller is not None else None
        return statement if rule is None else statement.where(rule)

    async def find(self, session: AsyncSession, id: UUID, *, for_update: bool = False) -> Row | None:
        statement = self.select().where(self.key() == id)
        if for_update:
            statement = statement.with_for_update()
        return (await session.execute(statement)).scalar()

    async def get(self, session: AsyncSession, id: UUID, *, for_update: bool = False) -> Row:
        """The row if the caller may see it; the domain's not-found error otherwise (never "forbidden")."""
        row = await self.find(session, id, for_update=for_update)
        if row is None:
            raise self.not_found(self.not_found_message)
        return row
