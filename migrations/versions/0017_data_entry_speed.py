"""Data entry speed: the unique-within-batch check of a save served by a GIN index, not a scan of the batch.

A save of a field marked ``unique`` asks whether another record of the batch
holds the value (``values @> {"field": value}``). Without an index that was a
scan of the whole batch per save (100,000 rows for a large file).

The ``jsonb_path_ops`` GIN index holds exactly those containment lookups. The
runtime role cannot use it directly: ``@>`` on jsonb is not leakproof, so under
row-level security PostgreSQL applies it only after the policy, never as an
index condition. ``bo_data_entry_value_holder`` does the lookup as the
migration's owner (SECURITY DEFINER, like ``bo_account_tenants``), confined by
hand to the tenants the caller's transaction declared (``bo_tenant_ids()``,
the policy's own condition), so it shows a caller nothing RLS would hide. The
records holding the value are found through the index alone (MATERIALIZED keeps
the batch's btree out of that scan: a planner that has not yet counted a new
batch's rows would walk the whole batch), then narrowed to the batch.

Before looking, it takes a transaction-scoped advisory lock on (batch, field,
value): two saves of one value wait for each other, and the later one (the
function is VOLATILE, so its query takes a fresh snapshot after the wait) sees
the earlier one's value once that commits. One round trip for both.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from alembic import op
from helpers import RUNTIME_GROUP

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

SIGNATURE = "bo_data_entry_value_holder(uuid, uuid, uuid, text, jsonb)"
VALUE_HOLDER = """
CREATE FUNCTION bo_data_entry_value_holder(p_tenant uuid, p_batch uuid, p_record uuid, p_field text, p_value jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
AS $fn$
BEGIN
    IF NOT p_tenant = ANY ((SELECT bo_tenant_ids())::uuid[]) THEN
        RETURN NULL;  -- outside the caller's scope: nothing to see, as under the policy
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(concat_ws('/', 'data_entry_unique', p_batch, p_field, p_value), 0));
    RETURN (
        WITH holding AS MATERIALIZED (
            SELECT r.tenant_id, r.batch_id, r.id, r.row_number FROM data_entry_records r
            WHERE r.values @> jsonb_build_object(p_field, p_value)
        )
        SELECT min(h.row_number) FROM holding h
        WHERE h.tenant_id = p_tenant AND h.batch_id = p_batch AND h.id <> p_record
    );
END
$fn$
"""


def upgrade() -> None:
    op.execute("CREATE INDEX data_entry_records_values ON data_entry_records USING gin (values jsonb_path_ops)")
    op.execute(VALUE_HOLDER)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {RUNTIME_GROUP}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
    op.execute("DROP INDEX data_entry_records_values")
