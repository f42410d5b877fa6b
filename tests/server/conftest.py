"""Reading the app's log lines from captured stderr."""

from __future__ import annotations

import pytest
import structlog

from bo_saas.server import commit, observability


@pytest.fixture
def fresh_loggers(monkeypatch: pytest.MonkeyPatch):
    """Call after create_app: loggers cache their output stream on first use, and each test captures a new one."""

    def renew() -> None:
        monkeypatch.setattr(observability, "access_log", structlog.get_logger("bo_saas.access"))
        monkeypatch.setattr(commit, "error_log", structlog.get_logger("bo_saas.errors"))

    return renew
