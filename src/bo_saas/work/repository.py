"""Work items as the caller may see them: "get visible or 404", the list's filters and sorting, agents who serve.

RLS keeps tenants apart; ``WorkItems.visible`` keeps a client member to their
own items and the ones shared with every member, for a lookup and a list
alike. An API client is the tenant's own system acting for the company, so it
sees what an admin sees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, ColumnElement, Uuid, any_, bindparam, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import StaffAssignment, StaffProfile
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.listing import Sorting
from bo_saas.lib.repository import TenantRepository
from bo_saas.work.errors import InvalidWorkRequest, WorkItemNotFound
from bo_saas.work.models import Priority, SlaStatus, WorkItem, WorkState

ITEM_SORTING = Sorting(
    keys={
        "due_at": (WorkItem.queue_due_at, WorkItem.created_at),
        "created_at": (WorkItem.created_at,),
        "priority": (WorkItem.priority, WorkItem.created_at),
    },
    default="-created_at",
    tiebreak=(WorkItem.id,),
    nulls_last=True,  # an item with no due time is never the most urgent, whichever way the list runs
)


class WorkItems(TenantRepository[WorkItem]):
    model = WorkItem
    not_found = WorkItemNotFound
    not_found_message = "No such work item"

    def visible(self) -> ColumnElement[bool] | None:
        return _own_or_shared(self.caller.account_id) if _sees_only_own(self.caller) else None


def visible_items(caller: Caller) -> ColumnElement[bool] | bool:
    """The visibility rule for statements that join work items (the SLA board)."""
    rule = WorkItems(caller).visible()
    return True if rule is None else rule


def _sees_only_own(caller: Caller | None) -> bool:
    """Whether the caller sees only its own items and shared ones (a client member); else RLS is the whole rule."""
    return caller is not None and caller.role is Role.CLIENT_MEMBER and caller.api_client_id is None


def _own_or_shared(account_id: Any) -> ColumnElement[bool]:
    return or_(WorkItem.requester_id == account_id, WorkItem.shared.is_(True))


# The list's conditions by name, each reading its values from bind parameters of fixed names. A statement
# depends only on which conditions apply (``ItemFilters.names``), so a hot list compiles it once per
# combination and binds each request's values (``ItemFilters.values``); no value is ever baked into SQL.
_CONDITIONS: dict[str, Callable[[], ColumnElement[bool]]] = {
    "visible_to": lambda: _own_or_shared(bindparam("visible_to", type_=Uuid())),
    "states": lambda: WorkItem.state == any_(bindparam("states", type_=ARRAY(WorkItem.state.type))),
    "service_type": lambda: WorkItem.service_type == bindparam("service_type"),
    "priority": lambda: WorkItem.priority == bindparam("priority"),
    "sla_status": lambda: WorkItem.sla_status == bindparam("sla_status"),
    "assignee": lambda: WorkItem.assignee_id == bindparam("assignee"),
    "q": lambda: or_(
        WorkItem.search.op("@@")(func.websearch_to_tsquery(literal_column("'simple'"), bindparam("q"))),
        WorkItem.title.ilike(bindparam("q_like"), escape="\\"),
    ),
}


@dataclass(frozen=True, slots=True)
class ItemFilters:
    """The conditions a list applies (visibility included), by name, and their parameters' values by bind name."""

    names: tuple[str, ...]
    values: dict[str, Any]

    def conditions(self) -> list[ColumnElement[bool]]:
        """The SQL of the conditions; it reads ``values`` from bind parameters (``Select.params(values)``)."""
        return [_CONDITIONS[name]() for name in self.names]


def item_filters(
    caller: Caller,
    *,
    states: Sequence[WorkState] | None = None,
    service_type: str | None = None,
    priority: Priority | None = None,
    sla_status: SlaStatus | None = None,
    assignee: str | None = None,
    q: str | None = None,
) -> ItemFilters:
    """The list's conditions for the caller's visibility (as ``WorkItems.visible``) and the filters asked for.

    Values are plain strings and ids, as asyncpg takes them (enum members are their values).
    """
    values: dict[str, Any] = {}
    if _sees_only_own(caller):
        values["visible_to"] = caller.account_id  # present even if None: the rule then matches shared items only
    if states:
        values["states"] = [str(state) for state in states]
    if service_type:
        values["service_type"] = service_type
    if priority:
        values["priority"] = str(priority)
    if sla_status:
        values["sla_status"] = str(sla_status)
    if assignee:
        values["assignee"] = _account_reference(caller, assignee)
    if q and q.strip():
        values["q"] = q
        values["q_like"] = f"%{_escape_like(q.strip())}%"
    # _CONDITIONS's order, so that one combination of filters is always one statement.
    names = tuple(name for name in _CONDITIONS if name in values)  # by key: a None value still applies
    return ItemFilters(names=names, values=values)


async def serves_tenant(session: AsyncSession, tenant_id: UUID, account_id: UUID) -> bool:
    """Whether the account is provider staff assigned to the tenant (who may be handed its items)."""
    found = await session.scalar(
        select(StaffAssignment.account_id)
        .join(StaffProfile, StaffProfile.account_id == StaffAssignment.account_id)
        .where(StaffAssignment.tenant_id == tenant_id, StaffAssignment.account_id == account_id)
    )
    return found is not None


def _account_reference(caller: Caller, reference: str) -> UUID:
    if reference == "me":
        if caller.account_id is None:
            raise InvalidWorkRequest("assignee=me needs a person's token")
        return caller.account_id
    try:
        return UUID(reference)
    except ValueError:
        raise InvalidWorkRequest("assignee must be 'me' or an account id") from None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
