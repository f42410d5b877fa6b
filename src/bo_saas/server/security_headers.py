"""Security headers on every response: what the browser may load, framing refused, no sniffing, no referrer.

The web app is built by Vite into same-origin scripts and styles; Mantine sets
inline ``style`` attributes, hence ``'unsafe-inline'`` for styles only. The API
documentation page (``/schema``) loads its viewer from a CDN and starts it with
an inline script, so it gets a policy of its own. HSTS is sent only over
HTTPS: on plain HTTP a browser ignores it, and a development server on
``http://127.0.0.1`` must not pin itself.
"""

from __future__ import annotations

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


class SecurityHeadersMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                path = scope["path"]
                docs = path == DOCS_PATH or path.startswith(DOCS_PATH + "/")
                headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else APP_POLICY)
                if scope["scheme"] == "https":
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await next_app(scope, receive, send_with_headers)
