"""Claim-next with less row-level-security work: the write runs in the claimed item's tenant alone.

Issue 16 measured the routed claim at about twice the bare claim's database
CPU. A profile of the backends at 8 claimers put the largest single share of
the difference, about 15% of the claim's time, in the tenant policy itself:
every reference to a tenant table evaluates ``bo_tenant_ids()`` once per
statement, and that parses the whole comma-separated setting (an agent of 50
tenants: 50 UUIDs, about 14 µs each time). 0008's claim did it five times: the
queue scan, the capacity count, the UPDATE (its USING and its WITH CHECK) and
the history row's WITH CHECK. The rest of the difference is spread thin (the
history row with its two foreign-key checks, the second skill's scan and
lock, the statements of PL/pgSQL), each of them needed (bench/README.md).

It also counts an agent's whole load against its capacity when the claim looks
in fewer tenants than the agent serves (``X-Tenant``): 0008 counted only the
items in the claim's tenants, so an agent at capacity in one tenant could claim
more in another. That costs one lookup of the agent's assignments per claim
given tenants, and three more statements only when they are fewer.

The item is still found and locked with the caller's whole scope. Then the
UPDATE and the history row (one statement) run with the scope narrowed to the
item's tenant, a subset of the one declared, so RLS lets the write see no
more; the whole scope is declared again before the function returns, so the
caller's transaction keeps the scope it asked for. The scope, the agent's lock
and the agent's capacity and skills are read in one statement, not three.

Everything else is 0008's: caller's rights, the skills and tenant filters, the
capacity count after the agent's lock, SLA order, SKIP LOCKED, the history row
in the same transaction.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import importlib.util
from pathlib import Path

from alembic import op
from helpers import RUNTIME_GROUP

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SIGNATURE = "bo_claim_next(uuid, uuid[], timestamptz)"

# The statement order matters: the scope and the agent's lock before the queue statement (whose snapshot
# then sees the agent's previous claim, for the capacity count); the item locked before the scope narrows.
CLAIM_FUNCTION = """
CREATE OR REPLACE FUNCTION bo_claim_next(p_agent uuid, p_tenants uuid[], p_now timestamptz)
RETURNS TABLE (tenant_id uuid, id uuid)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    v_assigned uuid[] := bo_agent_tenants(p_agent);
    v_tenants uuid[] := coalesce(p_tenants, v_assigned);
    v_scope text := array_to_string(v_tenants, ',');
    v_tenant_id uuid;
    v_id uuid;
    v_capacity int;
    v_skills text[];
    v_void text;
    v_written int;
BEGIN
    -- Advisory, two-key (class 1 = claims), as in 0008: one agent's claims take turns. The agent's
    -- capacity and skills read in the same statement (no row: no skills, so nothing to claim).
    SELECT set_config('bo.tenant_ids', v_scope, true), pg_advisory_xact_lock(1, hashtext(p_agent::text)),
           p.capacity, array(SELECT s.skill_code FROM staff_skills s WHERE s.account_id = p_agent)
    INTO v_void, v_void, v_capacity, v_skills
    FROM (VALUES (1)) AS one LEFT JOIN staff_profiles p ON p.account_id = p_agent;

    -- A claim looking in fewer tenants than the agent serves (X-Tenant) must still count the agent's
    -- work in the others against its capacity: count it under the agent's whole assignment, then narrow.
    IF NOT v_tenants @> v_assigned THEN
        PERFORM set_config('bo.tenant_ids', array_to_string(v_assigned, ','), true);
        IF (SELECT count(*) FROM work_items busy WHERE busy.assignee_id = p_agent AND busy.state = 'in_progress')
           >= v_capacity THEN
            PERFORM set_config('bo.tenant_ids', v_scope, true);
            RETURN;
        END IF;
        PERFORM set_config('bo.tenant_ids', v_scope, true);
    END IF;

    SELECT c.tenant_id, c.id INTO v_tenant_id, v_id
    FROM unnest(v_skills) AS skill(code),
    LATERAL (
        SELECT w.tenant_id, w.id, w.queue_due_at, w.priority, w.queued_at
        FROM work_items w
        WHERE w.state = 'queued' AND w.skill_code = skill.code AND w.tenant_id = ANY (v_tenants)
        ORDER BY w.queue_due_at NULLS LAST, w.priority DESC, w.queued_at
        LIMIT 1
        FOR UPDATE OF w SKIP LOCKED
    ) AS c
    WHERE (SELECT count(*) FROM work_items busy WHERE busy.assignee_id = p_agent AND busy.state = 'in_progress')
          < v_capacity
    ORDER BY c.queue_due_at NULLS LAST, c.priority DESC, c.queued_at
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;

    PERFORM set_config('bo.tenant_ids', v_tenant_id::text, true);
    WITH claimed AS (
        UPDATE work_items w
        SET state = 'in_progress', assignee_id = p_agent, started_at = coalesce(w.started_at, p_now), updated_at = p_now
        WHERE w.tenant_id = v_tenant_id AND w.id = v_id AND w.state = 'queued'
        RETURNING w.tenant_id, w.id
    )
    INSERT INTO work_item_transitions (
        tenant_id, id, work_item_id, from_state, to_state, actor_id, actor_kind, reason, occurred_at)
    SELECT claimed.tenant_id, gen_random_uuid(), claimed.id, 'queued', 'in_progress', p_agent, 'account', 'Claimed',
           p_now
    FROM claimed;
    GET DIAGNOSTICS v_written = ROW_COUNT;
    PERFORM set_config('bo.tenant_ids', v_scope, true);
    IF v_written = 0 THEN
        RETURN;  -- not reached while the row lock holds; never report a claim that was not written
    END IF;
    tenant_id := v_tenant_id;
    id := v_id;
    RETURN NEXT;
END
$fn$
"""


def _grant() -> None:
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {RUNTIME_GROUP}")


def upgrade() -> None:
    op.execute(CLAIM_FUNCTION)
    _grant()


def _claim_function_of_0008() -> str:
    spec = importlib.util.spec_from_file_location("claim_0008", Path(__file__).with_name("0008_claim_function.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CLAIM_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def downgrade() -> None:
    op.execute(_claim_function_of_0008())
    _grant()
