"""/orders/new and /orders/[order_id]: a work order's form (type with its colour, client, lines and
totals, due date, assignee, notes), its status actions, and delete for admins."""

import reflex as rx

from crm_app.components.client_picker import client_picker
from crm_app.components.controls import link_button
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.dialogs import confirm_dialog, focus_first_invalid
from crm_app.components.document_lines import document_lines
from crm_app.components.empty_state import empty_state
from crm_app.components.forms import field_error, form_error_banner, invalid_props, labelled, text_field
from crm_app.pages.base import loading, page
from crm_app.pages.orders import status_badge, type_badge
from crm_app.states.order_form import OrderFormState, TypeOption
from crm_app.states.session import ShellState

S = OrderFormState
T = S.tr
E = S.errors
EDIT = S.mode == "edit"
# The client picker's search box (components/client_picker.py names it after the state).
CLIENT_ID = "client-picker-" + S.get_name().replace("_", "-")


def _heading() -> rx.Component:
    return rx.vstack(
        rx.link(T["back_to_orders"], href="/orders"),
        rx.hstack(
            rx.heading(rx.cond(EDIT, T["order_heading"].to(str).replace("{number}", S.number),
                               T["new_order"]), size="6", as_="h1"),
            rx.cond(EDIT, status_badge(S.status, S.status_label)),
            type_badge(S.type_name, S.type_color),
            spacing="3", align="center", wrap="wrap",
        ),
        rx.cond(EDIT, rx.text(T["order_created_at"].to(str).replace("{when}", S.created), size="2",
                              color_scheme="gray")),
        spacing="2", width="100%",
    )


def _type_option(t: TypeOption) -> rx.Component:
    return rx.el.option(t.name, value=t.id)


def _type_field() -> rx.Component:
    control = rx.hstack(
        rx.box(class_name="crm-type-swatch", background_color=S.type_color, width="1.25em", height="1.25em",
               border_radius="50%", flex_shrink="0", aria_hidden="true"),
        rx.el.select(rx.foreach(S.types, _type_option), id="order-type", value=S.type_id,
                     on_change=S.set_type, class_name="crm-select",
                     **invalid_props(E, "order_type_id", "order-type")),
        spacing="2", align="center",
    )
    hint = rx.cond(S.types.length() == 0, T["order_no_types"],
                   rx.cond(S.type_walk_in, T["order_walk_in_hint"], ""))
    return labelled(T["order_type"], "order-type", control, E, "order_type_id", hint)


def _client_field() -> rx.Component:
    return rx.vstack(
        client_picker(S),
        rx.cond(~S.client_chosen & (S.status == "open"),
                rx.text(T["order_client_optional_hint"], size="1", color_scheme="gray")),
        field_error(E, "customer_id", CLIENT_ID),
        spacing="1", width="100%",
    )


def _details() -> rx.Component:
    assignee = rx.el.select(
        rx.el.option(T["order_no_assignee"], value=""),
        rx.foreach(S.assignees, lambda a: rx.el.option(a[1], value=a[0])),
        id="order-assignee_id", name="assignee_id", default_value=S.values.get("assignee_id", ""),
        class_name="crm-select", **invalid_props(E, "assignee_id", "order-assignee_id"),
    )
    notes = rx.text_area(id="order-notes", name="notes", default_value=S.values.get("notes", ""), rows="4",
                         width="100%", **invalid_props(E, "notes", "order-notes"))
    return rx.form(
        rx.vstack(
            rx.grid(
                text_field(T["order_due_date"], "due_date", E, form_id="order", type="date",
                           default_value=S.values.get("due_date", "")),
                labelled(T["order_assignee"], "order-assignee_id", assignee, E, "assignee_id"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            labelled(T["order_notes"], "order-notes", notes, E, "notes"),
            rx.button(rx.cond(EDIT, T["order_save"], T["order_create"]), type="submit", size="3"),
            focus_first_invalid(S.refusals),
            spacing="3", width="100%",
        ),
        on_submit=S.submit,
        key=S.generation,
        width="100%",
    )


def _status_actions() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["order_status_actions"], size="4", as_="h2"),
            rx.flex(
                rx.foreach(S.moves, lambda m: rx.button(
                    m[1], variant="soft", color_scheme=rx.cond(m[0] == "cancelled", "red", "indigo"),
                    on_click=S.change_status(m[0]),
                    aria_label=T["order_move_to"].to(str).replace("{status}", m[1]),
                )),
                spacing="2", wrap="wrap",
            ),
            rx.cond(ShellState.is_admin, rx.button(T["order_delete"], variant="ghost", color_scheme="red",
                                                   on_click=S.set_confirm_delete(True))),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _content() -> rx.Component:
    return rx.vstack(
        _heading(),
        form_error_banner(S.form_error),
        rx.card(rx.vstack(_type_field(), _client_field(), spacing="4", width="100%"), width="100%"),
        rx.card(document_lines(S), width="100%"),
        rx.card(_details(), width="100%"),
        rx.cond(EDIT, _status_actions()),
        confirm_dialog(S.confirm_delete, T["order_confirm_delete"].to(str).replace("{number}", S.number),
                       S.delete, S.set_confirm_delete(False)),
        customer_form_dialog(quick=True),
        spacing="4", width="100%", max_width="64em",
    )


def _order_page() -> rx.Component:
    not_found = empty_state("search_x", T["order_not_found"], T["order_not_found_hint"],
                            link_button("arrow_left", T["orders_title"], "/orders"))
    return rx.cond(S.loaded, rx.cond(S.found, _content(), not_found), loading())


@page("/orders/new", "title_new_order", on_load=[OrderFormState.load])
def new_order() -> rx.Component:
    return _order_page()


@page("/orders/[order_id]", "title_order", on_load=[OrderFormState.load])
def order() -> rx.Component:
    return _order_page()
