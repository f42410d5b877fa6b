"""Claim-next: the one call that hands an agent the most urgent item it may do.

``bo_claim_next`` (migration 0008) does the whole claim in one round trip: it
declares the transaction's tenant scope (the tenants given, or the agent's own
assignments), locks the agent's row in ``staff_profiles`` so one agent's claims
take turns (each then counts the previous one against the agent's capacity),
claims, and writes the claim's history row. Claims by different agents never
wait on each other; ``SKIP LOCKED`` lets them pass over the rows another claim
holds, so no item is ever handed to two agents.

Order: the earliest due time still to be met first (a breached item's due time
is in the past, so breached items come first), then priority, then age.
Each of the agent's skills is scanned on its own index range (``work_items_claim``):
a single scan in due order over every skill would step past all the queued items
nobody this agent may do, and a backlog of a skill no agent has collects exactly
there, at the head.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ARRAY, Uuid, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.work.models import WorkItem

# $1 agent, $2 the tenants to claim from (NULL: the agent's own assignments), $3 now.
CLAIM_SQL = "SELECT * FROM bo_claim_next($1, $2, $3)"

_CLAIM = select(WorkItem).from_statement(
    text("SELECT * FROM bo_claim_next(:agent, :tenants, :now)").bindparams(bindparam("tenants", type_=ARRAY(Uuid())))
)


async def claim_next(
    session: AsyncSession, agent_id: UUID, tenant_ids: frozenset[UUID] | None, now: datetime
) -> WorkItem | None:
    """Claim in the session's transaction; the claimed item as it is now, or None.

    ``tenant_ids`` None claims from the tenants the agent is assigned to and declares them as the
    transaction's scope (no lookup beforehand); a set narrows the claim (and the scope) to it.
    """
    tenants = None if tenant_ids is None else list(tenant_ids)
    result = await session.execute(
        _CLAIM, {"agent": agent_id, "tenants": tenants, "now": now}, execution_options={"populate_existing": True}
    )
    return result.scalar_one_or_none()


# Run on asyncpg as it stands (lib.db.scoped_read): the columns are in QueueCount's field order.
QUEUE_COUNTS_SQL = """
    SELECT w.tenant_id, t.slug AS tenant_slug, w.service_type, w.sla_status::text AS sla_status,
           w.state::text AS state, count(*) AS items
    FROM work_items w JOIN tenants t ON t.id = w.tenant_id
    WHERE w.state IN ('queued', 'in_progress', 'waiting_on_client', 'in_review')
    GROUP BY w.tenant_id, t.slug, w.service_type, w.sla_status, w.state
    ORDER BY t.slug, w.service_type, w.state, w.sla_status
"""
