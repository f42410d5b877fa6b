"""Settings from ``BO_*`` environment variables, validated once at start."""

from __future__ import annotations

import base64
import ipaddress
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]
# Documents, images, spreadsheets and archives a back office exchanges with its clients.
DEFAULT_ATTACHMENT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/csv",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/zip",
)


class SettingsError(RuntimeError):
    """Raised with one readable line per missing or bad setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BO_", extra="ignore")

    # Empty database/Redis URLs mean: start the embedded servers under data_dir.
    database_url: str = Field("", description="runtime role (owns nothing, no BYPASSRLS)")
    database_admin_url: str = Field("", description="owner role, used for migrations")
    redis_url: str = ""
    secret_key: str = ""
    data_dir: Path = PROJECT_ROOT / ".data"
    # The built web app (frontend/ after `npm run build`), served at / by the API server.
    frontend_dir: Path = PROJECT_ROOT / "frontend" / "dist"
    env: str = Field("development", pattern="^(development|test|production)$")
    log_level: str = Field("INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    log_json: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # Where people open the web app: links in emails start with it. Unset: http://<host>:<port>.
    public_url: str = Field("", pattern=r"^(https?://[^\s/]+(/[^\s]*)?)?$")
    access_token_minutes: int = Field(10, ge=1, le=24 * 60)
    refresh_token_days: int = Field(14, ge=1, le=365)
    login_max_failures: int = Field(5, ge=1)
    login_lock_seconds: int = Field(60, ge=1)
    # A password-reset link works once, within this many minutes.
    password_reset_minutes: int = Field(60, ge=5, le=24 * 60)
    rate_limit_per_minute: int = Field(600, ge=1)
    # Peers (addresses or networks) whose X-Forwarded-For is believed; empty: the TCP peer is the client.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    # When set, GET /metrics needs "Authorization: Bearer <this token>".
    metrics_token: str = ""
    db_pool_size: int = Field(10, ge=1, le=200)
    outbox_sweep_seconds: int = Field(15, ge=1)
    # SLA: timers fire at each due time; the sweeper catches what a timer missed (broker down, restart).
    sla_sweep_seconds: float = Field(10, gt=0)
    # Scheduled billing (billing/schedule.py): drafts this long after a month ended everywhere, finalized
    # after a further review time; the loop looks every billing_schedule_seconds.
    billing_schedule_seconds: float = Field(3600, gt=0)
    billing_draft_grace_hours: int = Field(24, ge=0, le=31 * 24)
    billing_review_hours: int = Field(72, ge=0, le=31 * 24)
    # Dunning (billing/dunning.py): an overdue invoice is retried (card on file) with an email on each of these
    # days past its due date; past billing_suspend_after_days the tenant is suspended until it pays.
    billing_dunning_days: Annotated[tuple[int, ...], NoDecode] = (1, 3, 7)
    billing_suspend_after_days: int = Field(30, ge=1, le=365)
    # Past this many days overdue, the tenant's queued work not yet due ranks after paying tenants' (claim-next).
    billing_deprioritize_after_days: int = Field(14, ge=1, le=365)
    # A card payment processing this long after it was made is looked up at Stripe (billing/payment_reconciler.py).
    billing_payment_stale_minutes: int = Field(15, ge=1, le=24 * 60)
    # Sent outbox rows, processed-message records and delivered webhook deliveries are purged after this.
    retention_days: int = Field(30, ge=1, le=3650)
    # Outgoing email: SMTP when smtp_host is set, otherwise .eml files under data_dir/mail.
    smtp_host: str = ""
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_from: str = "bo-saas <no-reply@bo-saas.local>"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    # Outgoing tenant webhooks (notify/webhooks.py). Attempts count the first try; the wait before
    # each retry starts at the minimum backoff and doubles (with jitter) up to an hour.
    webhook_timeout_seconds: float = Field(10, gt=0, le=60)
    webhook_max_attempts: int = Field(8, ge=1, le=25)
    webhook_min_backoff_ms: int = Field(10_000, ge=1)
    # Development and tests only: allows http:// and endpoints on private, loopback or local hosts.
    webhook_allow_insecure: bool = False
    # Uploaded files' bytes (lib/storage.py); unset: data_dir/files.
    storage_dir: Path | None = None
    # The largest attachment accepted, in bytes (25 MiB).
    attachment_max_bytes: int = Field(25 * 1024 * 1024, ge=1)
    # Content types an attachment may have; in the environment a comma-separated list.
    attachment_types: Annotated[tuple[str, ...], NoDecode] = DEFAULT_ATTACHMENT_TYPES
    # Card payments through Stripe (billing/stripe_gateway.py); no API key: payment routes answer 503.
    stripe_api_key: str = ""
    # A Stripe-compatible API to call instead of Stripe's own (localstripe in the tests); empty: Stripe's.
    stripe_api_base: str = Field("", pattern=r"^(https?://[^\s/]+)?$")
    # The signing secret of the Stripe webhook endpoint that posts to /api/v1/billing/stripe/events.
    stripe_webhook_secret: str = ""
    # What the portal's card form needs: the publishable key (pk_...) Stripe.js starts with, and where Stripe.js
    # is (a Stripe.js stand-in such as localstripe's <base>/js.stripe.com/v3/ in the tests).
    stripe_publishable_key: str = Field("", pattern=r"^(pk_[A-Za-z0-9_]+)?$")
    stripe_js_url: str = Field("https://js.stripe.com/v3/", pattern=r"^https?://[^\s/]+/[^\s]*$")
    # HR personal data keys (hr/crypto.py): comma-separated "id:base64 of 32 bytes"; the first encrypts, all
    # decrypt. Empty: a development key derived from the secret key (a warning says so).
    hr_keys: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("database_url", "database_admin_url")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        if value and not value.startswith(("postgresql://", "postgresql+asyncpg://", "postgres://")):
            raise ValueError("must be a postgresql:// URL")
        if value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("attachment_types", mode="before")
    @classmethod
    def _content_types(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            value = tuple(str(part).strip().lower() for part in value)
            if not value:
                raise ValueError("must list at least one content type, e.g. application/pdf,image/png")
            bad = [part for part in value if part.count("/") != 1 or ";" in part or " " in part]
            if bad:
                raise ValueError(f"not a content type like application/pdf: {', '.join(bad)}")
        return value

    @field_validator("billing_dunning_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("billing_dunning_days")
    @classmethod
    def _rising_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(day < 1 for day in value) or list(value) != sorted(set(value)):
            raise ValueError("must be rising whole days past the due date, e.g. 1,3,7")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            bad = []
            for part in value:
                try:
                    ipaddress.ip_network(str(part).strip(), strict=False)
                except ValueError:
                    bad.append(str(part))
            if bad:
                raise ValueError(f"not an address or network like 10.0.0.0/8: {', '.join(bad)}")
            value = tuple(str(part).strip() for part in value)
        return value

    @field_validator("hr_keys", mode="before")
    @classmethod
    def _hr_keys(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            ids = []
            for part in value:
                key_id, _, encoded = str(part).partition(":")
                try:
                    size = len(base64.b64decode(encoded, validate=True))
                except ValueError:
                    size = 0
                if not re.fullmatch(r"[A-Za-z0-9_-]{1,16}", key_id) or size != 32:
                    raise ValueError(f"{key_id or part!r}: each key is id:base64 of 32 random bytes (AES-256)")
                ids.append(key_id)
            if len(set(ids)) != len(ids):
                raise ValueError("two keys share an id")
            value = tuple(str(part).strip() for part in value)
        return value

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    def check_production(self) -> None:
        """Production refuses the conveniences that development allows."""
        if self.env != "production":
            return
        missing = [
            f"BO_{name.upper()}"
            # The owner URL is needed only by `bo-saas migrate`, which checks for it itself.
            for name in ("database_url", "redis_url", "secret_key")
            if not getattr(self, name)
        ]
        if missing:
            raise SettingsError("missing settings for production: " + ", ".join(missing))
        if self.webhook_allow_insecure:
            raise SettingsError(
                "BO_WEBHOOK_ALLOW_INSECURE must be off in production: it allows http:// and private hosts"
            )

    @property
    def uses_embedded_services(self) -> bool:
        return not self.database_url or not self.redis_url

    def web_url(self, path: str = "") -> str:
        """An absolute link into the web app, for emails."""
        base = self.public_url or f"http://{self.host}:{self.port}"
        return base.rstrip("/") + path

    def signing_key(self) -> str:
        """The JWT signing secret; in development a per-data-dir random one is kept on disk."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        lines = [f"BO_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()]
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
    settings.check_production()
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
