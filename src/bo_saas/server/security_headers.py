"""Security headers on every response: what the browser may load, framing refused, no sniffing, no referrer.

The web app is built by Vite into same-origin scripts and styles; Mantine sets
inline ``style`` attributes, hence ``'unsafe-inline'`` for styles only. The API
documentation page (``/schema``) loads its viewer from a CDN and starts it with
an inline script, so it gets a policy of its own. HSTS is sent only over
HTTPS: on plain HTTP a browser ignores it, and a development server on
``http://127.0.0.1`` must not pin itself. Origins a domain needs besides its
own (Stripe.js for the portal's card form) are added per directive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https:; img-src 'self' data: https:; font-src 'self' data: https:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Invitation and reset links carry their token in the URL: never pass it on to another site.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
DOCS_PATH = "/schema"


def app_policy(extra_sources: Mapping[str, Sequence[str]] | None = None) -> str:
    """APP_POLICY with more origins allowed per directive, e.g. Stripe.js for the portal's card form."""
    policy = APP_POLICY
    for directive, origins in (extra_sources or {}).items():
        if not origins:
            continue
        if f"{directive} " in policy:
            policy = policy.replace(f"{directive} 'self'", f"{directive} 'self' {' '.join(origins)}", 1)
        else:
            policy += f"; {directive} 'self' {' '.join(origins)}"
    return policy


class SecurityHeadersMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, extra_sources: Mapping[str, Sequence[str]] | None = None) -> None:
        self.app_policy = app_policy(extra_sources)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                path = scope["path"]
                docs = path == DOCS_PATH or path.startswith(DOCS_PATH + "/")
                headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else self.app_policy)
                if scope["scheme"] == "https":
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await next_app(scope, receive, send_with_headers)
