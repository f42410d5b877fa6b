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


class RecordOut(msgspec.Struct):
    id: UUID
    batch_id: UUID
    chunk_number: int  # the batch's chunk (work item) it is worked in
    row_number: int
    status: Literal["pending", "accepted"]
    values: dict[str, Any]
    problems: dict[str, str]
    updated_at: datetime


class RecordIn(msgspec.Struct, forbid_unknown_fields=True):
    """A record's values by field name; fields left out are kept as they are."""

    values: dict[str, Any]
