"""QA's verdict on an item in review: accepted it is done; rejected it goes back to its agent as rework.

Kept apart from ``items`` (which it uses to move the item) so that module stays readable.
"""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.notify.notifications import notify
from bo_saas.work import states
from bo_saas.work.errors import InvalidWorkRequest, TransitionRefused, WorkRefused
from bo_saas.work.items import move
from bo_saas.work.models import QaReview, WorkItem
from bo_saas.work.models import WorkState as S


async def review(session: AsyncSession, caller: Caller, item: WorkItem, verdict: str, reasons: list[str]) -> QaReview:
    """QA's verdict: accept finishes the item; reject sends it back to its agent as rework."""
    if item.state is not S.IN_REVIEW:
        raise TransitionRefused(f"The item is {item.state}, not in review", states.allowed_targets(caller, item))
    if not caller.is_staff:
        raise WorkRefused("Only provider staff review work")
    if item.assignee_id is None or states.is_assignee(caller, item.assignee_id):
        raise WorkRefused("A reviewer cannot review their own work")
    if verdict == "reject" and not reasons:
        raise InvalidWorkRequest("Say what to rework: a rejection needs at least one reason")
    record = QaReview(
        id=uuid4(),
        tenant_id=item.tenant_id,
        work_item_id=item.id,
        agent_id=item.assignee_id,
        reviewer_id=caller.account_id,
        verdict=verdict,
        reasons=[r.strip() for r in reasons],
        created_at=utc_now(),
    )
    session.add(record)
    if verdict == "accept":
        await move(session, item, S.DONE, caller=caller, reason="Accepted by QA")
    else:
        item.rework_count += 1
        await move(session, item, S.IN_PROGRESS, caller=caller, reason="Rework: " + "; ".join(record.reasons))
        await notify(
            session,
            tenant_id=item.tenant_id,
            recipient_ids=[item.assignee_id],
            kind="qa.rework",
            title=f"QA sent “{item.title}” back for rework",
            body="\n".join(record.reasons),
            work_item_id=item.id,
        )
    return record
