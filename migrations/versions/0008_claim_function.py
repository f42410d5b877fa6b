"""Claim-next in one round trip: a function that declares the scope, locks the agent and claims.

Before this, a claim was five round trips (BEGIN, the scope, the agent's lock,
the claim, COMMIT) and, over HTTP, more for the scope lookup, the history row
and reading the claimed item back. ``bo_claim_next`` does all of it in one
call, so a claim can run as a single autocommitted statement.

It runs with the caller's rights (not SECURITY DEFINER): row-level security
applies to every row it reads or writes. It declares the transaction's tenant
scope itself, from the tenants passed in or, when none are, from the agent's
own assignments (``bo_agent_tenants``: like sign-in's ``bo_account_tenants``,
one narrow SECURITY DEFINER lookup, but in PL/pgSQL so that its plan is kept
for the session; the SQL function was planned on every call, about a third of
a claim's database time); the declaration lasts to the end of the caller's
transaction, as the app's own does. The agent id comes from a verified token:
the function grants nothing a caller could not already do with ``set_config``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from alembic import op

from helpers import RUNTIME_GROUP

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The statement is claim-next as work/queue.py explained it: one index scan per skill of the
# agent, each locking the most urgent queued item of that skill no other claim holds, the best
# of those claimed; capacity counts the agent's items in progress. plan_cache_mode: PL/pgSQL
# keeps one plan per statement for the session, and a generic one, since planning the claim cost
# more than running it.
AGENT_TENANTS_FUNCTION = """
CREATE FUNCTION bo_agent_tenants(p_agent uuid) RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
BEGIN
    RETURN coalesce((SELECT array_agg(s.tenant_id) FROM staff_assignments s WHERE s.account_id = p_agent), '{}');
END
$fn$
"""

CLAIM_FUNCTION = """
CREATE FUNCTION bo_claim_next(p_agent uuid, p_tenants uuid[], p_now timestamptz)
RETURNS TABLE (tenant_id uuid, id uuid)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    v_tenants uuid[] := p_tenants;
    v_tenant_id uuid;
    v_id uuid;
BEGIN
    IF v_tenants IS NULL THEN
        v_tenants := bo_agent_tenants(p_agent);
    END IF;
    PERFORM set_config('bo.tenant_ids', array_to_string(v_tenants, ','), true);

    -- One agent's claims take turns, so each (its statement's snapshot taken after the lock) counts
    -- the previous one against the agent's capacity. An advisory lock, not a lock on the agent's row:
    -- a row lock is written to the row, and cost about a third of the claim's throughput. The
    -- two-key form (class 1 = claims) keeps it apart from single-key advisory locks; two agents whose
    -- ids hash alike only take turns.
    PERFORM pg_advisory_xact_lock(1, hashtext(p_agent::text));

    WITH agent AS MATERIALIZED (
        SELECT p.capacity, array(SELECT s.skill_code FROM staff_skills s WHERE s.account_id = p.account_id) AS skills
        FROM staff_profiles p
        WHERE p.account_id = p_agent
    ), candidates AS (
        SELECT c.tenant_id, c.id, c.queue_due_at, c.priority, c.queued_at
        FROM agent, unnest(agent.skills) AS skill(code),
        LATERAL (
            SELECT w.tenant_id, w.id, w.queue_due_at, w.priority, w.queued_at
            FROM work_items w
            WHERE w.state = 'queued' AND w.skill_code = skill.code AND w.tenant_id = ANY (v_tenants)
            ORDER BY w.queue_due_at NULLS LAST, w.priority DESC, w.queued_at
            LIMIT 1
            FOR UPDATE OF w SKIP LOCKED
        ) AS c
        WHERE (SELECT count(*) FROM work_items busy WHERE busy.assignee_id = p_agent AND busy.state = 'in_progress')
              < agent.capacity
    ), next_item AS (
        SELECT n.tenant_id, n.id FROM candidates n
        ORDER BY n.queue_due_at NULLS LAST, n.priority DESC, n.queued_at
        LIMIT 1
    )
    UPDATE work_items w
    SET state = 'in_progress', assignee_id = p_agent, started_at = coalesce(w.started_at, p_now), updated_at = p_now
    FROM next_item
    WHERE w.tenant_id = next_item.tenant_id AND w.id = next_item.id
    RETURNING w.tenant_id, w.id INTO v_tenant_id, v_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;

    -- The claim's history row, in the same call as the claim.
    INSERT INTO work_item_transitions (tenant_id, id, work_item_id, from_state, to_state, actor_id, actor_kind, reason, occurred_at)
    VALUES (v_tenant_id, gen_random_uuid(), v_id, 'queued', 'in_progress', p_agent, 'account', 'Claimed', p_now);
    tenant_id := v_tenant_id;
    id := v_id;
    RETURN NEXT;
END
$fn$
"""


def upgrade() -> None:
    # Its owner (the migration role) reads staff_assignments past RLS; it answers for one account only.
    op.execute(AGENT_TENANTS_FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION bo_agent_tenants(uuid) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION bo_agent_tenants(uuid) TO {RUNTIME_GROUP}")
    op.execute(CLAIM_FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION bo_claim_next(uuid, uuid[], timestamptz) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION bo_claim_next(uuid, uuid[], timestamptz) TO {RUNTIME_GROUP}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS bo_claim_next(uuid, uuid[], timestamptz)")
    op.execute("DROP FUNCTION IF EXISTS bo_agent_tenants(uuid)")
