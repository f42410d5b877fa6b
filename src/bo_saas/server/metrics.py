"""Prometheus ``/metrics``: open by default (bind it privately), or behind ``BO_METRICS_TOKEN``.

The scraper sends the token as a bearer token; it is not an access token, so the
access-token middleware leaves this route alone (``SKIP_ACCESS_TOKEN``).
"""

from __future__ import annotations

import hmac

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusController

from bo_saas.identity.middleware import SKIP_ACCESS_TOKEN


def requires_metrics_token(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    expected = connection.app.state.settings.metrics_token
    if not expected:
        return
    kind, _, token = connection.headers.get("authorization", "").partition(" ")
    if kind.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise NotAuthorizedException(
            "The metrics token is missing or wrong", headers={"WWW-Authenticate": 'Bearer realm="metrics"'}
        )


class MetricsController(PrometheusController):
    path = "/metrics"
    opt = {"anonymous": True, SKIP_ACCESS_TOKEN: True}
    guards = [requires_metrics_token]
    include_in_schema = False
