"""Reflex configuration, built from the app settings (environment variables, see README)."""

import reflex as rx

from crm_app.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="crm_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    db_url=_settings.database_url,
    redis_url=_settings.redis_url or None,
    state_manager_mode=_settings.state_manager,
    frontend_port=_settings.port,
    backend_port=_settings.port,
    api_url=_settings.public_url,
    deploy_url=_settings.public_url,
    cors_allowed_origins=list(_settings.cors_origins),
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
