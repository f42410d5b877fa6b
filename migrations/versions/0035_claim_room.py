"""Claim-next without reading the agent's assignments when it is handed the tenants (issue 16).

0011 and 0025 read the agent's assignments on every claim (``bo_agent_tenants``,
a SECURITY DEFINER call: 50 index entries and heap rows for an agent of 50
tenants) and tested the tenants given against them (``@>``, 50 × 50
comparisons), only to know which scope to count the agent's load under. That
was about a sixth of the claim's backend time at 8 claimers (paired runs:
0025's claim 2.17 × bare's backend CPU, this one 1.86 ×).

The capacity check is now ``bo_agent_claim_room``: SECURITY DEFINER (as
``bo_agent_tenants``, to read past the scope), it returns the agent's capacity
less its items in progress in every tenant. That is the whole load 0011 meant
to count, so narrowing with ``X-Tenant`` still cannot overrun capacity; an item
left in progress in a tenant the agent no longer serves now counts too (the
check can only be stricter than 0025's). It reads the agent's own counts, no
tenant data: the item is still found, locked and written under RLS with the
scope declared. The function is VOLATILE, so its count takes a snapshot of its
own after the agent's lock, which the claim takes first (one agent's claims
take turns, and each sees the one before it).

Without tenants given, the claim reads the agent's assignments once, for the
scope (``coalesce`` does not evaluate its second argument otherwise). The
scope, the lock and the room are simple expressions (no executor start-up);
the skills are joined into the queue statement, and so is the check for a
deprioritized tenant in scope (a one-time filter); only when that statement
finds nothing does the function look at deprioritized tenants and, with one in
scope, run 0025's three statements (unchanged but for the count, now made
before). The write is 0011's: narrowed to the claimed item's tenant, the whole
scope declared again afterwards. RLS alone keeps tenants apart in the queue
statement (the scope is the tenants to claim from).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06
"""

import importlib.util
from pathlib import Path

from alembic import op
from helpers import RUNTIME_GROUP

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

SIGNATURE = "bo_claim_next(uuid, uuid[], timestamptz)"
ROOM_SIGNATURE = "bo_agent_claim_room(uuid)"

# VOLATILE: its statement takes a new snapshot, after the agent's lock the claim took before calling it.
# No staff profile: NULL, so nothing to claim.
ROOM_FUNCTION = """
CREATE FUNCTION bo_agent_claim_room(p_agent uuid) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
BEGIN
    RETURN (SELECT p.capacity - (SELECT count(*) FROM work_items busy
                                 WHERE busy.assignee_id = p_agent AND busy.state = 'in_progress')
            FROM staff_profiles p WHERE p.account_id = p_agent);
END
$fn$
"""

_PICK_COLUMNS = "w.tenant_id, w.id, w.queue_due_at, w.priority, w.queued_at"
_QUEUED = "w.state = 'queued' AND w.skill_code = skill.skill_code"
_NOT_DUE = "(w.queue_due_at > p_now OR w.queue_due_at IS NULL)"  # no SLA due time: last, as in the usual order
_ORDER = "ORDER BY w.queue_due_at NULLS LAST, w.priority DESC, w.queued_at"


def _pick(condition: str, *, gate: str = "") -> str:
    """One queue statement: the first item of the agent's skills meeting ``condition``, one scan per skill."""
    return f"""        SELECT c.tenant_id, c.id INTO v_tenant_id, v_id
        FROM staff_skills skill,
        LATERAL (
            SELECT {_PICK_COLUMNS} FROM work_items w WHERE {_QUEUED} AND {condition} {_ORDER}
            LIMIT 1
            FOR UPDATE OF w SKIP LOCKED
        ) AS c
        WHERE skill.account_id = p_agent{gate}
        ORDER BY c.queue_due_at NULLS LAST, c.priority DESC, c.queued_at
        LIMIT 1;"""


_NONE_HELD = (
    "\n          AND NOT EXISTS (SELECT FROM tenants t WHERE t.work_deprioritized_at IS NOT NULL"
    " AND t.id = ANY (v_tenants))"
)

CLAIM_FUNCTION = f"""
CREATE OR REPLACE FUNCTION bo_claim_next(p_agent uuid, p_tenants uuid[], p_now timestamptz)
RETURNS TABLE (tenant_id uuid, id uuid)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    v_tenants uuid[] := coalesce(p_tenants, bo_agent_tenants(p_agent));
    v_scope text := array_to_string(v_tenants, ',');
    -- The scope, then the agent's lock (advisory, class 1 = claims, as in 0008): one agent's claims take turns.
    v_void text := set_config('bo.tenant_ids', v_scope, true)
                   || pg_advisory_xact_lock(1, hashtext(p_agent::text))::text;
    v_tenant_id uuid;
    v_id uuid;
    v_held uuid[];
BEGIN
    IF NOT bo_agent_claim_room(p_agent) > 0 THEN
        RETURN;  -- at capacity (or no staff profile)
    END IF;

    -- The usual case: no deprioritized tenant in scope (the partial index of marked tenants is empty).
{_pick("true", gate=_NONE_HELD)}
    IF NOT FOUND THEN
        v_held := array(SELECT t.id FROM tenants t
                        WHERE t.work_deprioritized_at IS NOT NULL AND t.id = ANY (v_tenants));
        IF cardinality(v_held) = 0 THEN
            RETURN;  -- nothing the agent may do
        END IF;
        -- 0025's order: first the items whose SLA is due, any tenant; then those not yet due of paying
        -- tenants; then the deprioritized tenants' (a statement each: FOR UPDATE takes no UNION).
{_pick("w.queue_due_at <= p_now")}
        IF NOT FOUND THEN
{_pick(f"{_NOT_DUE} AND w.tenant_id <> ALL (v_held)")}
        END IF;
        IF NOT FOUND THEN
{_pick(f"{_NOT_DUE} AND w.tenant_id = ANY (v_held)")}
        END IF;
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;

    v_void := set_config('bo.tenant_ids', v_tenant_id::text, true);
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
    -- An assignment changes no FOUND: it still tells whether the history row (so the claim) was written.
    v_void := set_config('bo.tenant_ids', v_scope, true);
    IF NOT FOUND THEN
        RETURN;  -- not reached while the row lock holds; never report a claim that was not written
    END IF;
    tenant_id := v_tenant_id;
    id := v_id;
    RETURN NEXT;
END
$fn$
"""


def _grant(signature: str) -> None:
    op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {RUNTIME_GROUP}")


def upgrade() -> None:
    op.execute(ROOM_FUNCTION)
    _grant(ROOM_SIGNATURE)
    op.execute(CLAIM_FUNCTION)
    _grant(SIGNATURE)


def _claim_function_of_0025() -> str:
    spec = importlib.util.spec_from_file_location("claim_0025", Path(__file__).with_name("0025_hot_path.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CLAIM_FUNCTION


def downgrade() -> None:
    op.execute(_claim_function_of_0025())  # CREATE OR REPLACE: 0025's body, the same signature
    _grant(SIGNATURE)
    op.execute(f"DROP FUNCTION IF EXISTS {ROOM_SIGNATURE}")
