"""Payroll's background jobs, sent through the outbox: computing a run, and producing its payslip PDFs.

Both are idempotent by their own keys (see payroll_compute and payslip_documents),
so a redelivered message or a retry does the work once; they are not wrapped in
one transaction, which would hide their progress until the end.
"""

from __future__ import annotations

from uuid import UUID

import dramatiq
from dramatiq.asyncio import async_to_sync

from bo_saas.hr.crypto import keyring
from bo_saas.hr.payroll_compute import compute_run
from bo_saas.hr.payslip_documents import produce_documents
from bo_saas.lib.broker import JobDatabase
from bo_saas.lib.settings import get_settings

QUEUE = "hr"


@dramatiq.actor(queue_name=QUEUE, max_retries=0, time_limit=30 * 60_000)
def compute_payroll_run(*, tenant_id: str, run_id: str) -> None:
    """A failure marks the run failed with its reason; the preparer reruns it with ``/compute``."""
    async_to_sync(compute_run)(JobDatabase.sessionmaker(), keyring(get_settings()), UUID(tenant_id), UUID(run_id))


@dramatiq.actor(queue_name=QUEUE, max_retries=5, time_limit=60 * 60_000)
def make_payslip_documents(*, tenant_id: str, run_id: str) -> None:
    async_to_sync(produce_documents)(JobDatabase.sessionmaker(), UUID(tenant_id), UUID(run_id))
