"""Customer list: search as you type, filters, sort, keyset pages, trash; cards on phones."""

import functools
import operator

import reflex as rx
from reflex.vars import Var

from crm_app.components import plain
from crm_app.components.bulk_bar import bulk_bar, long_press_card, row_check
from crm_app.components.bulk_dialog import bulk_dialog, bulk_result
from crm_app.components.controls import link_button
from crm_app.components.customer_badges import flags, tag_badges, type_label
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.data_list import (
    SORT_OPTIONS,
    card_list,
    data_table,
    delete_dialog,
    edit_delete_buttons,
    labelled_select,
    name_link,
    page_header,
    pager,
    row_link,
    rows_or_empty,
    search_box,
)
from crm_app.components.empty_state import empty_state
from crm_app.components.forms import date_lang, field_error, invalid_props
from crm_app.components.invite_dialog import invite_button
from crm_app.components.reach_links import reach_links
from crm_app.components.segment_actions import segment_actions
from crm_app.pages.base import page
from crm_app.states.bulk_actions import BulkActionState
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.customers import ChoiceFilter, CustomersState, ListRow
from crm_app.states.session import ShellState

S = CustomersState
T = S.tr
# The shared sorts, and what a customer bought (highest first only: that is what a shop owner looks for).
SORTS = (*SORT_OPTIONS, ("sort_purchase", "-purchase"), ("sort_spent", "-spent"))


def _filter_select(label_key: str, name: str, value, options: list) -> rx.Component:
    return labelled_select(
        T[label_key], f"filter-{name}", options, value, lambda v: S.set_filter(name, v), min_width="9em"
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


def _choice_filter(choice: ChoiceFilter) -> rx.Component:
    """A custom choice field's filter, labelled with the field's name ("Sucursal")."""
    return labelled_select(
        choice.label,
        "filter-option-" + choice.field_id,
        [rx.el.option(T["any"], value=""),
         rx.foreach(choice.options, lambda o: rx.el.option(o[1], value=o[0]))],
        S.chosen_options.get(choice.field_id, ""),
        lambda v: S.set_choice_filter(choice.field_id, v),
        min_width="9em",
    )


def _sort() -> rx.Component:
    options = [rx.el.option(T[key], value=code) for key, code in SORTS]
    return labelled_select(T["sort_by"], "filter-sort", options, S.sort, lambda v: S.set_filter("sort", v),
                           min_width="9em")


def _day_filter(label_key: str, name: str, value: Var) -> rx.Component:
    control_id = "filter-" + name.replace("_", "-")
    return rx.vstack(
        rx.el.label(T[label_key], html_for=control_id, class_name="crm-label"),
        rx.input(id=control_id, type="date", value=value, on_change=lambda v: S.set_filter(name, v),
                 **date_lang("date")),
        spacing="1",
    )


def _min_spent() -> rx.Component:
    """Typed freely ("1.500,50"), applied with Enter or the button; a message under it if it does not read."""
    control_id = "filter-min-spent"
    return rx.form(
        rx.vstack(
            rx.el.label(T["filter_min_spent"], html_for=control_id, class_name="crm-label"),
            rx.hstack(
                rx.input(id=control_id, name="min_spent", default_value=S.min_spent, input_mode="decimal",
                         key=S.min_spent, width="7em",
                         **invalid_props(S.filter_errors, "min_spent", control_id)),
                rx.icon_button(rx.icon("check", size=16), type="submit", variant="soft",
                               aria_label=T["filter_min_spent_apply"]),
                spacing="1",
                align="center",
            ),
            field_error(S.filter_errors, "min_spent", control_id),
            spacing="1",
        ),
        on_submit=S.set_min_spent,
        reset_on_submit=False,
        width="auto",
    )


def _origin_chip(chip: Var) -> rx.Component:
    """A filter the panel's figures link to ("Creados por Ana"), with its remove button: such a filter has
    no control of its own, the chip says what the list holds."""
    return rx.badge(
        chip[1],
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            on_click=S.set_filter(chip[0], ""),
            aria_label=T["listf_remove"].to(str).replace("{label}", chip[1].to(str)),
        ),
        size="2", variant="surface", color_scheme="indigo",
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
            labelled_select(
                T["filter_tags"],
                "filter-tags",
                [rx.el.option("—", value=""), rx.foreach(S.tag_options, lambda t: rx.el.option(t, value=t))],
                "",
                S.add_tag_filter,
                min_width="9em",
                on_focus=S.refresh_tag_options,
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
            rx.foreach(S.choice_filters, _choice_filter),
            _day_filter("filter_bought_since", "bought_since", S.bought_since),
            _day_filter("filter_lapsed_since", "lapsed_since", S.lapsed_since),
            _min_spent(),
            _sort(),
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
            rx.foreach(S.origin_chips, _origin_chip),
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
            aria_label=T["restore"].to(str) + " " + row.display_name,
        ),
        edit_delete_buttons(
            row.display_name,
            CustomerFormState.open_edit(row.id),
            S.ask_delete(row.id, row.display_name),
            row_link("eye", "open", row.display_name, "/customers/" + row.id.to_string()),
        ),
    )


def _name_link(row: ListRow) -> rx.Component:
    """The name; under it what he bought, when the list sorts or filters on that."""
    return plain.stacked(
        name_link(row.display_name, "/customers/" + row.id.to_string()),
        rx.cond(row.purchases != "", plain.text(row.purchases, small=True, muted=True)),
    )


def _reach(row: ListRow, *, with_email: bool) -> rx.Component:
    """Call, WhatsApp, SMS (and on a phone's card, e-mail) and directions, one tap each."""
    return reach_links(row.display_name, call=row.call_e164, whatsapp=row.whatsapp_e164, sms=row.sms_e164,
                       email=row.primary_email if with_email else None, map_point=row.map_point)


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
    return data_table(
        S,
        headers,
        lambda row: [
            plain.inline(row_check(row), _name_link(row), gap="2", align="start"),
            type_label(row.client_type),
            plain.inline(plain.text(row.primary_phone), _reach(row, with_email=False), wrap=True),
            row.primary_email,
            row.tax_id_formatted,
            tag_badges(row.tags),
            flags(row.is_supplier, row.is_conflictive),
            _row_actions(row),
        ],
        T["customers_title"],
    )


def _card(row: ListRow) -> list[rx.Component]:
    """A long press on the card (bulk_bar.long_press_card) ticks it, in checkbox mode."""
    return [long_press_card(row, rx.vstack(
        rx.hstack(row_check(row), _name_link(row), rx.spacer(), flags(row.is_supplier, row.is_conflictive),
                  width="100%", align="start"),
        rx.text(type_label(row.client_type), size="1", color_scheme="gray"),
        rx.cond(row.primary_phone != "", rx.text(row.primary_phone, size="2")),
        rx.cond(row.primary_email != "", rx.text(row.primary_email, size="2", class_name="crm-value")),
        _reach(row, with_email=True),
        tag_badges(row.tags),
        _row_actions(row),
        spacing="1", width="100%",
    ))]


def _filtered() -> Var:
    """Whether a search or filter narrows the list (the trash is a list of its own, not a filter)."""
    chosen = (S.search, S.client_type, S.supplier, S.conflictive, S.channel, S.consent, S.option, S.account,
              S.bought_since, S.lapsed_since, S.min_spent, S.created_from, S.created_to, S.created_by,
              S.source, S.reach)
    return functools.reduce(operator.or_, [v != "" for v in chosen], S.tag_filter.length() > 0)


def _empty() -> rx.Component:
    return empty_state(
        "users", T["customers_empty"], T["customers_empty_hint"],
        rx.button(T["customers_empty_action"], on_click=CustomerFormState.open_create(False)),
    )


def _export_link(file_format: str, label_key: str) -> rx.Component:
    """A download of the list as filtered now: the same query, every page (api/customer_export.py). A
    link loaded as a document (``reload_document``: React Router would take it for one of the app's
    pages), so the browser sends the session cookie and saves the file."""
    return rx.menu.item(
        rx.el.a(T[label_key], href=f"/api/customers/export?format={file_format}&" + S.export_query,
                download=True, reload_document=True),
        as_child=True,
    )


def _export_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("download", size=16, aria_hidden="true"), T["export_button"],
                      rx.icon("chevron_down", size=14, aria_hidden="true"), variant="soft"),
        ),
        rx.menu.content(_export_link("xlsx", "export_xlsx"), _export_link("csv", "export_csv"),
                        aria_label=T["export_menu"]),
    )


@page("/customers", "title_customers", on_load=[CustomersState.load, BulkActionState.load])
def customers() -> rx.Component:
    return rx.vstack(
        page_header(
            rx.cond(S.trash, T["trash"], T["customers_title"]),
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
            rx.cond(S.can_transfer, link_button("file_up", T["import_button"], "/customers/import")),
            rx.cond(S.can_transfer, _export_menu()),
            segment_actions(),  # admins: save the filters as a segment, send a campaign to this list
            link_button("history", T["bulkui_history_link"], "/customers/bulk"),
            rx.cond(ShellState.is_admin,
                    link_button("git_merge", T["bulkui_duplicates_link"], "/customers/duplicates")),
            rx.button(
                rx.icon("user_plus", size=16, aria_hidden="true"),
                T["new_customer"],
                on_click=CustomerFormState.open_create(False),
            ),
        ),
        search_box(T["search_customers"], S.search, S.set_search),
        _filters(),
        bulk_result(),  # what the last bulk action did, with Undo; or its progress
        bulk_bar(),
        rows_or_empty(S, _table(), card_list(S, _card), filtered=_filtered(), no_match=T["no_customers"],
                      empty=rx.cond(S.trash, empty_state("trash_2", T["trash_empty"]), _empty())),
        pager(S),
        delete_dialog(S, "confirm_delete_customer"),
        bulk_dialog(),
        customer_form_dialog(),
        spacing="4",
        width="100%",
    )
