"""Diagnostics only: what would the figures be without one piece of the request path?

``python -m bench.run --ablate rate_limit,pool_overflow`` starts the server with
these pieces taken out of the real app, to price each one. Each ablation
patches the app's collaborators in the server process before ``create_app``
runs; nothing in the app changes on disk, and a run with ablations is labelled
as such in its results. They answer "how much would changing X buy", not
"is it safe to drop X".

- ``rate_limit``: no RateLimitMiddleware (``server/rate_limit.py``: one
  ``EVALSHA`` of a fixed-window counter per request).
- ``prometheus``: no PrometheusMiddleware.
- ``request_context``: no RequestContextMiddleware (request id, structlog
  context, the access line). Use ``--log-level WARNING`` to price only the line.
- ``pool_overflow``: give the app's SQLAlchemy pool all its connections up front
  (pool_size + max_overflow, no overflow). With overflow, a connection above
  pool_size is closed when it is returned while the pool is full, so 32
  concurrent requests keep opening and closing PostgreSQL connections.
"""

from __future__ import annotations

from collections.abc import Callable

ABLATIONS = ("rate_limit", "prometheus", "request_context", "pool_overflow")


def _without_middleware(predicate: Callable[[object], bool]) -> None:
    import bo_saas.server.app as app_module

    factory = app_module.Litestar

    def litestar(*args, **kwargs):
        kwargs["middleware"] = [m for m in kwargs.get("middleware", []) if not predicate(m)]
        return factory(*args, **kwargs)

    app_module.Litestar = litestar


def _defines(middleware_class: type) -> Callable[[object], bool]:
    return lambda m: getattr(m, "middleware", None) is middleware_class


def _pool_without_overflow() -> None:
    import bo_saas.server.app as app_module

    factory = app_module.EngineConfig

    def engine_config(*args, pool_size: int = 5, max_overflow: int = 0, **kwargs):
        return factory(*args, pool_size=pool_size + max_overflow, max_overflow=0, **kwargs)

    app_module.EngineConfig = engine_config


def apply(names: list[str]) -> None:
    unknown = set(names) - set(ABLATIONS)
    if unknown:
        raise SystemExit(f"unknown ablations {sorted(unknown)}; choose from {', '.join(ABLATIONS)}")
    if "rate_limit" in names:
        from bo_saas.server.rate_limit import RateLimitMiddleware

        _without_middleware(lambda m: isinstance(m, RateLimitMiddleware))
    if "prometheus" in names:
        from litestar.plugins.prometheus import PrometheusMiddleware

        _without_middleware(_defines(PrometheusMiddleware))
    if "request_context" in names:
        from bo_saas.server.observability import RequestContextMiddleware

        _without_middleware(lambda m: isinstance(m, RequestContextMiddleware))
    if "pool_overflow" in names:
        _pool_without_overflow()
