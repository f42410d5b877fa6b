"""Billing's background job, sent through the outbox: carrying out a billing run started from the console.

The console's request records the run and queues this in the same transaction
(``runs_controller``), so a run is on record exactly when its job is; the
console then follows the run's row. A redelivered message finds the run
finished and does nothing, or (its worker died half-way) bills it again from
the start, which makes no invoice twice.
"""

from __future__ import annotations

from uuid import UUID

import dramatiq
from dramatiq.asyncio import async_to_sync

from bo_saas.billing.runs import carry_out
from bo_saas.lib.broker import JobDatabase

QUEUE = "billing"


@dramatiq.actor(queue_name=QUEUE, max_retries=0, time_limit=6 * 60 * 60_000)
def carry_out_billing_run(*, run_id: str) -> None:
    """A run that stops on an error is marked failed with its reason; a provider admin starts another."""
    async_to_sync(carry_out)(JobDatabase.sessionmaker(), UUID(run_id))
