"""Posting a journal entry in one statement, with plans kept: ``bo_journal_post_as`` and generic plans.

Issue 13 measured the post at 2.03-2.16 × the users list's p99 (target 2 ×).
Where its time went, per post (``bench/books_post_profile.py``; PostgreSQL
backend CPU read from /proc, perf): about half the backend's CPU was planning.
PL/pgSQL plans each statement of ``bo_journal_post``, of the triggers it fires
and of the deferred balance check afresh on every call (custom plans: every
statement names a tenant, and a tenant the statistics have not seen looks like
one row, so the generic plan never looked cheaper), and each plan inlined the
tenant policies' ``bo_tenant_ids()`` again. The request also made six round
trips: BEGIN, the empty scope, the agent's scope, the function, the audit row,
COMMIT.

- ``bo_journal_post`` and ``bo_journal_check_balanced`` keep generic plans
  (``plan_cache_mode = force_generic_plan``, as the claim function does): every
  statement in them finds rows by a key that starts with the tenant (the entry,
  its lines, the book, the period, the counter, the balances), so the generic
  plan is the index plan whatever the statistics say. The setting holds for the
  triggers the function's writes fire (immutability, the period lock, the
  per-month balances); the deferred check runs at COMMIT, outside it, so it
  carries the setting itself. Bodies and rules unchanged.
- ``bo_journal_post_as`` is the HTTP route's whole post in one statement,
  autocommitted (its deferred checks fire at the end of that statement's
  transaction): it declares the caller's scope (the tenants given, or the
  agent's assignments, exactly as the session's scope would be) for the rest
  of the transaction, refuses an agent without the skill before anything is
  written (``unskilled``; ``missing`` first when the entry is not in the
  scope at all: another tenant's entry answers 404, never 403), calls
  ``bo_journal_post`` and, when it posted or held the entry, writes the audit
  event the route wrote through the ORM. SECURITY INVOKER: row-level security
  and every trigger apply as before.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06
"""

from alembic import op
from helpers import RUNTIME_GROUP

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

GENERIC = ("bo_journal_post(uuid, uuid, timestamptz, uuid)", "bo_journal_check_balanced(uuid, uuid)")
SIGNATURE = "bo_journal_post_as(uuid, uuid[], uuid, timestamptz, text, uuid, text, text, text)"

# $1 the caller's account (its assignments are the scope when p_tenants is NULL), p_skill NULL: no skill needed
# (a provider admin). The audit row is the one ``audit.record.record_event`` writes for the route.
POST_AS_FUNCTION = """
CREATE FUNCTION bo_journal_post_as(p_account uuid, p_tenants uuid[], p_entry uuid, p_now timestamptz,
                                   p_skill text, p_actor uuid, p_actor_kind text, p_ip text, p_request_id text)
RETURNS TABLE (outcome text, tenant_id uuid, entry_date date, memo text, reverses_id uuid,
               status journal_entry_status, fiscal_year integer, number integer,
               debits numeric, credits numeric, line_count integer, lines jsonb)
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan
AS $fn$
#variable_conflict use_column
DECLARE
    v_number text;
BEGIN
    -- The scope lasts until the transaction ends (set_config local, not this function's SET), so the deferred
    -- balance check at COMMIT reads the entry under the same scope.
    PERFORM set_config('bo.tenant_ids', CASE WHEN p_tenants IS NULL
        THEN coalesce((SELECT string_agg(a.tenant_id::text, ',') FROM bo_account_tenants(p_account) a), '')
        ELSE array_to_string(p_tenants, ',') END, true);
    IF p_skill IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM staff_skills s WHERE s.account_id = p_account AND s.skill_code = p_skill) THEN
        outcome := CASE WHEN EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p_entry)
                        THEN 'unskilled' ELSE 'missing' END;
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT p.outcome, p.tenant_id, p.entry_date, p.memo, p.reverses_id, p.status, p.fiscal_year, p.number,
           p.debits, p.credits, p.line_count, p.lines
      INTO outcome, tenant_id, entry_date, memo, reverses_id, status, fiscal_year, number,
           debits, credits, line_count, lines
      FROM bo_journal_post(NULL, p_entry, p_now, NULL) p;
    IF outcome IN ('posted', 'held') THEN
        -- How a posted entry is cited, JE-<fiscal year>-<number, at least six digits> (posting_rows.number_text).
        v_number := CASE WHEN number IS NULL THEN NULL
                         ELSE 'JE-' || fiscal_year || '-' || lpad(number::text, greatest(6, length(number::text)), '0')
                    END;
        INSERT INTO audit_events (tenant_id, id, occurred_at, actor_id, actor_kind, action, subject_type,
                                  subject_id, changes, ip, request_id)
        VALUES (tenant_id, gen_random_uuid(), p_now, p_actor, p_actor_kind, 'journal_entry.' || status::text,
                'journal_entry', p_entry::text, jsonb_build_object('number', v_number), p_ip, p_request_id);
    END IF;
    RETURN NEXT;
END
$fn$
"""


def upgrade() -> None:
    for signature in GENERIC:
        op.execute(f"ALTER FUNCTION {signature} SET plan_cache_mode = force_generic_plan")
    op.execute(POST_AS_FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {RUNTIME_GROUP}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
    for signature in GENERIC:
        op.execute(f"ALTER FUNCTION {signature} RESET plan_cache_mode")
