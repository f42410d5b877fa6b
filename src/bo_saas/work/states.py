"""The work item state machine: which changes exist, and who may make each.

    new -> queued -> in_progress <-> waiting_on_client
                     in_progress -> in_review -> done  (done may be reopened by the client)
    rejected (by the provider) and cancelled (by the client) from the open states

A caller acts on an item in one or more capacities (the tenant's side, provider
staff, the item's assignee, a provider admin, a reviewer who is not the
assignee); a change is allowed when the caller holds one of its capacities.
Some changes have their own route because they do more than change the state.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from uuid import UUID

from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.work.models import WorkItem, WorkState

S = WorkState


class Capacity(enum.StrEnum):
    CLIENT = "client"  # the tenant's people and API clients
    STAFF = "staff"  # any provider staff member serving the tenant
    ASSIGNEE = "assignee"  # the staff member holding the item
    ADMIN = "provider_admin"
    REVIEWER = "reviewer"  # staff who are not the item's assignee


C = Capacity
# How long after it is done the client may reopen an item (after that: a new request).
REOPEN_WINDOW = timedelta(days=7)
OPEN_STATES = frozenset({S.NEW, S.QUEUED, S.IN_PROGRESS, S.WAITING_ON_CLIENT, S.IN_REVIEW})
CLOSED_STATES = frozenset({S.DONE, S.REJECTED, S.CANCELLED})

RULES: dict[tuple[WorkState, WorkState], frozenset[Capacity]] = {
    (S.NEW, S.QUEUED): frozenset({C.CLIENT}),
    (S.QUEUED, S.IN_PROGRESS): frozenset({C.STAFF}),
    (S.IN_PROGRESS, S.WAITING_ON_CLIENT): frozenset({C.ASSIGNEE, C.ADMIN}),
    (S.WAITING_ON_CLIENT, S.IN_PROGRESS): frozenset({C.CLIENT, C.ASSIGNEE, C.ADMIN}),
    (S.IN_PROGRESS, S.IN_REVIEW): frozenset({C.ASSIGNEE, C.ADMIN}),
    (S.IN_PROGRESS, S.DONE): frozenset({C.ASSIGNEE, C.ADMIN}),
    (S.IN_PROGRESS, S.QUEUED): frozenset({C.ASSIGNEE, C.ADMIN}),  # release back to the queue
    (S.IN_REVIEW, S.DONE): frozenset({C.REVIEWER}),
    (S.IN_REVIEW, S.IN_PROGRESS): frozenset({C.REVIEWER}),  # sent back for rework
    (S.DONE, S.QUEUED): frozenset({C.CLIENT}),  # reopened, within the reopen window
    **{(state, S.REJECTED): frozenset({C.STAFF}) for state in OPEN_STATES - {S.NEW}},
    **{(state, S.CANCELLED): frozenset({C.CLIENT, C.ADMIN}) for state in OPEN_STATES},
}

# Changes that carry more than a state, made through their own route.
DEDICATED_ROUTES: dict[tuple[WorkState, WorkState], str] = {
    (S.QUEUED, S.IN_PROGRESS): "POST /api/v1/queue/claim (or an admin's PUT .../assignee)",
    (S.IN_REVIEW, S.DONE): "POST /api/v1/work-items/{id}/review",
    (S.IN_REVIEW, S.IN_PROGRESS): "POST /api/v1/work-items/{id}/review",
}
# Changes whose reason the other side needs to read.
REASON_REQUIRED = frozenset({(S.IN_PROGRESS, S.WAITING_ON_CLIENT)} | {k for k in RULES if k[1] is S.REJECTED})


def capacities(caller: Caller, item: WorkItem) -> frozenset[Capacity]:
    if not caller.is_staff:
        return frozenset({C.CLIENT})
    held = {C.STAFF}
    if caller.account_id is not None and caller.account_id == item.assignee_id:
        held.add(C.ASSIGNEE)
    else:
        held.add(C.REVIEWER)
    if caller.role is Role.PROVIDER_ADMIN:
        held.add(C.ADMIN)
    return frozenset(held)


def allowed_targets(caller: Caller, item: WorkItem, *, include_dedicated: bool = False) -> list[WorkState]:
    held = capacities(caller, item)
    return [
        to
        for (source, to), who in RULES.items()
        if source is item.state
        and who & held
        and (include_dedicated or (source, to) not in DEDICATED_ROUTES)
        and ((source, to) != (S.DONE, S.QUEUED) or within_reopen_window(item))
    ]


def within_reopen_window(item: WorkItem, now: datetime | None = None) -> bool:
    return item.resolved_at is not None and (now or utc_now()) - item.resolved_at <= REOPEN_WINDOW


def is_assignee(caller: Caller, assignee_id: UUID | None) -> bool:
    return caller.account_id is not None and caller.account_id == assignee_id
