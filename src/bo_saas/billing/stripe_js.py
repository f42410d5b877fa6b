"""Where the portal's card form finds Stripe.js, and what the web app's content policy must allow for it.

The card number is typed into Stripe.js (Stripe's own fields) and goes to
Stripe, never to us: the browser loads the script from ``BO_STRIPE_JS_URL``
(Stripe's, or a stand-in such as localstripe's in the tests), starts it with
the publishable key, and confirms the SetupIntent our API made. The app's
Content-Security-Policy allows only its own origin, so the script's origin is
added for scripts, frames and requests; for Stripe's own script also the
origins Stripe documents for its API and its 3-D Secure frames.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from bo_saas.lib.errors import DomainError
from bo_saas.lib.settings import Settings

STRIPE_JS_HOST = "js.stripe.com"
# https://docs.stripe.com/security/guide#content-security-policy
STRIPE_API_ORIGIN = "https://api.stripe.com"
STRIPE_FRAMES_ORIGIN = "https://hooks.stripe.com"


class CardFormNotConfigured(DomainError):
    """503: no publishable key is configured, so the browser cannot start Stripe.js."""

    status_code = HTTP_503_SERVICE_UNAVAILABLE


def require_card_form(settings: Settings) -> None:
    if not settings.stripe_publishable_key:
        raise CardFormNotConfigured("Saving a card is not configured: set BO_STRIPE_PUBLISHABLE_KEY")


def card_payments_ready(settings: Settings) -> bool:
    """Whether a card can be saved (and so charged) here: what the portal asks before offering the card form."""
    return bool(settings.stripe_api_key and settings.stripe_publishable_key)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_sources(settings: Settings) -> dict[str, list[str]]:
    """The origins the app's policy adds per directive; none while the card form is not configured."""
    if not card_payments_ready(settings):
        return {}
    origin = _origin(settings.stripe_js_url)
    if urlsplit(settings.stripe_js_url).hostname == STRIPE_JS_HOST:
        return {
            "script-src": [origin],
            "frame-src": [origin, STRIPE_FRAMES_ORIGIN],
            "connect-src": [STRIPE_API_ORIGIN],
        }
    # A stand-in serves its script, its frames (if any) and its API from one origin.
    return {"script-src": [origin], "frame-src": [origin], "connect-src": [origin]}
