"""Browser tests: the real Chromium driving the real server, worker and database.

The server (uvicorn) and the worker (dramatiq) run as subprocesses against the
test database and Redis, serving the built web app (``frontend/dist``). Each
test seeds what it needs with the usual fixtures; screenshots of the screens
it visits go to ``test-output/e2e/``.

Without ``/usr/bin/chromium`` or a built web app these tests are skipped and
say why; with ``BO_REQUIRE_BROWSER=1`` (CI) that is a failure instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page

from bo_saas.lib.settings import PROJECT_ROOT, Settings
from bo_saas.server.worker import worker_environment
from tests.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# BO_FRONTEND_DIR points the browser tests at another build (a developer building into a folder of their own).
BUILT_APP = Path(os.environ.get("BO_FRONTEND_DIR") or PROJECT_ROOT / "frontend" / "dist") / "index.html"
SCREENSHOTS = PROJECT_ROOT / "test-output" / "e2e"
E2E_DIR = Path(__file__).parent


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if not BUILT_APP.exists():
        return "the web app is not built (make test builds it; or npm run build in frontend/)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("BO_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"browser tests required (BO_REQUIRE_BROWSER) but {reason}")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def _environment(settings: Settings, storage: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("BO_")},
        "BO_DATABASE_URL": settings.database_url,
        "BO_DATABASE_ADMIN_URL": settings.database_admin_url,
        "BO_REDIS_URL": settings.redis_url,
        "BO_SECRET_KEY": settings.secret_key,
        "BO_FRONTEND_DIR": str(BUILT_APP.parent),
        "BO_LOG_LEVEL": "WARNING",
        "BO_RATE_LIMIT_PER_MINUTE": "100000",
        "BO_STORAGE_DIR": str(storage),
        "BO_DATA_DIR": str(storage.parent / "data"),
        # The sweepers would race the tests' table cleanup between tests; timers and relays suffice here.
        "BO_SLA_SWEEP_SECONDS": "3600",
        "BO_OUTBOX_SWEEP_SECONDS": "3600",
    }


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# Per test module, not per session: the server's worker would otherwise go on taking the jobs
# that later (non-browser) tests queue for their own in-process worker.
@pytest.fixture(scope="module")
def live_storage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's uploads folder; its data folder (``data_dir``) is the sibling ``data``."""
    return tmp_path_factory.mktemp("e2e") / "files"


@pytest.fixture(scope="module")
def live_mail_dir(live_storage: Path) -> Path:
    """Where the live server and worker write the mail they send (no SMTP host: ``.eml`` files)."""
    return live_storage.parent / "data" / "mail"


@pytest.fixture(scope="module")
def live_server(settings: Settings, live_storage: Path) -> Iterator[str]:
    """The real app in uvicorn and a dramatiq worker, serving the built web app; yields its base URL."""
    port = free_port()
    environment = _environment(settings, live_storage)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bo_saas.server.app:app_from_environment", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=environment,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "bo_saas.server.worker:boot", "--processes", "1", "--threads", "2"],
        env={**worker_environment(), **environment},
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/health", server)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(worker)
        _stop(server)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def browser_context_args(live_server: str) -> dict:
    """Every page opens relative URLs against the live server, at laptop size."""
    return {"base_url": live_server, "viewport": {"width": 1280, "height": 800}, "locale": "en-GB"}


class ConsoleWatch:
    """Errors the page printed or threw: a screen that works prints none."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def console_errors() -> ConsoleWatch:
    return ConsoleWatch()


async def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def sign_in(page: Page, email: str, password: str) -> None:
    await page.goto("/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.locator("input[type=password]").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(lambda url: "/sign-in" not in url)
