"""The Data entry desk's job: import one batch's file into records, in the background.

Not wrapped in ``lib.outbox.idempotent``: that runs the whole body in one
transaction, which would hide the import's progress until the end and lose
all of it to a crash. ``importing.import_batch`` is idempotent by its own keys
instead (records unique per row, the final split only while the batch is
importing), so a repeated or retried message resumes where the last run
stopped and stores nothing twice.
"""

from __future__ import annotations

from uuid import UUID

import dramatiq
from dramatiq.asyncio import async_to_sync

from bo_saas.dataentry.importing import give_up, import_batch
from bo_saas.lib.broker import JobDatabase
from bo_saas.lib.settings import get_settings
from bo_saas.lib.storage import storage_for

QUEUE = "data_entry"


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def import_batch_gave_up(message: dict, retries: dict) -> None:
    """Dramatiq's ``on_retry_exhausted`` for the import: the batch is marked failed with a reason."""
    kwargs = message["kwargs"]
    async_to_sync(give_up)(
        JobDatabase.sessionmaker(), UUID(kwargs["tenant_id"]), UUID(kwargs["batch_id"]), retries["retries"]
    )


@dramatiq.actor(
    queue_name=QUEUE, max_retries=5, time_limit=30 * 60_000, on_retry_exhausted=import_batch_gave_up.actor_name
)
def import_batch_file(*, tenant_id: str, batch_id: str) -> None:
    async_to_sync(import_batch)(
        JobDatabase.sessionmaker(), storage_for(get_settings()), UUID(tenant_id), UUID(batch_id)
    )
