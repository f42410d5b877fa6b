"""``BO_*`` settings: a bad value stops the start with a line naming the variable."""

from __future__ import annotations

import os

import pytest

from bo_saas.lib.settings import SettingsError, load_settings

GOOD_SECRET = "a-secret-key-that-is-at-least-32-characters-long"
# What a production api or worker process needs; the owner URL is only for `bo-saas migrate`.
PRODUCTION_URLS = {
    "BO_DATABASE_URL": "postgresql+asyncpg://bo_app@db:5432/bo_saas",
    "BO_REDIS_URL": "redis://cache:6379/0",
    "BO_SECRET_KEY": GOOD_SECRET,
}


@pytest.fixture(autouse=True)
def no_bo_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from an environment without any BO_* variable (CI and conftest set some)."""
    for name in list(os.environ):
        if name.upper().startswith("BO_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    ("variable", "value", "explanation"),
    [
        ("BO_PORT", "eighty", "integer"),
        ("BO_PORT", "70000", "65535"),
        ("BO_DATABASE_URL", "mysql://app@db/bo", "postgresql://"),
        ("BO_DATABASE_ADMIN_URL", "sqlite:///bo.db", "postgresql://"),
        ("BO_REDIS_URL", "http://cache:6379", "redis://"),
        ("BO_SECRET_KEY", "too-short", "32 characters"),
        ("BO_ENV", "staging", "development|test|production"),
        ("BO_LOG_LEVEL", "chatty", "DEBUG|INFO|WARNING|ERROR"),
        ("BO_LOG_JSON", "sometimes", "boolean"),
        ("BO_DB_POOL_SIZE", "0", "greater than or equal to 1"),
        ("BO_ACCESS_TOKEN_MINUTES", "-5", "greater than or equal to 1"),
        ("BO_STRIPE_PUBLISHABLE_KEY", "sk_test_secret", "pk_"),
        ("BO_STRIPE_JS_URL", "js.stripe.com/v3/", "https?://"),
    ],
)
def test_bad_value_raises_settings_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, explanation: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    message = str(raised.value)
    assert f"{variable}:" in message
    assert explanation in message


def test_every_bad_variable_is_reported_on_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BO_PORT", "eighty")
    monkeypatch.setenv("BO_REDIS_URL", "http://cache")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    lines = str(raised.value).splitlines()
    assert any(line.strip().startswith("BO_PORT:") for line in lines)
    assert any(line.strip().startswith("BO_REDIS_URL:") for line in lines)


def test_plain_postgresql_url_is_given_the_asyncpg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BO_DATABASE_URL", "postgresql://bo_app@db:5432/bo_saas")
    monkeypatch.setenv("BO_DATABASE_ADMIN_URL", "postgres://postgres@db:5432/bo_saas")

    settings = load_settings()

    assert settings.database_url == "postgresql+asyncpg://bo_app@db:5432/bo_saas"
    assert settings.database_admin_url == "postgresql+asyncpg://postgres@db:5432/bo_saas"


def test_development_without_urls_uses_embedded_services() -> None:
    settings = load_settings()

    assert settings.env == "development"
    assert settings.uses_embedded_services


def test_production_without_urls_or_secret_names_each_of_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BO_ENV", "production")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    message = str(raised.value)
    for variable in PRODUCTION_URLS:
        assert variable in message


@pytest.mark.parametrize("missing", sorted(PRODUCTION_URLS))
def test_production_names_the_one_missing_setting(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setenv("BO_ENV", "production")
    for variable, value in PRODUCTION_URLS.items():
        if variable != missing:
            monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    named = {variable for variable in PRODUCTION_URLS if variable in str(raised.value)}
    assert named == {missing}


def test_production_with_the_required_settings_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BO_ENV", "production")
    for variable, value in PRODUCTION_URLS.items():
        monkeypatch.setenv(variable, value)

    settings = load_settings()

    assert settings.env == "production"
    assert not settings.uses_embedded_services
    assert settings.signing_key() == GOOD_SECRET
