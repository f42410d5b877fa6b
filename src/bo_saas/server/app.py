"""The app factory: one place assembles plugins, middleware, dependencies and routes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from litestar import Litestar, Router
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig

from bo_saas.billing.stripe_js import content_security_sources
from bo_saas.identity.middleware import BearerTokenMiddleware
from bo_saas.identity.revocation import Revocations
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.broker import register_dead_letter_metrics, setup_broker
from bo_saas.lib.caller import Caller
from bo_saas.lib.errors import EXCEPTION_HANDLERS
from bo_saas.lib.guards import requires_caller
from bo_saas.lib.outbox import run_outbox_sweeper, wait_for_relays
from bo_saas.lib.pagination import provide_page_request
from bo_saas.lib.redis_pipe import RedisPipe
from bo_saas.lib.retention import run_outbox_retention
from bo_saas.lib.settings import Settings, get_settings
from bo_saas.server.client_address import ClientAddressMiddleware
from bo_saas.server.commit import CommitBeforeResponseMiddleware
from bo_saas.server.metrics import MetricsController
from bo_saas.server.navigation import NavigationController
from bo_saas.server.observability import (
    RequestContextMiddleware,
    configure_logging,
    health,
    log_unexpected_error,
    ready,
)
from bo_saas.server.rate_limit import RateLimitMiddleware
from bo_saas.server.refusals import MiddlewareRefusalMiddleware
from bo_saas.server.registry import Registry, load
from bo_saas.server.request_shape import GuardedRequest
from bo_saas.server.security_headers import SecurityHeadersMiddleware
from bo_saas.server.web_app import web_app_router
from bo_saas.tenancy.access import provide_db, provide_scope

API_TITLE = "bo-saas"
API_VERSION = "1.0.0"


def _rate_limit_identity(request: ASGIConnection) -> str:
    """Per person or per API client when signed in; per address otherwise."""
    caller = request.scope.get("user")
    if isinstance(caller, Caller):
        return f"{caller.actor_kind}:{caller.actor_id}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> Litestar:
    settings = settings or get_settings()
    registry = (registry or load()).install()
    configure_logging(settings)
    signer = TokenSigner(settings.signing_key(), ttl_seconds=settings.access_token_minutes * 60)
    redis = aioredis.Redis.from_url(settings.redis_url)
    # What every request asks Redis (rate limit, revocations) goes through one pipelined connection.
    redis_pipe = RedisPipe(settings.redis_url)
    revocations = Revocations(redis, redis_pipe, signer.ttl_seconds)
    # Jobs are enqueued through the outbox; the broker relays them after commit.
    broker = setup_broker(settings.redis_url)
    registry.import_task_modules()
    register_dead_letter_metrics(settings.redis_url, broker.get_declared_queues())

    db_config = SQLAlchemyAsyncConfig(
        connection_string=settings.database_url,
        engine_config=EngineConfig(pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size),
        session_config=AsyncSessionConfig(expire_on_commit=False),
        session_dependency_key="db_session",
        engine_app_state_key="db_engine",
        before_send_handler="autocommit",
        create_all=False,
    )

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.redis = redis
        # Catches what the after-commit relay could not send (e.g. while Redis was down).
        sweeper = asyncio.create_task(
            run_outbox_sweeper(db_config.get_engine(), broker, settings.outbox_sweep_seconds), name="outbox-sweeper"
        )
        # lib's tables are no domain's: their retention runs here, like the outbox sweeper.
        retention = asyncio.create_task(
            run_outbox_retention(db_config.get_engine(), settings.retention_days), name="outbox-retention"
        )
        # Each domain's own loops (e.g. the SLA sweeper), for the life of the process.
        loops = [asyncio.create_task(job(db_config.get_engine(), settings)) for job in registry.background]
        try:
            yield
        finally:
            for loop in loops:
                loop.cancel()
            sweeper.cancel()
            retention.cancel()
            await wait_for_relays()
            await redis.aclose()
            await redis_pipe.close()

    prometheus = PrometheusConfig(
        app_name="bo_saas", prefix="bo_saas", group_path=True, exclude=["/metrics", "/health"]
    )

    return Litestar(
        route_handlers=[
            health,
            ready,
            MetricsController,
            NavigationController,
            *registry.route_handlers,
            web_app_router(settings.frontend_dir),
        ],
        plugins=[SQLAlchemyPlugin(config=db_config)],
        middleware=[
            ClientAddressMiddleware(settings.trusted_proxies),
            # The portal's card form loads Stripe.js (billing/stripe_js.py): its origins join the content policy.
            SecurityHeadersMiddleware(content_security_sources(settings)),
            RequestContextMiddleware(),
            prometheus.middleware,
            MiddlewareRefusalMiddleware(),
            CommitBeforeResponseMiddleware(db_config.session_scope_key),
            BearerTokenMiddleware(signer, revocations),
            # Excludes /health, /ready, /metrics and /schema.
            RateLimitMiddleware(redis_pipe, settings.rate_limit_per_minute, _rate_limit_identity),
        ],
        guards=[requires_caller],
        dependencies={
            "tenant_scope": Provide(provide_scope),
            "db": Provide(provide_db),
            "page": Provide(provide_page_request, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=GuardedRequest,
        after_exception=[log_unexpected_error],
        lifespan=[lifespan],
        state=State({"settings": settings, "token_signer": signer, "revocations": revocations, "registry": registry}),
        openapi_config=OpenAPIConfig(
            title=API_TITLE,
            version=API_VERSION,
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
            # The API description is public, like the API's existence.
            openapi_router=Router(path="/schema", route_handlers=[], opt={"anonymous": True}),
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                }
            ),
            security=[{"bearer": []}],
        ),
        logging_config=None,
        debug=False,
    )


def app_from_environment() -> Litestar:
    """Factory used by ``bo-saas serve`` (uvicorn ``--factory``)."""
    return create_app()
