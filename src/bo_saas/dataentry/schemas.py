"""Request and response bodies of the Data entry desk's routes (``/api/v1/data-entry/...``).

A schema body's shape is declared here for the OpenAPI document; its rules
(types, settings per type, countries with a check) are ``definitions``', which
the routes apply before saving.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

from bo_saas.dataentry.definitions import FIELD_NAME, HELP, LABEL, PATTERN
from bo_saas.lib import limits

FieldTypeName = Literal[
    "text", "integer", "decimal", "date", "boolean", "choice", "email", "phone", "iban", "tax_id", "national_id"
]
BatchStatusName = Literal["importing", "ready", "in_progress", "done", "failed"]
Bound = int | float | limits.text(40) | None  # a date bound is written "YYYY-MM-DD"; a decimal may be a string


class FieldIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: limits.text(FIELD_NAME, min_length=1)
    type: FieldTypeName
    label: limits.text(LABEL) | None = None
    required: bool = False
    pattern: limits.text(PATTERN) | None = None
    min: Bound = None
    max: Bound = None
    length: int | None = None
    choices: list[limits.text(LABEL)] | None = None
    country: limits.text(limits.COUNTRY) | None = None
    unique: bool = False
    help: limits.text(HELP) = ""


class SchemaIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    code: limits.text(limits.CODE, min_length=1)
    name: limits.text(limits.NAME, min_length=1)
    fields: list[FieldIn]
    double_key: bool = False
    chunk_size: int = 50


class SchemaOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    code: str
    version: int
    name: str
    double_key: bool
    chunk_size: int
    fields: list[dict[str, Any]]
    created_at: datetime


class BatchCounts(msgspec.Struct):
    records: int
    accepted: int
    with_problems: int
    chunks: int
    chunks_done: int


class BatchOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    schema_id: UUID
    schema_code: str
    status: BatchStatusName
    filename: str
    file_format: str
    size_bytes: int
    encoding: str | None
    delimiter: str | None
    rows_total: int | None
    rows_imported: int
    error: str | None
    created_at: datetime
    completed_at: datetime | None


class BatchDetailOut(BatchOut):
    counts: BatchCounts
    columns: list[str | None]


RecordStatusName = Literal["pending", "awaiting_second_key", "in_adjudication", "accepted"]


class RecordDocumentOut(msgspec.Struct):
    """The document a record is keyed from (``GET /api/v1/data-entry/documents/{id}`` gives its bytes)."""

    id: UUID
    content_type: str
    page: int | None  # the PDF page the record is; None: the whole document
    pages: int
    filename: str


class RecordOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID  # staff's writes name it (X-Tenant) when a list spans the tenants they serve
    batch_id: UUID
    chunk_number: int  # the batch's chunk (work item) it is worked in
    row_number: int
    status: RecordStatusName
    # As imported until accepted, then as accepted; never a keyer's pass (double keying is blind).
    values: dict[str, Any]
    problems: dict[str, str]
    updated_at: datetime
    passes_keyed: int = 0  # double keying: how many of the two passes are in (0 for a single-keyed schema)
    my_values: dict[str, Any] | None = None  # double keying: the caller's own pass, if they keyed one
    document: RecordDocumentOut | None = None  # a documents batch's record: what it is keyed from


class RecordIn(msgspec.Struct, forbid_unknown_fields=True):
    """A record's values by field name; fields left out are kept as they are."""

    values: dict[str, Any]


class Disagreement(msgspec.Struct):
    field: str
    first: Any  # the first pass's value
    second: Any  # the second pass's value


class AdjudicationOut(msgspec.Struct):
    """A record in adjudication as its adjudicator sees it: both passes, but only where they differ."""

    record_id: UUID
    batch_id: UUID
    row_number: int
    imported: dict[str, Any]  # the row as the client sent it
    agreed: dict[str, Any]  # the fields both passes keyed alike: accepted as they are
    disagreements: list[Disagreement]


class AdjudicationIn(msgspec.Struct, forbid_unknown_fields=True):
    """The value to accept for each disagreeing field (one of the two passes', or another one)."""

    values: dict[str, Any]


class AgentAccuracy(msgspec.Struct):
    agent_id: UUID
    name: str
    records_keyed: int  # accepted records the agent keyed a pass of
    fields_keyed: int
    fields_differing: int  # fields whose keyed value is not the accepted one
    error_rate: float | None  # fields_differing / fields_keyed
    accuracy: float | None  # 1 - error_rate


class FieldAgreement(msgspec.Struct):
    field: str
    compared: int  # records with both passes in
    agreed: int
    agreement: float | None  # agreed / compared


class BatchAgreement(msgspec.Struct):
    batch_id: UUID
    records_compared: int
    fields_compared: int
    fields_agreed: int
    agreement: float | None


class AccuracyOut(msgspec.Struct):
    """Double keying's measures over the batches the caller sees (optionally one batch)."""

    agents: list[AgentAccuracy]
    batches: list[BatchAgreement]
    fields: list[FieldAgreement]


class BatchAccuracy(msgspec.Struct):
    """A batch's keying quality as its client sees it: no agent is named."""

    method: Literal["double_key", "qa_sampling"]
    fields_keyed: int
    fields_differing: int
    error_rate: float | None
    accuracy: float | None
    records_compared: int
    fields_compared: int
    fields_agreed: int
    agreement: float | None
    fields: list[FieldAgreement]
    # QA sampling (single-keyed schemas): the chunks' reviews.
    chunks_reviewed: int
    chunks_sent_back: int


class RejectedRow(msgspec.Struct):
    row_number: int
    problems: dict[str, str]  # field name -> what the import found wrong
    status: RecordStatusName  # where the row is now (an agent may have corrected it since)


class BatchReportOut(msgspec.Struct):
    batch_id: UUID
    schema_code: str
    filename: str
    status: BatchStatusName
    records: int
    accepted: int
    pending: int  # every record not accepted yet, whatever it waits for
    awaiting_second_key: int
    in_adjudication: int
    rows_rejected: int  # rows the import found problems in
    problems_by_field: dict[str, int]
    rejected_rows: list[RejectedRow]  # the first REJECTED_ROWS_SHOWN of them, in row order
    accuracy: BatchAccuracy
    created_at: datetime
    completed_at: datetime | None
    turnaround_seconds: int | None  # created -> completed, wall-clock
