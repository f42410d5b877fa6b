"""Work items, the queue, QA, and SLA clocks in business time.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from helpers import APPEND_ONLY, create_provider_table, create_tenant_table, grant_runtime, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WORK_STATE = pg.ENUM(
    "new", "queued", "in_progress", "waiting_on_client", "in_review", "done", "rejected", "cancelled",
    name="work_state", create_type=False,
)  # fmt: skip
# Declared in rising order: ORDER BY priority DESC puts urgent first.
WORK_PRIORITY = pg.ENUM("low", "normal", "high", "urgent", name="work_priority", create_type=False)
SLA_STATUS = pg.ENUM("ok", "warning", "breached", "met", name="sla_status", create_type=False)
PRIORITIES = ("low", "normal", "high", "urgent")
BUILTIN_SERVICES = {
    "data_entry": "Data entry",
    "bookkeeping": "Bookkeeping",
    "hr": "HR",
    "support": "Customer support",
}

# Default targets in business minutes per plan tier and priority: (first response, resolution).
DEFAULT_TARGETS = {
    "starter": {"urgent": (60, 480), "high": (120, 960), "normal": (240, 1440), "low": (480, 2400)},
    "growth": {"urgent": (30, 240), "high": (60, 480), "normal": (120, 960), "low": (240, 1920)},
    "enterprise": {"urgent": (15, 120), "high": (30, 240), "normal": (60, 480), "low": (120, 960)},
}
# How each built-in service scales the tier's targets: support answers faster, books take longer.
SERVICE_FACTORS = {"*": (1, 1), "data_entry": (1, 1), "bookkeeping": (1, 2), "hr": (1, 1.5), "support": (0.5, 0.5)}
PLAN_SERVICES = {
    "starter": (["data_entry", "support"], False),
    "growth": (["data_entry", "bookkeeping", "hr", "support"], True),
    "enterprise": (["data_entry", "bookkeeping", "hr", "support"], True),
}

FORM_SCHEMAS = {
    "data_entry": [
        {"name": "source", "label": "What to key in", "type": "text", "required": True},
        {"name": "record_count", "label": "Number of records", "type": "integer", "required": False, "min": 1},
        {"name": "deadline_note", "label": "Anything about timing", "type": "string", "required": False},
    ],
    "bookkeeping": [
        {"name": "period", "label": "Period (e.g. 2026-11)", "type": "string", "required": True},
        {
            "name": "task",
            "label": "Task",
            "type": "choice",
            "required": True,
            "choices": ["book_documents", "reconcile", "payroll", "receivables", "payables", "report"],
        },
        {"name": "document_count", "label": "Number of documents", "type": "integer", "required": False, "min": 0},
        {"name": "notes", "label": "Notes", "type": "text", "required": False},
    ],
    "hr": [
        {
            "name": "request",
            "label": "Request",
            "type": "choice",
            "required": True,
            "choices": ["hire", "change", "leave", "benefits", "offboarding", "compliance"],
        },
        {"name": "employee", "label": "Employee", "type": "string", "required": False},
        {"name": "effective_date", "label": "Effective date", "type": "date", "required": False},
        {"name": "details", "label": "Details", "type": "text", "required": True},
    ],
    "support": [
        {
            "name": "channel",
            "label": "Channel",
            "type": "choice",
            "required": True,
            "choices": ["email", "chat", "phone"],
        },
        {"name": "customer", "label": "Customer", "type": "string", "required": False},
        {"name": "message", "label": "What the customer needs", "type": "text", "required": True},
    ],
}


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _work_item_fk(ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete=ondelete
    )


def upgrade() -> None:
    bind = op.get_bind()
    for enum in (WORK_STATE, WORK_PRIORITY, SLA_STATUS):
        enum.create(bind)

    # What each plan tier may buy: built-in services, and whether manifests may define custom ones.
    op.add_column("plans", sa.Column("services", pg.ARRAY(sa.Text()), nullable=False, server_default="{}"))
    op.add_column("plans", sa.Column("custom_services", sa.Boolean(), nullable=False, server_default="false"))
    for code, (services, custom) in PLAN_SERVICES.items():
        op.execute(
            sa.text("UPDATE plans SET services = :services, custom_services = :custom WHERE code = :code").bindparams(
                services=services, custom=custom, code=code
            )
        )

    create_provider_table(
        "service_types",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("skills.code"), nullable=False),
        sa.Column("form_schema", pg.JSONB(), nullable=False, server_default="[]"),
        grant="SELECT",
    )
    op.bulk_insert(
        sa.table("service_types", sa.column("code"), sa.column("name"), sa.column("skill_code"),
                 sa.column("form_schema", pg.JSONB())),
        [{"code": c, "name": n, "skill_code": c, "form_schema": FORM_SCHEMAS[c]} for c, n in BUILTIN_SERVICES.items()],
    )  # fmt: skip

    # Provider-wide default targets; service_type '*' covers custom types.
    create_provider_table(
        "sla_policies",
        sa.Column("plan_code", sa.String(40), sa.ForeignKey("plans.code", ondelete="CASCADE"), primary_key=True),
        sa.Column("service_type", sa.String(40), primary_key=True),
        sa.Column("priority", WORK_PRIORITY, primary_key=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("warning_percent", sa.Integer(), nullable=False, server_default="75"),
        *timestamps(),
        sa.CheckConstraint(
            "first_response_minutes > 0 AND resolution_minutes >= first_response_minutes", name="sla_policies_targets"
        ),
        sa.CheckConstraint("warning_percent BETWEEN 1 AND 99", name="sla_policies_warning"),
    )
    rows = []
    for plan, targets in DEFAULT_TARGETS.items():
        for service, (first_factor, resolution_factor) in SERVICE_FACTORS.items():
            for priority, (first, resolution) in targets.items():
                rows.append(
                    {
                        "plan_code": plan,
                        "service_type": service,
                        "priority": priority,
                        "first_response_minutes": int(first * first_factor),
                        "resolution_minutes": int(resolution * resolution_factor),
                    }
                )
    op.bulk_insert(
        sa.table(
            "sla_policies", sa.column("plan_code"), sa.column("service_type"), sa.column("priority", WORK_PRIORITY),
            sa.column("first_response_minutes"), sa.column("resolution_minutes"),
        ),
        rows,
    )  # fmt: skip

    create_tenant_table(
        "custom_service_types",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("skill_code", sa.String(40), sa.ForeignKey("skills.code"), nullable=False),
        sa.Column("form_schema", pg.JSONB(), nullable=False, server_default="[]"),
        *timestamps(),
        key=("code",),
    )
    # A tenant's contract: targets that override the provider's defaults for its own items.
    create_tenant_table(
        "sla_targets",
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("priority", WORK_PRIORITY, nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        *timestamps(),
        sa.CheckConstraint(
            "first_response_minutes > 0 AND resolution_minutes >= first_response_minutes", name="sla_targets_targets"
        ),
        key=("service_type", "priority"),
    )
    create_tenant_table(
        "qa_sampling",
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("sample_percent", sa.Integer(), nullable=False),
        *timestamps(),
        sa.CheckConstraint("sample_percent BETWEEN 0 AND 100", name="qa_sampling_percent"),
        key=("service_type",),
    )

    create_tenant_table(
        "work_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_type", sa.String(40), nullable=False),
        # Copied from the service type when created: claim-next filters on it without a join.
        sa.Column("skill_code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("payload", pg.JSONB(), nullable=False, server_default="{}"),
        sa.Column("priority", WORK_PRIORITY, nullable=False),
        sa.Column("state", WORK_STATE, nullable=False),
        sa.Column("requester_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL")),
        sa.Column("requester_client_id", sa.Uuid()),
        sa.Column("shared", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("assignee_id", sa.Uuid(), sa.ForeignKey("staff_profiles.account_id", ondelete="SET NULL")),
        sa.Column("waiting_reason", sa.Text()),
        sa.Column("rework_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("qa_sampled", sa.Boolean()),
        *timestamps(),
        _aware("queued_at"),
        _aware("started_at"),
        _aware("first_responded_at"),
        _aware("resolved_at"),
        _aware("closed_at"),
        # The SLA policy, fixed when the item is first queued.
        sa.Column("sla_first_response_minutes", sa.Integer()),
        sa.Column("sla_resolution_minutes", sa.Integer()),
        sa.Column("sla_warning_percent", sa.Integer()),
        _aware("first_response_due_at"),
        _aware("resolution_due_at"),
        # The next warning still to send (first response's, then resolution's); NULL when none is pending.
        _aware("warning_due_at"),
        # The resolution clock: business minutes banked before the current run, and since when it runs
        # (NULL while paused or stopped). Banking keeps pauses out of the sum without storing each one.
        sa.Column("resolution_minutes_banked", sa.Float(), nullable=False, server_default="0"),
        _aware("resolution_running_since"),
        _aware("paused_at"),
        sa.Column("sla_status", SLA_STATUS, nullable=False, server_default="ok"),
        _aware("first_response_warned_at"),
        _aware("resolution_warned_at"),
        _aware("first_response_breached_at"),
        _aware("resolution_breached_at"),
        # What claim-next orders by: the earliest due time still to be met.
        sa.Column(
            "queue_due_at",
            sa.DateTime(timezone=True),
            sa.Computed(
                "CASE WHEN first_responded_at IS NULL THEN first_response_due_at ELSE resolution_due_at END",
                persisted=True,
            ),
        ),
        sa.Column(
            "search",
            pg.TSVECTOR(),
            sa.Computed("to_tsvector('simple', title || ' ' || payload::text)", persisted=True),
        ),
        sa.CheckConstraint("requester_id IS NULL OR requester_client_id IS NULL", name="work_items_one_requester"),
        sa.CheckConstraint("char_length(title) > 0", name="work_items_title"),
    )
    op.create_index(
        "work_items_queue",
        "work_items",
        ["queue_due_at", sa.text("priority DESC"), "queued_at"],
        postgresql_where=sa.text("state = 'queued'"),
    )
    op.create_index(
        "work_items_assignee_load", "work_items", ["assignee_id", "state"],
        postgresql_where=sa.text("assignee_id IS NOT NULL"),
    )  # fmt: skip
    op.create_index("work_items_recent", "work_items", ["tenant_id", sa.text("created_at DESC")])
    op.create_index("work_items_requester", "work_items", ["tenant_id", "requester_id"])
    op.create_index("work_items_search", "work_items", ["search"], postgresql_using="gin")
    # The breach sweeper's scans: clocks still running towards an unrecorded due time.
    op.create_index(
        "work_items_first_response_open", "work_items", ["first_response_due_at"],
        postgresql_where=sa.text("first_responded_at IS NULL AND first_response_breached_at IS NULL"),
    )  # fmt: skip
    op.create_index(
        "work_items_resolution_open", "work_items", ["resolution_due_at"],
        postgresql_where=sa.text("resolution_running_since IS NOT NULL AND resolution_breached_at IS NULL"),
    )  # fmt: skip
    op.create_index(
        "work_items_warning_open", "work_items", ["warning_due_at"],
        postgresql_where=sa.text("warning_due_at IS NOT NULL"),
    )  # fmt: skip

    create_tenant_table(
        "work_item_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("from_state", WORK_STATE),
        sa.Column("to_state", WORK_STATE, nullable=False),
        sa.Column("actor_id", sa.Uuid()),
        sa.Column("actor_kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text()),
        _aware("occurred_at", nullable=False),
        _work_item_fk(),
        grant=APPEND_ONLY,
    )
    op.create_index("work_item_transitions_item", "work_item_transitions", ["tenant_id", "work_item_id", "occurred_at"])

    create_tenant_table(
        "work_item_comments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid()),
        sa.Column("author_kind", sa.String(20), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        # Internal notes are for provider staff only; a client never sees them.
        sa.Column("internal", sa.Boolean(), nullable=False, server_default="false"),
        _aware("created_at", nullable=False),
        _work_item_fk(),
        sa.CheckConstraint("char_length(body) > 0", name="work_item_comments_body"),
        grant=APPEND_ONLY,
    )
    op.create_index("work_item_comments_item", "work_item_comments", ["tenant_id", "work_item_id", "created_at"])

    create_tenant_table(
        "attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("uploaded_by", sa.Uuid()),
        sa.Column("uploader_kind", sa.String(20), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False, server_default="false"),
        _aware("created_at", nullable=False),
        _work_item_fk(),
        sa.UniqueConstraint("tenant_id", "storage_key", name="attachments_storage_key"),
    )
    op.create_index("attachments_item", "attachments", ["tenant_id", "work_item_id", "created_at"])

    create_tenant_table(
        "qa_reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("reasons", pg.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        _aware("created_at", nullable=False),
        _work_item_fk(),
        sa.CheckConstraint("verdict IN ('accept', 'reject')", name="qa_reviews_verdict"),
        sa.CheckConstraint("agent_id <> reviewer_id", name="qa_reviews_not_own_work"),
        grant=APPEND_ONLY,
    )
    op.create_index("qa_reviews_agent", "qa_reviews", ["tenant_id", "agent_id", "created_at"])

    # One row per clock and kind: the unique key is what makes "never breached twice" hold
    # when the delayed message and the sweeper race.
    create_tenant_table(
        "sla_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("clock", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        _aware("due_at", nullable=False),
        _aware("recorded_at", nullable=False),
        sa.Column("detected_by", sa.String(20), nullable=False),
        _work_item_fk(),
        sa.UniqueConstraint("tenant_id", "work_item_id", "clock", "kind", name="sla_events_once"),
        sa.CheckConstraint("clock IN ('first_response', 'resolution')", name="sla_events_clock"),
        sa.CheckConstraint("kind IN ('warning', 'breach')", name="sla_events_kind"),
        grant=APPEND_ONLY,
    )
    op.create_index("sla_events_recent", "sla_events", ["tenant_id", sa.text("recorded_at DESC")])
    grant_runtime("sla_policies", "SELECT, INSERT, UPDATE, DELETE")


def downgrade() -> None:
    for table in (
        "sla_events", "qa_reviews", "attachments", "work_item_comments", "work_item_transitions", "work_items",
        "qa_sampling", "sla_targets", "custom_service_types", "sla_policies", "service_types",
    ):  # fmt: skip
        op.drop_table(table)
    op.drop_column("plans", "custom_services")
    op.drop_column("plans", "services")
    for enum_name in ("sla_status", "work_priority", "work_state"):
        op.execute(f"DROP TYPE IF EXISTS {enum_name}")
