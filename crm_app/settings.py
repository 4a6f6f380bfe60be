"""One frozen settings object, read from the environment.

Every variable is listed in README.md (name, default, meaning). In production the defaults that
are only safe on a developer's machine (the secret key, plain-HTTP cookies) are refused.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from crm_app.settings_messaging import MessagingSettings, load_messaging

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-insecure-secret-change-me"


class SettingsError(RuntimeError):
    """The environment describes a configuration the app must not run with."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


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
    # Customer files live here, outside Reflex's public upload folder; served only through /api/files.
    files_dir: str = str(PROJECT_ROOT / "data" / "files")
    # The map's tiles: any XYZ tile server ({s}, {z}, {x}, {y}); attribution as the provider requires.
    map_tile_url: str = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "&copy; OpenStreetMap contributors"
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
        files_dir=env.get("CRM_FILES_DIR", Settings.files_dir),
        map_tile_url=env.get("CRM_MAP_TILE_URL", Settings.map_tile_url),
        map_attribution=env.get("CRM_MAP_ATTRIBUTION", Settings.map_attribution),
    )
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.env not in {"development", "test", "production"}:
        raise SettingsError(f"CRM_ENV must be development, test or production, not {settings.env!r}")
    if settings.state_manager not in {"disk", "memory", "redis"}:
        raise SettingsError("CRM_STATE_MANAGER must be disk, memory or redis")
    if settings.state_manager == "redis" and not settings.redis_url:
        raise SettingsError("CRM_STATE_MANAGER=redis needs CRM_REDIS_URL")
    if settings.default_language not in {"es", "en"}:
        raise SettingsError("CRM_DEFAULT_LANGUAGE must be es or en")
    if not settings.is_production:
        return
    if settings.secret_key == DEV_SECRET or len(settings.secret_key) < 32:
        raise SettingsError(
            "CRM_ENV=production needs CRM_SECRET_KEY: at least 32 random characters, not the default"
        )
    if "*" in settings.cors_origins:
        raise SettingsError("CRM_ENV=production refuses CRM_CORS_ORIGINS='*'")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
