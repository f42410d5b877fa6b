"""A progress bar over tenants for billing's commands, drawn only when standard error is a terminal.

A cron job's log gets the command's summary alone; a person at a terminal sees
the bar advance tenant by tenant.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class TenantProgress:
    def __init__(self, description: str, verb: str) -> None:
        self._console = Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self._console,
        )  # fmt: skip
        self._description, self._verb = description, verb
        self._task: TaskID | None = None

    def started(self, total: int) -> None:
        if self._console.is_terminal:
            self._progress.start()
            self._task = self._progress.add_task(self._description, total=total)

    def done_with(self, tenant: str) -> None:
        if self._task is not None:
            self._progress.update(self._task, advance=1, description=f"{self._verb} {tenant}")

    def stop(self) -> None:
        self._progress.stop()
