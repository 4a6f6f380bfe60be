"""What the benchmarks share: their database made the app's, their organization and its signed-in admin."""

from __future__ import annotations

import os


def use_database(url: str, **settings: str) -> None:
    """Make ``url`` (and any other ``CRM_*`` settings given) this process's: the cached settings and
    engine are dropped, so the app's code reads them afresh on its next use."""
    os.environ["CRM_DATABASE_URL"] = url
    os.environ.update(settings)
    from crm_app.db import get_engine
    from crm_app.settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()


def create_bench_organization(email: str, password: str, name: str = "Bench Admin"):
    """An Ecuadorian organization with one admin, signed in: (organization id, signed-in result)."""
    from crm_app.db import session_scope
    from crm_app.services import auth
    from crm_app.services.organizations import AdminInput, OrganizationInput, create_organization

    with session_scope() as session:
        org = create_organization(
            session=session,
            org=OrganizationInput(
                name="Bench", country="EC", currency="USD", language="es", timezone="America/Guayaquil"
            ),
            admin=AdminInput(name=name, email=email, password=password),
        )
        signed = auth.sign_in(session=session, email=email, password=password)
    return org.id, signed


def open_tab(root, token: str, pathname: str, as_path: str, query: dict[str, str] | None = None) -> None:
    """Point a state tree at a page, as a tab whose browser holds the session cookie: the server reads the
    token from the websocket handshake's Cookie header and checks the page's marker against it
    (states/browser_session.py), never from a state var."""
    from reflex.istate.data import RouterData

    from crm_app.services import auth
    from crm_app.states.browser_session import MARKER_KEY

    data = {"pathname": pathname, "asPath": as_path, "query": dict(query or {}),
            "headers": {"host": "localhost", "cookie": f"{auth.SESSION_COOKIE}={token}"},
            MARKER_KEY: auth.session_marker(token)}
    root.router_data = data
    root.router = RouterData.from_router_data(data)


def session_cookies(token: str, base: str) -> list[dict]:
    """The cookies a browser holds after signing in (api/session.py sets them): the HttpOnly session and
    its readable marker."""
    from crm_app.services import auth

    return [
        {"name": auth.SESSION_COOKIE, "value": token, "url": base, "httpOnly": True, "sameSite": "Strict"},
        {"name": auth.MARKER_COOKIE, "value": auth.session_marker(token), "url": base, "sameSite": "Strict"},
    ]
