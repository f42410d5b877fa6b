"""Claim-next: the one call that hands an agent the most urgent item it may do.

``bo_claim_next`` (migrations 0008, 0011, 0025 and 0035) does the whole claim in
one round trip: it declares the transaction's tenant scope (the tenants given, or
the agent's own assignments), takes the agent's advisory lock so one agent's
claims take turns, checks the agent's room (``bo_agent_claim_room``: capacity less
its items in progress in every tenant, counted after the lock, so each claim sees
the one before it), claims, and writes the claim's history row. Claims by different agents never
wait on each other; ``SKIP LOCKED`` lets them pass over the rows another claim
holds, so no item is ever handed to two agents. The write runs with the scope
narrowed to the claimed item's tenant (each tenant policy parses the scope
setting, and a scope of many tenants made that the claim's largest single
cost); the whole scope is declared again before the function returns.

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

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.db import driver_connection
from bo_saas.work.item_rows import WORK_ITEMS, ItemRow, item_row, item_rows_select

# $1 agent, $2 the tenants to claim from (NULL: the agent's own assignments), $3 now.
CLAIM_SQL = "SELECT tenant_id, id FROM bo_claim_next($1, $2, $3)"


async def claim_next_key(
    session: AsyncSession, agent_id: UUID, tenant_ids: frozenset[UUID] | None, now: datetime
) -> tuple[UUID, UUID] | None:
    """Claim in the session's transaction; the claimed item's (tenant_id, id), or None.

    ``tenant_ids`` None claims from the tenants the agent is assigned to and declares them as the
    transaction's scope (no lookup beforehand); a set narrows the claim (and the scope) to it.
    """
    tenants = None if tenant_ids is None else list(tenant_ids)
    row = await (await driver_connection(session)).fetchrow(CLAIM_SQL, agent_id, tenants, now)
    return (row["tenant_id"], row["id"]) if row else None


# The claimed item as the API shows it, names and calendar joined in. A statement of its own, after
# the claim: the claim declares the scope, and RLS must see it before reading the calendar.
_ITEM_BY_KEY = item_rows_select().where(
    WORK_ITEMS.c.tenant_id == bindparam("tenant_id"), WORK_ITEMS.c.id == bindparam("id")
)
_item_by_key_sql: str | None = None


async def claimed_item(session: AsyncSession, key: tuple[UUID, UUID]) -> ItemRow:
    global _item_by_key_sql
    if _item_by_key_sql is None:
        compiled = _ITEM_BY_KEY.compile(dialect=session.get_bind().dialect)
        if tuple(compiled.positiontup or ()) != ("tenant_id", "id"):
            raise RuntimeError(f"unexpected parameters in the claimed item's statement: {compiled.positiontup}")
        _item_by_key_sql = compiled.string
    return item_row(await (await driver_connection(session)).fetchrow(_item_by_key_sql, *key))


QUEUE_COUNTS_SQL = """
    SELECT w.tenant_id, t.slug AS tenant_slug, w.service_type, w.sla_status::text AS sla_status,
           w.state::text AS state, count(*) AS items
    FROM work_items w JOIN tenants t ON t.id = w.tenant_id
    WHERE w.state IN ('queued', 'in_progress', 'waiting_on_client', 'in_review')
    GROUP BY w.tenant_id, t.slug, w.service_type, w.sla_status, w.state
    ORDER BY t.slug, w.service_type, w.state, w.sla_status
"""
