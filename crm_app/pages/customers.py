"""Customer list: search as you type, filters, sort, keyset pages, trash; cards on phones."""

import reflex as rx

from crm_app.components.customer_badges import flags, tag_badges, type_label
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.invite_dialog import invite_button
from crm_app.components.responsive import wide_or_narrow
from crm_app.pages.base import page
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.customers import CustomersState, ListRow

S = CustomersState
T = S.tr


def _filter_select(label_key: str, name: str, value, options: list) -> rx.Component:
    control_id = f"filter-{name}"
    return rx.vstack(
        rx.el.label(T[label_key], html_for=control_id, class_name="crm-label"),
        rx.el.select(
            *options,
            id=control_id,
            value=value,
            class_name="crm-select",
            on_change=lambda v: S.set_filter(name, v),
        ),
        spacing="1",
        min_width="9em",
    )


def _yes_no(label_key: str, name: str, value) -> rx.Component:
    return _filter_select(
        label_key,
        name,
        value,
        [
            rx.el.option(T["any"], value=""),
            rx.el.option(T["yes"], value="1"),
            rx.el.option(T["no"], value="0"),
        ],
    )


def _filters() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _filter_select(
                "filter_type",
                "type",
                S.client_type,
                [
                    rx.el.option(T["all_types"], value=""),
                    *[
                        rx.el.option(T[f"client_type_{t}"], value=t)
                        for t in ("person", "company", "government")
                    ],
                ],
            ),
            rx.vstack(
                rx.el.label(T["filter_tags"], html_for="filter-tags", class_name="crm-label"),
                rx.el.select(
                    rx.el.option("—", value=""),
                    rx.foreach(S.tag_options, lambda t: rx.el.option(t, value=t)),
                    id="filter-tags",
                    value="",
                    class_name="crm-select",
                    on_change=S.add_tag_filter,
                    on_focus=S.refresh_tag_options,
                ),
                spacing="1",
                min_width="9em",
            ),
            _yes_no("filter_supplier", "supplier", S.supplier),
            _yes_no("filter_conflictive", "conflictive", S.conflictive),
            _filter_select(
                "filter_channel",
                "channel",
                S.channel,
                [
                    rx.el.option(T["any"], value=""),
                    rx.foreach(S.channels, lambda c: rx.el.option(c[1], value=c[0])),
                ],
            ),
            _yes_no("filter_consent", "consent", S.consent),
            rx.cond(
                S.choice_options.length() > 0,
                _filter_select(
                    "filter_custom_choice",
                    "option",
                    S.option,
                    [
                        rx.el.option(T["any"], value=""),
                        rx.foreach(S.choice_options, lambda c: rx.el.option(c[1], value=c[0])),
                    ],
                ),
            ),
            _filter_select(
                "sort_by",
                "sort",
                S.sort,
                [
                    rx.el.option(T["sort_name"], value="name"),
                    rx.el.option(T["sort_name_desc"], value="-name"),
                    rx.el.option(T["sort_created_desc"], value="-created"),
                    rx.el.option(T["sort_created"], value="created"),
                ],
            ),
            spacing="3",
            wrap="wrap",
            align="end",
        ),
        rx.hstack(
            rx.foreach(
                S.tag_filter,
                lambda tag: rx.badge(
                    tag,
                    rx.icon_button(
                        rx.icon("x", size=12),
                        size="1",
                        variant="ghost",
                        on_click=S.remove_tag_filter(tag),
                        aria_label=T["remove_filter"].to(str) + " " + tag,
                    ),
                    size="2",
                    variant="surface",
                ),
            ),
            rx.cond(
                S.account != "",
                rx.badge(
                    T["filter_account"], ": ", S.account_name,
                    rx.icon_button(
                        rx.icon("x", size=12),
                        size="1",
                        variant="ghost",
                        on_click=S.set_filter("account", ""),
                        aria_label=T["remove_account_filter"],
                    ),
                    size="2", variant="surface", color_scheme="teal",
                ),
            ),
            rx.link(T["clear_filters"], on_click=S.clear_filters, size="2", href="#"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        spacing="2",
        width="100%",
    )


def _row_actions(row: ListRow) -> rx.Component:
    return rx.cond(
        S.trash,
        rx.button(
            T["restore"],
            size="1",
            variant="soft",
            on_click=S.restore(row.id),
            aria_label=T["restore"].to(str) + " " + row.name,
        ),
        rx.hstack(
            rx.link(
                rx.icon_button(
                    rx.icon("eye", size=16),
                    size="1",
                    variant="ghost",
                    aria_label=T["open"].to(str) + " " + row.name,
                ),
                href="/customers/" + row.id.to_string(),
            ),
            rx.icon_button(
                rx.icon("pencil", size=16),
                size="1",
                variant="ghost",
                on_click=CustomerFormState.open_edit(row.id),
                aria_label=T["edit"].to(str) + " " + row.name,
            ),
            rx.icon_button(
                rx.icon("trash_2", size=16),
                size="1",
                variant="ghost",
                color_scheme="red",
                on_click=S.ask_delete(row.id, row.name),
                aria_label=T["delete"].to(str) + " " + row.name,
            ),
            spacing="1",
        ),
    )


def _name_link(row: ListRow) -> rx.Component:
    return rx.link(row.name, href="/customers/" + row.id.to_string(), weight="medium")


def _table() -> rx.Component:
    headers = (
        "col_name",
        "col_type",
        "col_phone",
        "col_email",
        "col_tax_id",
        "col_tags",
        "col_flags",
        "actions",
    )
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in headers])),
        rx.table.body(
            rx.foreach(
                S.rows,
                lambda row: rx.table.row(
                    rx.table.row_header_cell(_name_link(row)),
                    rx.table.cell(type_label(row.client_type)),
                    rx.table.cell(row.phone),
                    rx.table.cell(row.email),
                    rx.table.cell(row.tax_id),
                    rx.table.cell(tag_badges(row.tags)),
                    rx.table.cell(flags(row.supplier, row.conflictive)),
                    rx.table.cell(_row_actions(row)),
                ),
            )
        ),
        width="100%",
        size="1",
        aria_label=T["customers_title"],
    )


def _cards() -> rx.Component:
    return rx.vstack(
        rx.foreach(
            S.rows,
            lambda row: rx.card(
                rx.vstack(
                    rx.hstack(
                        _name_link(row), rx.spacer(), flags(row.supplier, row.conflictive), width="100%"
                    ),
                    rx.text(type_label(row.client_type), size="1", color_scheme="gray"),
                    rx.cond(row.phone != "", rx.text(row.phone, size="2")),
                    rx.cond(row.email != "", rx.text(row.email, size="2")),
                    tag_badges(row.tags),
                    _row_actions(row),
                    spacing="1",
                    width="100%",
                ),
                width="100%",
            ),
        ),
        width="100%",
        class_name="crm-cards",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.button(T["first_page"], variant="soft", on_click=S.first_page, disabled=S.cursor == ""),
        rx.button(T["next_page"], variant="soft", on_click=S.next_page, disabled=S.next_cursor == ""),
        spacing="3",
    )


@page("/customers", "Clientes", on_load=[CustomersState.load])
def customers() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(rx.cond(S.trash, T["trash"], T["customers_title"]), size="6", as_="h1"),
            rx.spacer(),
            rx.button(
                # Two fixed icons, not one whose name is a state var: a var name makes Reflex import
                # lucide's DynamicIcon, a 730 KB map of every icon that every page then loads.
                rx.cond(
                    S.trash,
                    rx.icon("users", size=16, aria_hidden="true"),
                    rx.icon("trash_2", size=16, aria_hidden="true"),
                ),
                rx.cond(S.trash, T["active_customers"], T["trash"]),
                variant="soft",
                on_click=S.show_trash(~S.trash),
            ),
            invite_button(),
            rx.button(
                rx.icon("user_plus", size=16, aria_hidden="true"),
                T["new_customer"],
                on_click=CustomerFormState.open_create(False),
            ),
            width="100%",
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=T["search_customers"],
            aria_label=T["search_customers"],
            type="search",
            value=S.search,
            on_change=S.set_search,
            debounce_timeout=250,
            width="100%",
            max_width="40em",
            size="3",
        ),
        _filters(),
        rx.cond(S.loaded & (S.rows.length() == 0), rx.text(T["no_customers"], color_scheme="gray")),
        wide_or_narrow(_table(), _cards()),
        _pager(),
        confirm_dialog(
            S.confirm_id != 0,
            T["confirm_delete_customer"].to(str).replace("{name}", S.confirm_name),
            S.confirm_delete,
            S.cancel_delete,
        ),
        customer_form_dialog(),
        spacing="4",
        width="100%",
    )
