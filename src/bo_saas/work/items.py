"""What happens to a work item: created, moved through its states, commented on, reviewed.

Every state change goes through ``move``: it checks the rule, records the
transition, keeps the SLA clocks and their timers in step, and tells the
tenant (webhook) and the requester (notification). Routes only decide which
change the caller asked for.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, ApiClient
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.changes import apply_changes
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError
from bo_saas.notify.notifications import notify
from bo_saas.notify.webhooks import publish_event
from bo_saas.tenancy.calendars import business_time_for
from bo_saas.tenancy.models import Tenant
from bo_saas.work import clocks, desks, states
from bo_saas.work.catalog import offered_service
from bo_saas.work.clocks import due_instants
from bo_saas.work.errors import InvalidWorkRequest, TransitionRefused, WorkRefused
from bo_saas.work.forms import FormError, clean_payload
from bo_saas.work.lifecycle import sla_hooks
from bo_saas.work.models import Comment, Priority, QaSampling, SlaStatus, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.repository import serves_tenant
from bo_saas.work.views import ItemLike

S = WorkState


async def create_item(
    session: AsyncSession,
    caller: Caller | None,  # None: the platform on the tenant's behalf (a desk's inbound channel, e.g. mail)
    tenant: Tenant,
    *,
    service_type: str,
    title: str,
    payload: dict[str, Any],
    priority: Priority,
    submit: bool,
) -> WorkItem:
    offer = await offered_service(session, tenant, service_type)
    if offer is None:
        raise InvalidWorkRequest(
            f"Service {service_type!r} is not available to {tenant.name} (see GET /api/v1/service-types)"
        )
    try:
        cleaned = clean_payload(offer.form_schema, payload)
    except FormError as exc:
        raise InvalidWorkRequest("The request does not match its form", extra={"problems": exc.problems}) from None
    if submit:
        # Read before anything is added: a read would autoflush the item as ``new`` and then update it.
        calendar = await business_time_for(session, tenant.id)
        targets = await sla_hooks().targets_for(session, tenant, offer.code, priority)
    now = utc_now()
    item = WorkItem(
        id=uuid4(),
        tenant_id=tenant.id,
        service_type=offer.code,
        skill_code=offer.skill_code,
        title=title.strip(),
        payload=cleaned,
        priority=priority,
        state=S.NEW,
        sla_status=SlaStatus.OK,
        requester_id=caller.account_id if caller else None,
        requester_client_id=caller.api_client_id if caller else None,
        created_at=now,
        updated_at=now,
    )
    created = event_data(item)
    session.add(item)
    _record_transition(session, item, None, S.NEW, caller, None, now)
    if submit:
        # Submitted at once: what ``move`` to queued does, but written in the item's one INSERT; the
        # history still reads new -> queued.
        queued_at = item.queued_at = item.updated_at = utc_now()
        item.state = S.QUEUED
        _record_transition(session, item, S.NEW, S.QUEUED, caller, None, queued_at)
        clocks.start(item, targets, calendar, queued_at)
    await session.flush()
    await publish_event(session, tenant.id, "work_item.created", created)
    if submit:
        await sla_hooks().due_times_changed(session, item, set())
        await publish_state_change(session, item, S.NEW, None)
    return item


def change_item(caller: Caller, item: WorkItem, *, title: str | None, shared: bool | None) -> dict[str, dict]:
    """Rename an item or share it with every member of the tenant; the changes made, for the audit trail."""
    if shared is not None and shared != item.shared and caller.role is not Role.CLIENT_ADMIN:
        raise WorkRefused("Only the tenant's admins share items with every member")
    title = title.strip() if title is not None else None
    if title is not None and title != item.title and (caller.is_staff or item.state not in (S.NEW, S.QUEUED)):
        raise WorkRefused("The requester renames an item only before work on it starts")
    changes = apply_changes(item, {"shared": shared, "title": title})
    if changes:
        item.updated_at = utc_now()
    return changes


async def assign(session: AsyncSession, caller: Caller, item: WorkItem, assignee_id: UUID) -> UUID | None:
    """Hand the item to an agent who serves its tenant (a queued item starts); the previous assignee."""
    if item.state not in (S.QUEUED, S.IN_PROGRESS, S.WAITING_ON_CLIENT):
        raise TransitionRefused(f"An item in {item.state} has no agent to change", [])
    if not await serves_tenant(session, item.tenant_id, assignee_id):
        raise InvalidWorkRequest("That person is not staff assigned to this tenant")
    previous = item.assignee_id
    item.assignee_id = assignee_id
    if item.state is S.QUEUED:
        await move(session, item, S.IN_PROGRESS, caller=caller, reason="Assigned by an admin")
    return previous


async def request_transition(session: AsyncSession, caller: Caller, item: WorkItem, to: WorkState, reason: str | None):
    """A change asked for through ``POST .../transitions``: checked against the rules, then made."""
    key = (item.state, to)
    if key in states.DEDICATED_ROUTES and key in states.RULES:
        raise TransitionRefused(
            f"Use {states.DEDICATED_ROUTES[key]} to move an item from {item.state} to {to}",
            states.allowed_targets(caller, item),
        )
    if key not in states.RULES or not (states.RULES[key] & states.capacities(caller, item)):
        allowed = states.allowed_targets(caller, item)
        raise TransitionRefused(
            f"An item in {item.state} cannot move to {to} by you; allowed: {', '.join(allowed) or 'none'}", allowed
        )
    if key in states.REASON_REQUIRED and not (reason and reason.strip()):
        raise InvalidWorkRequest(f"Say why: moving to {to} needs a reason the other side can read")
    if key == (S.DONE, S.QUEUED) and not states.within_reopen_window(item):
        raise TransitionRefused(
            f"Items can be reopened within {states.REOPEN_WINDOW.days} days of being done; open a new request instead",
            [],
        )
    if key == (S.IN_PROGRESS, S.DONE) and await _sampled_for_qa(session, item):
        to = S.IN_REVIEW
    await move(session, item, to, caller=caller, reason=reason)
    if to is S.WAITING_ON_CLIENT and reason:
        # The question is part of the conversation, for both sides to read back later; the
        # requester already hears of it (and by email) as a question, not as a second "new reply".
        await add_comment(session, caller, item, reason, internal=False, tell_requester=False)


async def _sampled_for_qa(session: AsyncSession, item: WorkItem) -> bool:
    """Whether QA samples this item: the tenant's rate for its service type (none set: not sampled)."""
    if item.qa_sampled is not None:
        return item.qa_sampled  # decided once; a reworked item goes back to review
    rate = await session.scalar(
        select(QaSampling.sample_percent).where(
            QaSampling.tenant_id == item.tenant_id, QaSampling.service_type == item.service_type
        )
    )
    item.qa_sampled = bool(rate) and random.random() * 100 < rate
    return item.qa_sampled


async def move(
    session: AsyncSession,
    item: WorkItem,
    to: WorkState,
    *,
    caller: Caller | None,
    reason: str | None,
    tenant: Tenant | None = None,
) -> None:
    """Make one state change with all its consequences; the caller has checked that it is allowed."""
    if to in (S.IN_REVIEW, S.DONE):
        await desks.require_part_complete(session, item)  # 409 while the item's desk has work left
    now = utc_now()
    calendar = await business_time_for(session, item.tenant_id)
    source = item.state
    armed = due_instants(item)
    item.state = to
    item.updated_at = now
    _record_transition(session, item, source, to, caller, reason, now)

    if to is S.QUEUED:
        if item.queued_at is None:
            tenant = tenant or await session.get(Tenant, item.tenant_id)
            item.queued_at = now
            targets = await sla_hooks().targets_for(session, tenant, item.service_type, item.priority)
            clocks.start(item, targets, calendar, now)
        elif source is S.DONE:  # reopened: the resolution clock resumes where it stopped
            item.resolved_at = item.closed_at = None
            item.assignee_id = None
            clocks.resume(item, calendar, now)
        else:  # released by its agent
            item.assignee_id = None
    if to is S.WAITING_ON_CLIENT and caller is not None and caller.is_staff:
        # A question is a response the client sees; taking or assigning the item is not.
        clocks.first_response_given(item, calendar, now)
    if to is S.IN_PROGRESS and item.started_at is None:
        item.started_at = now
    if to is S.WAITING_ON_CLIENT:
        item.waiting_reason = reason
        clocks.pause(item, calendar, now)
    elif source is S.WAITING_ON_CLIENT:
        item.waiting_reason = None
        if to not in states.CLOSED_STATES:
            clocks.resume(item, calendar, now)
    if to is S.IN_REVIEW:
        item.qa_sampled = True
    if to in states.CLOSED_STATES:
        item.closed_at = now
        if to is S.DONE:
            item.resolved_at = now
        clocks.stop(item, calendar, now)

    await session.flush()
    if to is S.DONE:
        await desks.item_done(session, item, now)  # the usage it earns, in this same transaction
    elif to in states.CLOSED_STATES:
        await desks.item_closed(session, item, now)  # rejected or cancelled: its desk stops waiting for it
    await sla_hooks().due_times_changed(session, item, armed)
    await publish_state_change(session, item, source, reason)
    await _tell_requester(session, item, to, reason)


async def publish_state_change(session: AsyncSession, item: ItemLike, source: WorkState, reason: str | None) -> None:
    await publish_event(
        session,
        item.tenant_id,
        "work_item.state_changed",
        {**event_data(item), "from_state": source.value, "reason": reason},
    )


def _record_transition(
    session: AsyncSession,
    item: WorkItem,
    source: WorkState | None,
    to: WorkState,
    caller: Caller | None,
    reason: str | None,
    now: datetime,
) -> None:
    session.add(
        WorkItemTransition(
            id=uuid4(),
            tenant_id=item.tenant_id,
            work_item_id=item.id,
            from_state=source,
            to_state=to,
            actor_id=caller.actor_id if caller else None,
            actor_kind=caller.actor_kind if caller else "system",
            reason=reason,
            occurred_at=now,
        )
    )


# What the requester hears about, in the app (and by email when they must act).
_REQUESTER_NEWS = {
    S.WAITING_ON_CLIENT: ("A question about “{title}”", "{reason}", True),
    S.DONE: (
        "“{title}” is done",
        "Your request is done. You can reopen it within 7 days if something is missing.",
        True,
    ),
    S.REJECTED: ("“{title}” was declined", "{reason}", True),
}


async def _tell_requester(session: AsyncSession, item: WorkItem, to: WorkState, reason: str | None) -> None:
    if item.requester_id is None or to not in _REQUESTER_NEWS:
        return
    title, body, email = _REQUESTER_NEWS[to]
    await notify(
        session,
        tenant_id=item.tenant_id,
        recipient_ids=[item.requester_id],
        kind=f"work_item.{to.value}",
        title=title.format(title=item.title),
        body=body.format(reason=reason or ""),
        work_item_id=item.id,
        email=email,
    )


def event_data(item: ItemLike) -> dict[str, Any]:
    """A work item as webhooks describe it: enough to act on, nothing internal.

    From a ``WorkItem`` or a row with its attribute names (the claim's); ``str()`` gives an enum's value.
    """
    return {
        "work_item_id": str(item.id),
        "service_type": item.service_type,
        "title": item.title,
        "state": str(item.state),
        "priority": str(item.priority),
        "sla_status": str(item.sla_status),
    }


async def author_name(session: AsyncSession, caller: Caller) -> str:
    if caller.account_id is not None:
        return await session.scalar(select(Account.name).where(Account.id == caller.account_id)) or "Someone"
    name = await session.scalar(select(ApiClient.name).where(ApiClient.id == caller.api_client_id))
    return f"{name} (API)" if name else "API client"


async def add_comment(
    session: AsyncSession, caller: Caller, item: WorkItem, body: str, internal: bool, *, tell_requester: bool = True
) -> Comment:
    if internal and not caller.is_staff:
        raise WorkRefused("Only provider staff write internal notes")
    if item.state in (S.REJECTED, S.CANCELLED):
        raise ConflictError(f"The item is {item.state}; it takes no more comments")
    now = utc_now()
    comment = Comment(
        id=uuid4(),
        tenant_id=item.tenant_id,
        work_item_id=item.id,
        author_id=caller.actor_id,
        author_kind=caller.actor_kind,
        author_name=await author_name(session, caller),
        body=body.strip(),
        internal=internal,
        created_at=now,
    )
    session.add(comment)
    item.updated_at = now
    if caller.is_staff and not internal:
        armed = due_instants(item)
        clocks.first_response_given(item, await business_time_for(session, item.tenant_id), now)
        await session.flush()
        await sla_hooks().due_times_changed(session, item, armed)
    await session.flush()
    if not internal:
        await publish_event(
            session,
            item.tenant_id,
            "work_item.commented",
            {**event_data(item), "comment_id": str(comment.id), "author": comment.author_name, "body": comment.body},
        )
        if caller.is_staff and tell_requester and item.requester_id is not None:
            await notify(
                session,
                tenant_id=item.tenant_id,
                recipient_ids=[item.requester_id],
                kind="work_item.commented",
                title=f"New reply on “{item.title}”",
                body=comment.body[:500],
                work_item_id=item.id,
            )
    return comment


async def answer(session: AsyncSession, caller: Caller, item: WorkItem, body: str) -> None:
    """The client answers the provider's question: a public reply, and the item goes back to work."""
    if item.state is not S.WAITING_ON_CLIENT:
        raise TransitionRefused(f"The item is {item.state}, not waiting on you", states.allowed_targets(caller, item))
    if caller.is_staff:
        raise WorkRefused("Only the client answers a question; staff reply with a comment")
    await add_comment(session, caller, item, body, internal=False)
    await move(session, item, S.IN_PROGRESS, caller=caller, reason="Answered")
    if item.assignee_id is not None:
        await notify(
            session,
            tenant_id=item.tenant_id,
            recipient_ids=[item.assignee_id],
            kind="work_item.answered",
            title=f"The client answered on “{item.title}”",
            body=body[:500],
            work_item_id=item.id,
        )
