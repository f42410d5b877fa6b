"""An unexpected error answers a bare 500 and leaves its traceback in the log, where an operator looks."""

from __future__ import annotations

import json

from litestar import get
from litestar.testing import AsyncTestClient

from bo_saas.server.app import create_app


@get("/boom", opt={"anonymous": True}, sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("the disk is on fire")


async def test_unexpected_error_is_a_bare_500_and_logged_with_its_traceback(
    settings, admin_engine, capfd, fresh_loggers
):
    app = create_app(settings.model_copy(update={"log_level": "ERROR"}))
    fresh_loggers()
    app.register(boom)
    async with AsyncTestClient(app=app) as client:
        capfd.readouterr()
        response = await client.get("/boom")
    assert response.status_code == 500
    assert "fire" not in response.text  # nothing internal leaks to the client
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    failures = [line for line in lines if line.get("event") == "request.failed"]
    assert len(failures) == 1
    assert failures[0]["path"] == "/boom"
    assert "RuntimeError: the disk is on fire" in failures[0]["exception"]
