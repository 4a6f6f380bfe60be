"""One frozen settings object, read from the environment once (``get_settings()``).

Every variable is listed in README.md (name, default, meaning). In production the defaults that
are only safe on a developer's machine (the secret key, plain-HTTP cookies) are refused.

Delivery (``settings.messaging``): e-mail goes over SMTP when ``CRM_SMTP_HOST`` is set; SMS and WhatsApp
go through a Twilio-compatible REST API when ``CRM_SMS_API_URL`` is set. Without them the log-only adapters
write the message to the server log only; it ends as "logged_only" (not "sent") and the UI says the
customer received nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-insecure-secret-change-me"


class SettingsError(RuntimeError):
    """The environment describes a configuration the app must not run with."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class MessagingSettings:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | tls | none
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "Clientela <no-reply@localhost>"
    smtp_timeout: float = 20.0
    sms_api_url: str = ""  # e.g. https://api.twilio.com/2010-04-01/Accounts/<SID>/Messages.json
    sms_api_user: str = ""
    sms_api_password: str = ""
    sms_from: str = ""
    whatsapp_from: str = ""
    max_attempts: int = 5
    retry_base_seconds: int = 30
    worker_poll_seconds: float = 2.0
    worker_in_app: bool = True
    # A worker's claim on a message or webhook delivery lasts this long unless it renews it (it does, every
    # third of it, while it sends); a claim left to expire is taken by another worker (jobs/lease.py).
    lease_seconds: float = 60.0
    invitation_days: int = 7
    # A template render (preview, send, invitation) that takes longer is stopped and shown as a
    # template problem; the grammar keeps real ones far below this (crm_app/services/template_render.py).
    template_render_seconds: float = 3.0

    @property
    def email_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def sms_configured(self) -> bool:
        return bool(self.sms_api_url)


@dataclass(frozen=True)
class WebhookSettings:
    """Outgoing webhooks (crm_app/jobs/webhook_delivery.py). Production sends only to public https URLs;
    ``allow_http`` (CRM_WEBHOOKS_ALLOW_HTTP, refused in production) and ``allow_private``
    (CRM_WEBHOOKS_ALLOW_PRIVATE: loopback and private networks, e.g. a receiver on the office LAN)
    loosen that for development and tests."""

    allow_http: bool = False
    allow_private: bool = False
    max_attempts: int = 8  # a delivery fails for good after this many attempts (back-off in between)
    disable_after: int = 20  # consecutive failed attempts that disable an endpoint (its admin is told)
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'clientela.db'}"
    redis_url: str = ""
    state_manager: str = "disk"
    secret_key: str = DEV_SECRET
    port: int = 3000
    public_url: str = "http://localhost:3000"
    cors_origins: tuple[str, ...] = ("http://localhost:3000",)
    # Neither CRM_PUBLIC_URL nor CRM_CORS_ORIGINS given, outside production: the websocket accepts the
    # origin the page was served from, whatever address the visitor typed (a phone on the office LAN);
    # api/origins.py enforces it. Production keeps its explicit list.
    same_origin_default: bool = False
    cookie_secure: bool = False
    session_idle_minutes: int = 120
    session_max_hours: int = 12
    login_max_failures_account: int = 5
    login_max_failures_address: int = 20
    login_window_minutes: int = 15
    default_language: str = "es"
    messaging: MessagingSettings = field(default_factory=MessagingSettings)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    # Customer files live here, outside Reflex's public upload folder; served only through /api/files.
    files_dir: str = str(PROJECT_ROOT / "data" / "files")
    # Customer imports: the largest file and the most rows one import takes (CRM_IMPORT_MAX_MB, ..._ROWS);
    # uploaded files wait in imports_dir until their import is done or reverted.
    import_max_bytes: int = 50 * 1024 * 1024
    import_max_rows: int = 200_000
    imports_dir: str = str(PROJECT_ROOT / "data" / "imports")
    # The map's tiles: any XYZ tile server ({s}, {z}, {x}, {y}); attribution as the provider requires.
    map_tile_url: str = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "&copy; OpenStreetMap contributors"
    # How many app nodes serve this database (CRM_NODES, set by `make prod` and the systemd units): more
    # than one needs state in Redis and a database other processes can write to at once (PostgreSQL).
    nodes: int = 1
    # Log lines as JSON objects (one per line, with a request or event id) or as plain text
    # (CRM_LOG_FORMAT; production defaults to json) at CRM_LOG_LEVEL.
    log_format: str = "text"
    log_level: str = "INFO"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (default ``os.environ``); raise if unsafe for production."""
    env = os.environ if environ is None else environ
    port = int(env.get("CRM_PORT", "3000"))
    public_url = env.get("CRM_PUBLIC_URL", f"http://localhost:{port}").rstrip("/")
    mode = env.get("CRM_ENV", "development").strip().lower()
    settings = Settings(
        env=mode,
        database_url=env.get("CRM_DATABASE_URL", Settings.database_url),
        redis_url=env.get("CRM_REDIS_URL", ""),
        state_manager=env.get("CRM_STATE_MANAGER", "redis" if env.get("CRM_REDIS_URL") else "disk"),
        secret_key=env.get("CRM_SECRET_KEY", DEV_SECRET),
        port=port,
        public_url=public_url,
        cors_origins=_csv(env.get("CRM_CORS_ORIGINS", public_url)),
        same_origin_default=mode != "production"
        and not any(name in env for name in ("CRM_PUBLIC_URL", "CRM_CORS_ORIGINS")),
        cookie_secure=_bool(env.get("CRM_COOKIE_SECURE", "true" if mode == "production" else "false")),
        session_idle_minutes=int(env.get("CRM_SESSION_IDLE_MINUTES", "120")),
        session_max_hours=int(env.get("CRM_SESSION_MAX_HOURS", "12")),
        login_max_failures_account=int(env.get("CRM_LOGIN_MAX_FAILURES_ACCOUNT", "5")),
        login_max_failures_address=int(env.get("CRM_LOGIN_MAX_FAILURES_ADDRESS", "20")),
        login_window_minutes=int(env.get("CRM_LOGIN_WINDOW_MINUTES", "15")),
        default_language=env.get("CRM_DEFAULT_LANGUAGE", "es"),
        messaging=load_messaging(env),
        webhooks=WebhookSettings(
            allow_http=_bool(env.get("CRM_WEBHOOKS_ALLOW_HTTP", "false")),
            allow_private=_bool(env.get("CRM_WEBHOOKS_ALLOW_PRIVATE", "false")),
            max_attempts=int(env.get("CRM_WEBHOOKS_MAX_ATTEMPTS", "8")),
            disable_after=int(env.get("CRM_WEBHOOKS_DISABLE_AFTER", "20")),
            timeout_seconds=float(env.get("CRM_WEBHOOKS_TIMEOUT_SECONDS", "10")),
        ),
        files_dir=env.get("CRM_FILES_DIR", Settings.files_dir),
        import_max_bytes=int(float(env.get("CRM_IMPORT_MAX_MB", "50")) * 1024 * 1024),
        import_max_rows=int(env.get("CRM_IMPORT_MAX_ROWS", "200000")),
        imports_dir=env.get("CRM_IMPORTS_DIR", Settings.imports_dir),
        map_tile_url=env.get("CRM_MAP_TILE_URL", Settings.map_tile_url),
        map_attribution=env.get("CRM_MAP_ATTRIBUTION", Settings.map_attribution),
        nodes=int(env.get("CRM_NODES", "1")),
        log_format=env.get("CRM_LOG_FORMAT", "json" if mode == "production" else "text").strip().lower(),
        log_level=env.get("CRM_LOG_LEVEL", "INFO").strip().upper(),
    )
    _check(settings)
    return settings


def load_messaging(env: Mapping[str, str]) -> MessagingSettings:
    security = env.get("CRM_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("starttls", "tls", "none"):
        raise ValueError("CRM_SMTP_SECURITY must be starttls, tls or none")
    return MessagingSettings(
        smtp_host=env.get("CRM_SMTP_HOST", ""),
        smtp_port=int(env.get("CRM_SMTP_PORT", "465" if security == "tls" else "587")),
        smtp_security=security,
        smtp_user=env.get("CRM_SMTP_USER", ""),
        smtp_password=env.get("CRM_SMTP_PASSWORD", ""),
        smtp_sender=env.get("CRM_SMTP_SENDER", MessagingSettings.smtp_sender),
        sms_api_url=env.get("CRM_SMS_API_URL", ""),
        sms_api_user=env.get("CRM_SMS_API_USER", ""),
        sms_api_password=env.get("CRM_SMS_API_PASSWORD", ""),
        sms_from=env.get("CRM_SMS_FROM", ""),
        whatsapp_from=env.get("CRM_WHATSAPP_FROM", ""),
        max_attempts=int(env.get("CRM_OUTBOX_MAX_ATTEMPTS", "5")),
        retry_base_seconds=int(env.get("CRM_OUTBOX_RETRY_SECONDS", "30")),
        worker_poll_seconds=float(env.get("CRM_OUTBOX_POLL_SECONDS", "2")),
        # CRM_WORKER_IN_APP=false leaves messages, webhooks and jobs to `python -m crm_app worker`
        # processes; CRM_OUTBOX_IN_APP is its older name.
        worker_in_app=_bool(env.get("CRM_WORKER_IN_APP", env.get("CRM_OUTBOX_IN_APP", "true"))),
        lease_seconds=max(0.3, float(env.get("CRM_OUTBOX_LEASE_SECONDS", "60"))),
        invitation_days=int(env.get("CRM_INVITATION_DAYS", "7")),
        template_render_seconds=float(env.get("CRM_TEMPLATE_RENDER_SECONDS", "3")),
    )


# crm_app.i18n.LANGUAGES (settings sit below the catalogues; tests/unit/test_locale_wiring checks both agree).
UI_LANGUAGES = ("es", "en", "pt")


def _check(settings: Settings) -> None:
    if settings.env not in {"development", "test", "production"}:
        raise SettingsError(f"CRM_ENV must be development, test or production, not {settings.env!r}")
    if settings.state_manager not in {"disk", "memory", "redis"}:
        raise SettingsError("CRM_STATE_MANAGER must be disk, memory or redis")
    if settings.state_manager == "redis" and not settings.redis_url:
        raise SettingsError("CRM_STATE_MANAGER=redis needs CRM_REDIS_URL")
    if settings.default_language not in UI_LANGUAGES:
        raise SettingsError("CRM_DEFAULT_LANGUAGE must be es, en or pt")
    if settings.log_format not in {"json", "text"}:
        raise SettingsError("CRM_LOG_FORMAT must be json or text")
    _check_nodes(settings)
    if not settings.is_production:
        return
    if settings.secret_key == DEV_SECRET or len(settings.secret_key) < 32:
        raise SettingsError(
            "CRM_ENV=production needs CRM_SECRET_KEY: at least 32 random characters, not the default"
        )
    if "*" in settings.cors_origins:
        raise SettingsError("CRM_ENV=production refuses CRM_CORS_ORIGINS='*'")
    if settings.webhooks.allow_http:
        raise SettingsError(
            "CRM_ENV=production sends webhooks over https only: unset CRM_WEBHOOKS_ALLOW_HTTP"
        )


def _check_nodes(settings: Settings) -> None:
    if settings.nodes < 1:
        raise SettingsError("CRM_NODES must be 1 or more")
    if settings.nodes > 1 and settings.is_sqlite:
        raise SettingsError(
            f"CRM_NODES={settings.nodes} needs PostgreSQL: SQLite takes one writer on one machine. "
            "Set CRM_DATABASE_URL=postgresql+psycopg://... or run one node"
        )
    if settings.nodes > 1 and settings.state_manager != "redis":
        raise SettingsError(
            f"CRM_NODES={settings.nodes} needs the tabs' state in Redis, shared by every node: "
            "set CRM_REDIS_URL=redis://..."
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
