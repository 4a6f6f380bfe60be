"""Reflex configuration, built from the app settings (environment variables, see README)."""

import reflex as rx
from reflex.utils import prerequisites

from crm_app.frontend_build import LeanBundlePlugin, LeanRadixThemesPlugin
from crm_app.schema_check import warn_if_schema_differs
from crm_app.settings import get_settings

_settings = get_settings()

# Reflex's own start-up schema check ignores alembic's include_name and reports the search index as
# "schema changes" on every start; ours compares the way alembic does (crm_app/schema_check.py).
prerequisites.check_schema_up_to_date = warn_if_schema_differs

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
    # [] switches socket.io's origin check off: Reflex can only hand it a list, and the same-origin
    # default needs the request's Host, so api/origins.py checks the handshake instead.
    cors_allowed_origins=[] if _settings.same_origin_default else list(_settings.cors_origins),
    # LeanBundlePlugin: each route's JavaScript holds only the components it uses; LeanRadixThemesPlugin: the
    # style sheet only the colour scales it uses (crm_app/frontend_build.py).
    plugins=[LeanRadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium")),
             LeanBundlePlugin()],
    # The export writes a .br and a .gz beside each file; the single-port server sends the first one the
    # browser accepts: brotli (every current browser) is ~13% smaller than gzip for our scripts.
    frontend_compression_formats=["brotli", "gzip"],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
