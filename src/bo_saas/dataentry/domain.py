"""The Data entry desk: record schemas, batches of rows from CSV/XLSX files, chunks worked as items, records."""

from __future__ import annotations

from bo_saas.dataentry.batches_controller import BatchController
from bo_saas.dataentry.chunks import chunk_done, records_accepted, records_remaining
from bo_saas.dataentry.manifest import DATA_ENTRY_SECTION, SERVICE_TYPE
from bo_saas.dataentry.records_controller import RecordController
from bo_saas.dataentry.schemas_controller import SchemaController
from bo_saas.lib.domain import Domain, Meter
from bo_saas.work.desks import Desk

METER = "data_entry.records"

DOMAIN = Domain(
    name="dataentry",
    route_handlers=[SchemaController, BatchController, RecordController],
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
            on_done=chunk_done,
        )
    ],
    meters=[Meter(METER, "record", "sum", "Data entry records accepted")],
    # The desk's screens (keying, batches) come with the keying UI; until then the generic item views serve.
    navigation=[],
)
