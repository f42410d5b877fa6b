"""Work items as the caller may see them: "get visible or 404", the list's filters and sorting, agents who serve.

RLS keeps tenants apart; ``WorkItems.visible`` keeps a client member to their
own items and the ones shared with every member, for a lookup and a list
alike. An API client is the tenant's own system acting for the company, so it
sees what an admin sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select
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
        caller = self.caller
        if caller.role is Role.CLIENT_MEMBER and caller.api_client_id is None:
            return or_(WorkItem.requester_id == caller.account_id, WorkItem.shared.is_(True))
        return None


def visible_items(caller: Caller) -> ColumnElement[bool] | bool:
    """The visibility rule for statements that join work items (the SLA board)."""
    rule = WorkItems(caller).visible()
    return True if rule is None else rule


def item_filters(
    caller: Caller,
    *,
    states: Sequence[WorkState] | None = None,
    service_type: str | None = None,
    priority: Priority | None = None,
    sla_status: SlaStatus | None = None,
    assignee: str | None = None,
    q: str | None = None,
) -> list[ColumnElement[bool]]:
    """The list's conditions for the filters asked for (the caller's visibility comes from ``WorkItems``)."""
    conditions = []
    if states:
        conditions.append(WorkItem.state.in_(states))
    if service_type:
        conditions.append(WorkItem.service_type == service_type)
    if priority:
        conditions.append(WorkItem.priority == priority)
    if sla_status:
        conditions.append(WorkItem.sla_status == sla_status)
    if assignee:
        conditions.append(WorkItem.assignee_id == _account_reference(caller, assignee))
    if q and q.strip():
        conditions.append(
            or_(
                WorkItem.search.op("@@")(func.websearch_to_tsquery("simple", q)),
                WorkItem.title.ilike(f"%{_escape_like(q.strip())}%", escape="\\"),
            )
        )
    return conditions


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
