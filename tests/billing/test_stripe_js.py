"""The web app's content policy lets the card form load Stripe.js, and nothing more than it needs."""

from __future__ import annotations

from bo_saas.billing.stripe_js import card_payments_ready, content_security_sources
from bo_saas.lib.settings import Settings
from bo_saas.server.security_headers import APP_POLICY, app_policy

CONFIGURED = {"stripe_api_key": "sk_test_x", "stripe_publishable_key": "pk_test_x"}


def test_stripes_own_script_allows_the_origins_stripe_documents():
    policy = app_policy(content_security_sources(Settings(**CONFIGURED)))

    assert "script-src 'self' https://js.stripe.com;" in policy
    assert "connect-src 'self' https://api.stripe.com;" in policy
    assert "frame-src 'self' https://js.stripe.com https://hooks.stripe.com" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_stand_in_is_allowed_its_one_origin():
    settings = Settings(**CONFIGURED, stripe_js_url="http://127.0.0.1:8420/js.stripe.com/v3/")

    assert content_security_sources(settings) == {
        "script-src": ["http://127.0.0.1:8420"],
        "frame-src": ["http://127.0.0.1:8420"],
        "connect-src": ["http://127.0.0.1:8420"],
    }


def test_without_a_publishable_key_the_policy_stays_the_apps_own():
    assert content_security_sources(Settings(stripe_api_key="sk_test_x")) == {}
    assert app_policy({}) == APP_POLICY


def test_cards_are_offered_only_with_both_the_secret_and_the_publishable_key():
    assert card_payments_ready(Settings(**CONFIGURED))
    assert not card_payments_ready(Settings(stripe_api_key="sk_test_x"))
    assert not card_payments_ready(Settings(stripe_publishable_key="pk_test_x"))
    assert not card_payments_ready(Settings())
