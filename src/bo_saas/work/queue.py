"""Claim-next: the one statement that hands an agent the most urgent item it may do.

The agent's row in ``staff_profiles`` is locked first (``lock_agent``), so one
agent's claims take turns: each claim statement then starts after the
previous one committed and counts it against the agent's capacity. Claims by
different agents never wait on each other; ``SKIP LOCKED`` lets them pass over
the rows another claim holds, so no item is ever handed to two agents.

Order: the earliest due time still to be met first (a breached item's due time
is in the past, so breached items come first), then priority, then age.
Each of the agent's skills is scanned on its own (see ``CLAIM_NEXT_SQL``).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Locks the agent's row, and (for this transaction only) has PostgreSQL reuse one plan for the
# claim statement instead of planning it anew on every call, which cost more than running it.
LOCK_AGENT_SQL = """
SELECT set_config('plan_cache_mode', 'force_generic_plan', true)
FROM staff_profiles WHERE account_id = $1 FOR NO KEY UPDATE
"""

# $1 agent, $2 the tenants it serves (its scope), $3 now. Returns the claimed item's key.
#
# One index scan per skill of the agent (work_items_claim leads with the skill), each locking the
# most urgent queued item of that skill that no other claim holds (SKIP LOCKED); the best of those
# few is claimed, and the others are free again when this short transaction ends. A single scan in
# due order over every skill would step past all the queued items nobody this agent may do, and a
# backlog of a skill no agent has collects exactly there, at the head. The agent's row is
# MATERIALIZED so that its skills and capacity are read once, not once per row scanned.
CLAIM_NEXT_SQL = """
WITH agent AS MATERIALIZED (
    SELECT p.capacity, array(SELECT s.skill_code FROM staff_skills s WHERE s.account_id = p.account_id) AS skills
    FROM staff_profiles p
    WHERE p.account_id = $1
), candidates AS (
    SELECT c.tenant_id, c.id, c.queue_due_at, c.priority, c.queued_at
    FROM agent, unnest(agent.skills) AS skill(code),
    LATERAL (
        SELECT w.tenant_id, w.id, w.queue_due_at, w.priority, w.queued_at
        FROM work_items w
        WHERE w.state = 'queued' AND w.skill_code = skill.code AND w.tenant_id = ANY ($2::uuid[])
        ORDER BY w.queue_due_at NULLS LAST, w.priority DESC, w.queued_at
        LIMIT 1
        FOR UPDATE OF w SKIP LOCKED
    ) AS c
    WHERE (SELECT count(*) FROM work_items busy WHERE busy.assignee_id = $1 AND busy.state = 'in_progress')
          < agent.capacity
), next_item AS (
    SELECT tenant_id, id FROM candidates
    ORDER BY queue_due_at NULLS LAST, priority DESC, queued_at
    LIMIT 1
)
UPDATE work_items w
SET state = 'in_progress', assignee_id = $1, started_at = coalesce(w.started_at, $3), updated_at = $3
FROM next_item
WHERE w.tenant_id = next_item.tenant_id AND w.id = next_item.id
RETURNING w.tenant_id, w.id
"""


async def claim_next_key(
    session: AsyncSession, agent_id: UUID, tenant_ids: frozenset[UUID], now: datetime
) -> tuple[UUID, UUID] | None:
    """Run the claim in the session's transaction (its scope already set); the claimed (tenant_id, id) or None."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    await driver.execute(LOCK_AGENT_SQL, agent_id)
    row = await driver.fetchrow(CLAIM_NEXT_SQL, agent_id, list(tenant_ids), now)
    return (row["tenant_id"], row["id"]) if row else None


QUEUE_COUNTS_SQL = text(
    """
    SELECT w.tenant_id, t.slug AS tenant_slug, w.service_type, w.state::text AS state,
           w.sla_status::text AS sla_status, count(*) AS items
    FROM work_items w JOIN tenants t ON t.id = w.tenant_id
    WHERE w.state IN ('queued', 'in_progress', 'waiting_on_client', 'in_review')
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 2, 3, 4, 5
    """
)
