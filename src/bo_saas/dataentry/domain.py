"""The Data entry desk: record schemas, batches of rows (CSV/XLSX) or documents, chunks worked as items, records."""

from __future__ import annotations

from bo_saas.dataentry.accuracy_controller import AccuracyController
from bo_saas.dataentry.batch_results_controller import BatchResultsController
from bo_saas.dataentry.batches_controller import BatchController
from bo_saas.dataentry.chunks import chunk_closed, records_accepted, records_remaining
from bo_saas.dataentry.documents_controller import DocumentController
from bo_saas.dataentry.manifest import DATA_ENTRY_SECTION, SERVICE_TYPE
from bo_saas.dataentry.records_controller import RecordController
from bo_saas.dataentry.schemas_controller import SchemaController
from bo_saas.lib.domain import Domain, Meter, NavLink
from bo_saas.work.desks import Desk

METER = "data_entry.records"

DOMAIN = Domain(
    name="dataentry",
    route_handlers=[
        SchemaController,
        BatchController,
        BatchResultsController,
        RecordController,
        DocumentController,
        AccuracyController,
    ],
    models="bo_saas.dataentry.models",
    task_modules=["bo_saas.dataentry.tasks"],
    manifest_sections=[DATA_ENTRY_SECTION],
    desks=[
        Desk(
            service_type=SERVICE_TYPE,
            meter=METER,
            quantity=records_accepted,
            remaining=records_remaining,
            workspace="/console/data-entry/items/{item_id}",
            on_done=chunk_closed,
            on_closed=chunk_closed,
        )
    ],
    meters=[Meter(METER, "record", "sum", "Data entry records accepted")],
    # Agents reach the keying workspace from the item (frontend/src/desks/registry.ts); clients get the batches;
    # staff settle double keying's disagreements and follow its accuracy.
    navigation=[
        NavLink(
            "dataEntry",
            "Data entry",
            "/portal/data-entry",
            "portal",
            ("client_admin", "client_member"),
            order=35,
            service=SERVICE_TYPE,
        ),
        NavLink(
            "dataEntryAdjudication",
            "Adjudication",
            "/console/data-entry/adjudication",
            "console",
            ("provider_admin", "provider_agent"),
            order=27,
            service=SERVICE_TYPE,
        ),
        NavLink(
            "dataEntryAccuracy",
            "Keying accuracy",
            "/console/data-entry/accuracy",
            "console",
            ("provider_admin", "provider_agent"),
            order=28,
            service=SERVICE_TYPE,
        ),
    ],
)
