"""/settings (admins): organization, duplicate rules, lists, tags and the admin activity log."""

import reflex as rx
from reflex.vars import Var

from crm_app.components.controls import check, move_buttons
from crm_app.components.data_list import numbered_pager, page_header, row_button
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.forms import select_field, text_field
from crm_app.components.shell import language_options
from crm_app.domain.countries import COUNTRIES, CURRENCIES, TIMEZONES
from crm_app.domain.customers import PHONE_KINDS
from crm_app.pages.base import page
from crm_app.states.settings import EntryRow, LogRow, SettingsState, TagRow

S = SettingsState
T = S.tr
# Lists whose use is not obvious get one line saying what adding an entry does.
LIST_HINTS = ("phone_labels", "order_types")


def _section(title_key: str, *children, **props) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(T[title_key], size="4", as_="h2"), *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )


def _organization() -> rx.Component:
    countries = [
        (c.code, f"{c.name_es} ({c.code})") for c in sorted(COUNTRIES.values(), key=lambda c: c.name_es)
    ]
    E = S.org_errors
    return _section(
        "org_section",
        rx.form(
            rx.vstack(
                text_field(T["org_name"], "org_name", E, form_id="org", default_value=S.org.get("name", "")),
                rx.grid(
                    *[
                        select_field(
                            T[name], name, options, E, form_id="org", default_value=S.org.get(name, "")
                        )
                        for name, options in (
                            ("country", countries),
                            ("currency", [(c, c) for c in CURRENCIES]),
                            ("language", language_options()),
                            ("timezone", [(z, z) for z in TIMEZONES]),
                        )
                    ],
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.button(T["save"], type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_organization,
            key=S.org_generation,
        ),
    )


def _duplicates() -> rx.Component:
    def rule(key: str) -> rx.Component:
        return check(T[f"duplicate_rule_{key}"], S.duplicates.get(key, False), S.toggle_duplicate(key))

    return _section(
        "duplicate_rules",
        rx.text(T["duplicate_rules_hint"], size="2", color_scheme="gray"),
        rx.vstack(rule("phone"), rule("email"), rule("tax_id"), spacing="3"),
    )


def _sales_transfer() -> rx.Component:
    return _section(
        "sales_transfer_section",
        rx.text(T["sales_transfer_hint"], size="2", color_scheme="gray"),
        check(T["sales_transfer_label"], S.sales_transfer, S.allow_sales_transfer(~S.sales_transfer)),
    )


def _campaign_pace() -> rx.Component:
    return _section(
        "campaign_pace_section",
        rx.form(
            rx.vstack(
                text_field(T["campaign_pace_label"], "campaign_per_minute", S.pace_errors, form_id="pace",
                           input_mode="numeric", default_value=S.campaign_pace,
                           hint=T["campaign_pace_hint"], key=S.org_generation, max_width="12em"),
                rx.button(T["save"], type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_campaign_pace,
            reset_on_submit=False,
        ),
    )


def _entry(list_name: str, entry: EntryRow, index: Var) -> rx.Component:
    row = rx.hstack(
        rx.input(
            default_value=entry.name,
            aria_label=T["rename"].to(str) + " " + entry.name,
            size="2",
            on_blur=lambda v: S.rename_entry(list_name, entry.id, v),
            width="100%",
            key=entry.id.to(str) + entry.name,
        ),
        rx.el.input(
            type="color",
            value=entry.color,
            aria_label=T["color"].to(str) + " " + entry.name,
            on_change=lambda v: S.recolor_entry(list_name, entry.id, v),
        )
        if list_name == "order_types"
        else rx.fragment(),
        move_buttons(entry.name, S.move_entry(list_name, entry.id, -1), S.move_entry(list_name, entry.id, 1),
                     first=index == 0, last=index == S.lists.get(list_name, []).length() - 1)
        if list_name != "phone_labels"
        else rx.fragment(),
        rx.cond(
            entry.active,
            rx.button(
                T["remove"],
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=S.set_entry_active(list_name, entry.id, False),
                aria_label=T["remove"].to(str) + " " + entry.name,
            ),
            rx.button(
                T["restore"],
                size="1",
                variant="soft",
                on_click=S.set_entry_active(list_name, entry.id, True),
                aria_label=T["restore"].to(str) + " " + entry.name,
            ),
        ),
        width="100%",
        align="center",
        opacity=rx.cond(entry.active, "1", "0.6"),
    )
    if list_name != "order_types":
        return row
    # Under the row, which leaves a phone room for the type's name.
    walk_in = check(T["order_type_walk_in"], entry.walk_in, S.set_walk_in(entry.id, ~entry.walk_in),
                    aria_label=T["order_type_walk_in_named"].to(str).replace("{name}", entry.name))
    return rx.vstack(row, walk_in, spacing="1", width="100%")


def _builtin(name: Var) -> rx.Component:
    """A type the app itself provides: shown so the list is never mistaken for empty, not editable."""
    return rx.hstack(
        rx.text(name, size="2"),
        rx.badge(T["list_builtin"], size="1", variant="soft", color_scheme="gray"),
        align="center",
        spacing="2",
    )


def _list(list_name: str) -> rx.Component:
    control_id = f"new-{list_name}"
    entries = S.lists.get(list_name, [])
    return rx.vstack(
        rx.heading(T[f"list_{list_name}"], size="3", as_="h3"),
        rx.text(T[f"list_{list_name}_hint"], size="2", color_scheme="gray")
        if list_name in LIST_HINTS
        else rx.fragment(),
        *[_builtin(T[f"phone_kind_{k}"]) for k in PHONE_KINDS] if list_name == "phone_labels" else [],
        rx.foreach(entries, lambda e, i: _entry(list_name, e, i)),
        rx.cond(entries.length() == 0, rx.text(T["list_empty"], size="2", color_scheme="gray"))
        if list_name != "phone_labels"
        else rx.fragment(),
        rx.form(
            rx.hstack(
                rx.input(
                    name="name",
                    id=control_id,
                    placeholder=T["new_entry"],
                    width="100%",
                    aria_label=T[f"new_{list_name}"],
                ),
                rx.el.input(type="color", name="color", default_value="#3e63dd", aria_label=T["color"])
                if list_name == "order_types"
                else rx.fragment(),
                rx.button(T["add"], type="submit", variant="soft"),
                width="100%",
            ),
            on_submit=lambda form: S.add_entry(list_name, form),
            reset_on_submit=True,
            width="100%",
        ),
        rx.cond(
            S.list_errors.contains(list_name),
            rx.text(S.list_errors[list_name], color_scheme="red", size="2", role="alert"),
        ),
        spacing="2",
        width="100%",
        role="region",
        aria_label=T[f"list_{list_name}"],
    )


def _tag_row(tag: TagRow) -> rx.Component:
    return rx.hstack(
        rx.el.input(
            type="checkbox",
            checked=S.selected_tags.contains(tag.id),
            on_change=S.toggle_tag(tag.id),
            aria_label=T["select_tag"].to(str) + " " + tag.name,
        ),
        rx.input(
            default_value=tag.name,
            aria_label=T["rename"].to(str) + " " + tag.name,
            size="2",
            on_blur=lambda v: S.rename_tag(tag.id, v),
            width="100%",
            key=tag.id.to(str) + tag.name,
        ),
        rx.badge(T["customers_count"].to(str).replace("{count}", tag.customers.to(str)), size="1"),
        row_button("trash_2", "delete", tag.name, S.ask_delete_tag(tag.id), color_scheme="red"),
        width="100%",
        align="center",
    )


def _tags() -> rx.Component:
    return _section(
        "tags",
        rx.input(
            placeholder=T["search_tags"],
            aria_label=T["search_tags"],
            type="search",
            on_change=S.search_tags.debounce(300),
            width="100%",
            max_width="24em",
        ),
        rx.foreach(S.tags, _tag_row),
        rx.cond(S.tags.length() == 0, rx.text(T["no_tags"], color_scheme="gray")),
        numbered_pager(S.tag_page, S.previous_tags, S.next_tags, S.tag_next != "", button_size="1", size="2"),
        rx.cond(
            S.selected_tags.length() >= 2,
            rx.vstack(
                rx.el.label(T["merge_into"], html_for="merge-name", class_name="crm-label"),
                rx.hstack(
                    rx.input(id="merge-name", value=S.merge_name, on_change=S.set_merge_name, width="100%"),
                    rx.button(T["merge_tags"], on_click=S.merge_selected),
                    width="100%",
                ),
                spacing="1",
                width="100%",
            ),
        ),
        rx.cond(
            S.tag_errors.length() > 0,
            rx.foreach(
                S.tag_errors.values(), lambda m: rx.text(m, color_scheme="red", size="2", role="alert")
            ),
        ),
    )


def _kind_label(kind: Var) -> Var:
    """The event's label in the user's language (i18n/areas/admin_log.py), else its raw name."""
    return T.get("admin_event_" + kind.replace(".", "_"), kind)


def _log_row(row: LogRow) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(row.at, size="1", color_scheme="gray"),
            rx.text(row.who, size="2", weight="medium"),
            rx.badge(_kind_label(row.kind), size="1"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        rx.cond(
            row.changes.length() > 0,
            rx.el.ul(rx.foreach(row.changes, lambda line: rx.el.li(line)), class_name="crm-log-changes"),
        ),
        class_name="crm-log-item",
    )


def _log() -> rx.Component:
    return _section(
        "admin_log",
        rx.el.ol(rx.foreach(S.log, _log_row), class_name="crm-feed crm-log", aria_label=T["admin_log"]),
        numbered_pager(S.log_page, S.previous_log, S.next_log, S.log_has_next, button_size="1", size="2"),
    )


@page("/settings", "title_settings", role="admin", on_load=[SettingsState.load])
def settings() -> rx.Component:
    return rx.vstack(
        page_header(
            T["settings_title"],
            rx.link(
                rx.button(rx.icon("layout_list", size=16), T["form_editor_title"], variant="soft"),
                href="/settings/form",
            ),
        ),
        rx.grid(
            _organization(),
            _duplicates(),
            _sales_transfer(),
            _campaign_pace(),
            _section("lists", _list("channels"), _list("phone_labels"), _list("order_types")),
            _tags(),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        _log(),
        confirm_dialog(S.confirm_text != "", S.confirm_text, S.confirm_delete_tag, S.cancel_delete_tag),
        spacing="4",
        width="100%",
    )
