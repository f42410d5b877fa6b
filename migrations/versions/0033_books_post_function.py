"""Posting a journal entry in one statement: ``bo_journal_post`` checks, numbers and posts (or holds) an entry.

Issue 13 measured posting at 3.66 × the users list's p99: the route made about
ten round trips (the entry, the book, the totals, the period row made and then
share-locked, the counter, two updates, the lines and reversals for the
answer). The function does that work in one call, in the caller's
transaction, as the caller: SECURITY INVOKER, so row-level security and every
trigger of 0016 and 0027 apply exactly as before (the deferred balance check,
immutability, the period share-lock of ``bo_journal_entry_open_period``, the
per-month balances). It adds no rule; it answers first, with an outcome the
application turns into clearer words, and nothing is written unless the
outcome is ``posted`` or ``held``:

- ``missing``: no such entry in the caller's scope (``p_tenant`` NULL: found by its id alone);
- ``status``: the entry is not a draft (or, with an approver, not pending approval);
- ``unbalanced``: no lines, or debits differ from credits;
- ``no_book``: the tenant has no book yet (the application opens it and asks again);
- ``locked``: its month's period is locked (the period row is made open if the month has none, then
  share-locked until the transaction ends, so a close of that month waits);
- ``held``: above the book's approval threshold with no approver (and neither from the ledger seam nor a
  reversal): now pending approval, unnumbered;
- ``posted``: numbered from the tenant's counter of its fiscal year (the counter row stays locked until
  the transaction ends, so a rollback gives the number back: no gaps) and posted at ``p_now``.

Every outcome but ``missing`` returns the entry's tenant, date, memo, totals and lines (account code and
all, in order, as JSON), so the answer needs no further read.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05
"""

from alembic import op
from helpers import RUNTIME_GROUP

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

SIGNATURE = "bo_journal_post(uuid, uuid, timestamptz, uuid)"

POST_FUNCTION = """
CREATE FUNCTION bo_journal_post(p_tenant uuid, p_entry uuid, p_now timestamptz, p_approver uuid)
RETURNS TABLE (outcome text, tenant_id uuid, entry_date date, memo text, reverses_id uuid,
               status journal_entry_status, fiscal_year integer, number integer,
               debits numeric, credits numeric, line_count integer, lines jsonb)
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    v_entry journal_entries%ROWTYPE;
    v_threshold bigint;
    v_year_start smallint;
    v_month date;
    v_period book_period_status;
BEGIN
    -- No tenant given: the entry is found by its id in the caller's scope (RLS), and its tenant used from then on.
    SELECT * INTO v_entry FROM journal_entries e
     WHERE (p_tenant IS NULL OR e.tenant_id = p_tenant) AND e.id = p_entry
       FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'missing';
        RETURN NEXT;
        RETURN;
    END IF;
    p_tenant := v_entry.tenant_id;
    tenant_id := v_entry.tenant_id;
    entry_date := v_entry.entry_date;
    memo := v_entry.memo;
    reverses_id := v_entry.reverses_id;
    status := v_entry.status;
    SELECT coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0), count(*),
           coalesce(jsonb_agg(jsonb_build_object(
               'account', a.code, 'debit', l.debit, 'credit', l.credit, 'description', l.description,
               'currency', l.currency, 'foreign_amount', l.foreign_amount, 'rate', trim_scale(l.rate)::text
           ) ORDER BY l.line_number), '[]'::jsonb)
      INTO debits, credits, line_count, lines
      FROM journal_lines l
      JOIN book_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
     WHERE l.tenant_id = p_tenant AND l.entry_id = p_entry;
    IF v_entry.status <> (CASE WHEN p_approver IS NULL THEN 'draft' ELSE 'pending_approval' END)::journal_entry_status
    THEN
        outcome := 'status';
        RETURN NEXT;
        RETURN;
    END IF;
    IF line_count = 0 OR debits <> credits THEN
        outcome := 'unbalanced';
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT b.approval_threshold, b.fiscal_year_start INTO v_threshold, v_year_start
      FROM books b WHERE b.tenant_id = p_tenant;
    IF NOT FOUND THEN
        outcome := 'no_book';
        RETURN NEXT;
        RETURN;
    END IF;

    v_month := date_trunc('month', v_entry.entry_date)::date;
    SELECT p.status INTO v_period FROM book_periods p WHERE p.tenant_id = p_tenant AND p.month = v_month FOR SHARE;
    IF NOT FOUND THEN
        INSERT INTO book_periods (tenant_id, id, month, status)
        VALUES (p_tenant, gen_random_uuid(), v_month, 'open')
        ON CONFLICT (tenant_id, month) DO NOTHING;
        SELECT p.status INTO v_period FROM book_periods p WHERE p.tenant_id = p_tenant AND p.month = v_month FOR SHARE;
    END IF;
    IF v_period = 'locked' THEN
        outcome := 'locked';
        RETURN NEXT;
        RETURN;
    END IF;

    IF p_approver IS NULL AND v_entry.source IS NULL AND v_entry.reverses_id IS NULL AND debits > v_threshold THEN
        UPDATE journal_entries e SET status = 'pending_approval', updated_at = p_now
         WHERE e.tenant_id = p_tenant AND e.id = p_entry;
        outcome := 'held';
        status := 'pending_approval';
        RETURN NEXT;
        RETURN;
    END IF;

    fiscal_year := extract(year FROM v_entry.entry_date)::integer
                   - CASE WHEN extract(month FROM v_entry.entry_date) >= v_year_start THEN 0 ELSE 1 END;
    INSERT INTO journal_counters AS c (tenant_id, fiscal_year, last_number)
    VALUES (p_tenant, fiscal_year, 1)
    ON CONFLICT (tenant_id, fiscal_year) DO UPDATE SET last_number = c.last_number + 1
    RETURNING c.last_number INTO number;
    UPDATE journal_entries e
       SET status = 'posted', fiscal_year = bo_journal_post.fiscal_year, number = bo_journal_post.number,
           posted_at = p_now, approver_id = coalesce(p_approver, e.approver_id), updated_at = p_now
     WHERE e.tenant_id = p_tenant AND e.id = p_entry;
    outcome := 'posted';
    status := 'posted';
    RETURN NEXT;
END
$fn$
"""


def upgrade() -> None:
    op.execute(POST_FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {RUNTIME_GROUP}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
