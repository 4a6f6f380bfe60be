"""``@page``: one decorator gives a route its shell, its title and its server-side guard.

The decorators collect the pages here and ``add_pages(app)`` adds each one once. ``rx.page`` would
leave them in Reflex's registration list, which ``compile_app`` applies on every compile: the backend
workers forked from the ``reflex run`` process that compiled already compile again and re-added
every page, logging "Page <route> is being redefined with the same component." for each.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from crm_app.components.document import document_language, page_title
from crm_app.components.mounted import mounted
from crm_app.components.shell import shell
from crm_app.states.session import SessionState, ShellState, register_page

T = SessionState.tr

# (render function, App.add_page keyword arguments) of every decorated page, in import order.
_PAGES: list[tuple[Callable[[], rx.Component], dict]] = []


def _collect(component: Callable[[], rx.Component], route: str, title_key: str, on_load: list | None) -> None:
    _PAGES.append((component, {"route": route, "title": page_title(title_key), "on_load": on_load or None}))


def add_pages(app: rx.App) -> None:
    """Add the pages the decorators collected to ``app``, each once."""
    for component, kwargs in _PAGES:
        app.add_page(component, **kwargs)


def status_page(title_key: str, body_key: str, code: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.heading(code, size="9", color_scheme="gray", as_="p"),  # big, but not a second heading
            rx.heading(T[title_key], size="6", as_="h1"),
            rx.text(T[body_key]),
            rx.link(rx.button(T["go_home"]), href="/"),
            align="center", spacing="3",
        ),
        padding="4em 1em",
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), rx.text(T["loading"], class_name="sr-only"), padding="4em")


def page(route: str, title_key: str, role: str | None = None, on_load: list | None = None) -> Callable:
    """Register ``fn`` as a signed-in page. ``role`` limits it to admins; the check is server-side.
    ``title_key`` names the tab's title in the catalogues (it follows the UI language).

    The content of an admin page renders only once the guard granted *this* route. A page for every
    signed-in user also renders at once on the tab's first page (no route granted or refused yet): its
    state still holds only defaults, and it is built while the guard's answer is on its way, so only
    the rows are left to draw when they come (bench/list_page.py --network fast3g). The page's own
    ``on_load`` handlers run only after the guard, and check the session and role again before reading
    anything; a tab without a session goes to sign-in.
    """

    def decorate(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def component() -> rx.Component:
            shown = ShellState.granted_route == route
            if role is None:
                first_page = (ShellState.granted_route == "") & (ShellState.denied_route == "")
                shown = shown | (first_page & mounted)
            return shell(
                rx.cond(
                    shown,
                    fn(),
                    rx.cond(ShellState.denied_route == route,
                            status_page("forbidden_title", "forbidden_body", "403"),
                            loading()),
                )
            )

        component.__name__ = fn.__name__
        # Reflex groups a page's compiled components by the module of its callable: the page's own, so
        # each route's JavaScript chunk holds only what that page uses (charts stay with the panel).
        component.__module__ = fn.__module__
        register_page(route, role, on_load or [])
        _collect(component, route, title_key, [SessionState.guard])
        return fn

    return decorate


def public_page(route: str, title_key: str, on_load: list | None = None) -> Callable:
    """A page reachable signed out (setup, sign-in): centred card, language switch, no shell."""
    from crm_app.components.shell import brand, color_mode_button, language_select

    def decorate(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def component() -> rx.Component:
            return rx.center(
                document_language(),
                rx.vstack(
                    rx.el.header(
                        rx.hstack(brand(size="6"), rx.spacer(), language_select(), color_mode_button(),
                                  width="100%", align="center"),
                        width="100%",
                    ),
                    rx.el.main(rx.card(fn(), width="100%", size="3"), width="100%"),
                    width="100%", max_width="34em", spacing="4",
                ),
                padding=["1em", "2em"], min_height="100vh", align="start",
            )

        component.__name__ = fn.__name__
        component.__module__ = fn.__module__  # as in page(): the page's chunk holds its own components
        _collect(component, route, title_key, on_load)
        return fn

    return decorate
