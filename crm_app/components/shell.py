"""The app shell: sidebar (a drawer on phones), header with language, dark mode and user menu."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from reflex.components.react_router.dom import ReactRouterLink

from crm_app.components.document import document_language
from crm_app.components.responsive import wide_screen
from crm_app.i18n import LANGUAGES, t
from crm_app.states.session import SessionState, ShellState

T = SessionState.tr


@dataclass(frozen=True)
class NavItem:
    key: str
    route: str
    icon: str
    admin_only: bool = False


# Later issues add entries here (Customers, Accounts, Templates, Statistics...).
NAV: list[NavItem] = [
    NavItem("nav_home", "/", "house"),
    NavItem("nav_customers", "/customers", "contact"),
    NavItem("nav_orders", "/orders", "clipboard_list"),
    NavItem("nav_sales", "/sales", "receipt"),
    NavItem("nav_leads", "/leads", "target"),
    NavItem("nav_accounts", "/accounts", "building_2"),
    NavItem("nav_invitations", "/invitations", "mail_plus"),
    NavItem("nav_templates", "/templates", "file_text"),
    NavItem("nav_campaigns", "/campaigns", "megaphone", admin_only=True),
    NavItem("nav_tasks", "/tasks", "list_checks"),
    NavItem("nav_users", "/settings/users", "users", admin_only=True),
    NavItem("nav_settings", "/settings", "settings", admin_only=True),
    NavItem("nav_form_editor", "/settings/form", "layout_list", admin_only=True),
    NavItem("nav_api", "/settings/api", "plug", admin_only=True),
]


def _nav_link(item: NavItem) -> rx.Component:
    # Plain elements with Radix's classes (components/plain.py): every page renders the whole list.
    link = ReactRouterLink.create(
        rx.icon(item.icon, size=18, aria_hidden="true"), rx.el.span(T[item.key]),
        to=item.route, class_name="rt-Text rt-reset rt-Link rt-underline-none crm-nav-link",
    )
    return rx.cond(ShellState.is_admin, link) if item.admin_only else link


def nav_links() -> rx.Component:
    return rx.el.nav(rx.el.div(*[_nav_link(item) for item in NAV], class_name="crm-nav-list"),
                     aria_label=T["nav_menu"], class_name="crm-nav")


def brand(size: str = "5") -> rx.Component:
    """The app's name: large text, not a heading (each page's own <h1> comes first in the outline)."""
    return rx.text(T["app_name"], size=size, weight="bold", class_name="crm-brand")


def color_mode_button() -> rx.Component:
    return rx.color_mode.button(aria_label=T["toggle_dark_mode"], variant="ghost")


def sidebar() -> rx.Component:
    """The navigation on a wide screen (shell renders it only there: a phone has the drawer instead)."""
    return rx.box(
        rx.vstack(
            brand(),
            rx.text(ShellState.org_name, size="2", color_scheme="gray"),
            rx.divider(),
            nav_links(),
            spacing="3", padding="1em", width="100%",
        ),
        class_name="crm-sidebar",
    )


def drawer() -> rx.Component:
    """The navigation on a phone: a dialog that slides in from the left (assets/styles.css). Radix's
    dialog is on every page already for the others; vaul's drawer cost each page 9 KB of brotli and
    scroll effects at mount, for a swipe the overlay, the close button and Escape also do."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(rx.icon("menu"), variant="ghost", aria_label=T["open_menu"]),
        ),
        rx.dialog.content(
            rx.vstack(
                rx.hstack(
                    brand(),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.icon_button(rx.icon("x"), variant="ghost", aria_label=T["close_menu"])),
                    width="100%",
                ),
                # The dialog's name ("Menú"), for screen readers; the brand heads it on screen.
                rx.dialog.title(T["nav_menu"], class_name="sr-only"),
                rx.text(ShellState.org_name, size="2", color_scheme="gray"),
                nav_links(),
                spacing="3", padding="1em", width="100%",
            ),
            class_name="crm-drawer",
        ),
        open=ShellState.drawer_open,
        on_open_change=ShellState.set_drawer_open,
    )


def language_options() -> list[tuple[str, str]]:
    """Each interface language named in itself: Español, English, Português (Brasil)."""
    return [(code, t(f"lang_{code}", code)) for code in LANGUAGES]


def language_select() -> rx.Component:
    return rx.el.select(
        *[rx.el.option(name, value=code) for code, name in language_options()],
        value=SessionState.lang,
        on_change=SessionState.set_language,
        aria_label=T["language"],
        class_name="crm-select crm-lang",
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("circle_user", size=18, aria_hidden="true"),
                      rx.text(ShellState.user_name, display=["none", "none", "inline"]),
                      variant="ghost", aria_label=T["user_menu"]),
        ),
        rx.menu.content(
            rx.box(rx.text(ShellState.user_email, size="1", color_scheme="gray"), padding="0.25em 0.75em"),
            rx.menu.item(T["my_account"], on_select=rx.redirect("/account")),
            rx.menu.separator(),
            rx.menu.item(T["sign_out"], on_select=SessionState.sign_out, color_scheme="red"),
        ),
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.cond(~wide_screen, drawer()),
            rx.text(ShellState.org_name, weight="medium", display=["inline", "inline", "none"],
                    class_name="crm-header-org"),
            rx.spacer(),
            language_select(),
            color_mode_button(),
            user_menu(),
            align="center", spacing="3", width="100%",
        ),
        class_name="crm-header",
    )


def shell(content: rx.Component) -> rx.Component:
    return rx.hstack(
        document_language(),
        # Only the navigation the screen shows is built: the sidebar's 14 links are not, on a phone.
        rx.cond(wide_screen, sidebar()),
        rx.box(header(), rx.el.main(content, class_name="crm-main"), width="100%", min_width="0"),
        spacing="0", width="100%", min_height="100vh", align="start",
    )
