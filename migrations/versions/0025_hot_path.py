"""Claim-next: a tenant long past due ranks after paying tenants' work, never past an SLA due time (issue 11, item 8).

Dunning marks a tenant whose oldest overdue invoice is more than
``BO_BILLING_DEPRIORITIZE_AFTER_DAYS`` days past due
(``tenants.work_deprioritized_at``); paying everything due clears it at once
(``billing/standing.settle_if_paid``). The claim reads the mark of the tenants
it looks in through a partial index holding only the marked tenants (empty in
the usual case, so the read costs next to nothing), not a join to invoices.

Order with a marked tenant among the claim's tenants, per skill:

1. items whose SLA due time has come (``queue_due_at <= now``), any tenant, by
   due time, priority, age: a marked tenant's item whose SLA is due is never
   passed over;
2. items not yet due of unmarked tenants, in the usual order;
3. items not yet due of marked tenants, in the usual order.

"Equal SLA urgency" is the same class: both due, or both not yet due. With no
marked tenant in scope the claim is 0011's statement, unchanged. Each branch
is a statement of its own, tried only when the one before found nothing; each
takes its first row per skill with ``SKIP LOCKED`` (as 0011 does).

Everything else is 0011's: the scope and the agent's lock, capacity and skills
in one statement, the write narrowed to the claimed item's tenant, the history
row in the same transaction.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from helpers import RUNTIME_GROUP

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

SIGNATURE = "bo_claim_next(uuid, uuid[], timestamptz)"

_PICK_COLUMNS = "w.tenant_id, w.id, w.queue_due_at, w.priority, w.queued_at"
_QUEUED = "w.state = 'queued' AND w.skill_code = skill.code AND w.tenant_id = ANY (v_tenants)"
_NOT_DUE = "(w.queue_due_at > p_now OR w.queue_due_at IS NULL)"  # no SLA due time: last, as in the usual order
_ORDER = "ORDER BY w.queue_due_at NULLS LAST, w.priority DESC, w.queued_at"


def _pick(condition: str) -> str:
    """One statement of the deprioritized path: the first item of the agent's skills meeting ``condition``."""
    return f"""        SELECT c.tenant_id, c.id INTO v_tenant_id, v_id
        FROM unnest(v_skills) AS skill(code),
        LATERAL (
            SELECT {_PICK_COLUMNS} FROM work_items w WHERE {_QUEUED} AND {condition} {_ORDER}
            LIMIT 1
            FOR UPDATE OF w SKIP LOCKED
        ) AS c
        WHERE (SELECT count(*) FROM work_items busy WHERE busy.assignee_id = p_agent AND busy.state = 'in_progress')
              < v_capacity
        ORDER BY c.queue_due_at NULLS LAST, c.priority DESC, c.queued_at
        LIMIT 1;"""


CLAIM_FUNCTION = f"""
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
    v_held uuid[];
    v_void text;
    v_written int;
BEGIN
    -- Advisory, two-key (class 1 = claims), as in 0008: one agent's claims take turns. The agent's
    -- capacity and skills, and which of the tenants are deprioritized (a partial index of the marked
    -- ones only), read in the same statement (no row: no skills, so nothing to claim).
    SELECT set_config('bo.tenant_ids', v_scope, true), pg_advisory_xact_lock(1, hashtext(p_agent::text)),
           p.capacity, array(SELECT s.skill_code FROM staff_skills s WHERE s.account_id = p_agent),
           array(SELECT t.id FROM tenants t WHERE t.work_deprioritized_at IS NOT NULL AND t.id = ANY (v_tenants))
    INTO v_void, v_void, v_capacity, v_skills, v_held
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

    IF cardinality(v_held) = 0 THEN
        SELECT c.tenant_id, c.id INTO v_tenant_id, v_id
        FROM unnest(v_skills) AS skill(code),
        LATERAL (
            SELECT {_PICK_COLUMNS} FROM work_items w WHERE {_QUEUED} {_ORDER}
            LIMIT 1
            FOR UPDATE OF w SKIP LOCKED
        ) AS c
        WHERE (SELECT count(*) FROM work_items busy WHERE busy.assignee_id = p_agent AND busy.state = 'in_progress')
              < v_capacity
        ORDER BY c.queue_due_at NULLS LAST, c.priority DESC, c.queued_at
        LIMIT 1;
    ELSE
        -- First the items whose SLA is due, any tenant; then those not yet due of paying tenants; then the
        -- deprioritized tenants' (a statement each: FOR UPDATE takes no UNION).
{_pick("w.queue_due_at <= p_now")}
        IF NOT FOUND THEN
{_pick(f"{_NOT_DUE} AND w.tenant_id <> ALL (v_held)")}
        END IF;
        IF NOT FOUND THEN
{_pick(f"{_NOT_DUE} AND w.tenant_id = ANY (v_held)")}
        END IF;
    END IF;
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
    # Set by dunning past BO_BILLING_DEPRIORITIZE_AFTER_DAYS, cleared when everything due is paid.
    op.add_column("tenants", sa.Column("work_deprioritized_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "tenants_work_deprioritized",
        "tenants",
        ["id"],
        postgresql_where=sa.text("work_deprioritized_at IS NOT NULL"),
    )
    op.execute(CLAIM_FUNCTION)
    _grant()


def _claim_function_of_0011() -> str:
    spec = importlib.util.spec_from_file_location("claim_0011", Path(__file__).with_name("0011_claim_faster.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CLAIM_FUNCTION


def downgrade() -> None:
    op.execute(_claim_function_of_0011())  # CREATE OR REPLACE: 0011's body, the same signature
    _grant()
    op.drop_index("tenants_work_deprioritized", table_name="tenants")
    op.drop_column("tenants", "work_deprioritized_at")
