"""/sales/new and /sales/[sale_id]: a counter sale in a few taps (lines typed first, cash preselected,
an optional client), and a sale's receipt with its lines, totals, payment and credit state, "Marcar
pagada", and cancel / delete for admins."""

import reflex as rx
from reflex.vars import Var

from crm_app.components.client_picker import client_picker
from crm_app.components.controls import link_button
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.data_list import data_table
from crm_app.components.dialogs import alert_content, confirm_dialog, focus_first_invalid
from crm_app.components.document_lines import document_lines
from crm_app.components.empty_state import empty_state
from crm_app.components.forms import field_error, form_error_banner, invalid_props
from crm_app.components.responsive import wide_or_narrow
from crm_app.domain.documents import PAYMENT_METHODS
from crm_app.pages.base import loading, page
from crm_app.pages.sales import credit_badge, new_sale_button, sale_status_badge
from crm_app.states.sale_form import ReceiptLine, SaleFormState
from crm_app.states.session import ShellState

S = SaleFormState
T = S.tr
E = S.errors
VIEW = S.mode == "view"
# The client picker's search box (components/client_picker.py names it after the state).
CLIENT_ID = "client-picker-" + S.get_name().replace("_", "-")
METHOD_ID = "sale-method"


def _heading() -> rx.Component:
    return rx.vstack(
        rx.link(T["back_to_sales"], href="/sales"),
        rx.hstack(
            rx.heading(rx.cond(VIEW, T["sale_heading"].to(str).replace("{number}", S.number), T["new_sale"]),
                       size="6", as_="h1"),
            rx.cond(VIEW, sale_status_badge(S.status, S.status_label)),
            rx.cond(VIEW, credit_badge(S.credit_unpaid)),
            spacing="3", align="center", wrap="wrap",
        ),
        spacing="2", width="100%",
    )


# --------------------------------------------------------------------------- the counter form


def _client_field() -> rx.Component:
    return rx.vstack(
        client_picker(S, T["sale_client_optional"]),
        rx.cond(~S.client_chosen, rx.text(T["sale_client_hint"], size="1", color_scheme="gray")),
        field_error(E, "customer_id", CLIENT_ID),
        spacing="1", width="100%",
    )


def _method_choice(method: str) -> rx.Component:
    """One payment method: the whole pill is the radio's label (a 44 px target on phones)."""
    chosen = S.method == method
    return rx.el.label(
        rx.el.input(type="radio", name="payment_method", value=method, checked=chosen,
                    on_change=S.set_method(method)),
        rx.text(T[f"payment_method_{method}"], as_="span", size="3",
                weight=rx.cond(chosen, "bold", "regular")),
        class_name="crm-check",
        style={"border": "1px solid var(--gray-a7)", "borderRadius": "var(--radius-3)",
               "padding": "0.5rem 0.85rem",
               "background": rx.cond(chosen, "var(--accent-a4)", "transparent"),
               "borderColor": rx.cond(chosen, "var(--accent-9)", "var(--gray-a7)")},
    )


def _method_field() -> rx.Component:
    """The payment method: four radios, cash preselected; the credit rule's refusal and the chosen
    client's credit right below them."""
    return rx.el.fieldset(
        rx.el.legend(T["sale_method"], class_name="crm-label"),
        rx.flex(*[_method_choice(m) for m in PAYMENT_METHODS], spacing="2", wrap="wrap",
                id=METHOD_ID, role="radiogroup", aria_label=T["sale_method"],
                **invalid_props(E, "payment_method", METHOD_ID)),
        rx.cond((S.method == "credit") & S.client_chosen & (S.credit_hint != ""),
                rx.text(S.credit_hint, size="2", color_scheme="gray", aria_live="polite")),
        field_error(E, "payment_method", METHOD_ID),
        style={"border": "none", "padding": 0, "margin": 0, "minWidth": 0},
        width="100%",
    )


def _record_form() -> rx.Component:
    notes = rx.text_area(id="sale-notes", name="notes", rows="2", width="100%",
                         **invalid_props(E, "notes", "sale-notes"))
    return rx.form(
        rx.vstack(
            _method_field(),
            rx.vstack(rx.el.label(T["sale_notes"], html_for="sale-notes", class_name="crm-label"), notes,
                      field_error(E, "notes", "sale-notes"), spacing="1", width="100%"),
            rx.button(rx.icon("check", size=18, aria_hidden="true"), T["sale_record"], type="submit",
                      size="4", width="100%", max_width=rx.breakpoints(initial="100%", sm="20rem")),
            focus_first_invalid(S.refusals),
            spacing="4", width="100%",
        ),
        on_submit=S.submit,
        key=S.generation,
        width="100%",
    )


def _credit_dialog() -> rx.Component:
    """An admin's credit sale past the limit: the amounts, and an explicit yes."""
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T["sale_credit_confirm_title"]),
            rx.alert_dialog.description(S.credit_question),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(T["cancel"], variant="soft", color_scheme="gray",
                                                 on_click=S.cancel_credit)),
                rx.alert_dialog.action(rx.button(T["sale_credit_confirm_yes"], color_scheme="amber",
                                                 on_click=S.confirm_credit)),
                spacing="3", justify="end", margin_top="1em", wrap="wrap",
            ),
            on_escape_key_down=S.cancel_credit,
        ),
        open=S.credit_question != "",
    )


def _new_sale() -> rx.Component:
    return rx.fragment(
        rx.card(document_lines(S), width="100%"),
        rx.card(_client_field(), width="100%"),
        rx.card(_record_form(), width="100%"),
        _credit_dialog(),
        customer_form_dialog(quick=True),
    )


# --------------------------------------------------------------------------- the receipt


def _fact(label: Var, value: rx.Component | Var) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), value, spacing="0", min_width="8rem")


def _facts() -> rx.Component:
    client = rx.cond(S.customer_id != 0,
                     rx.link(S.customer_name, href="/customers/" + S.customer_id.to_string(),
                             weight="medium"),
                     rx.text(T["sale_counter_client"]))
    payment = rx.cond(
        S.method == "credit",
        rx.text(S.method_label, " · ",
                rx.cond(S.paid != "", T["sale_paid_at"].to(str).replace("{when}", S.paid),
                        rx.cond(S.credit_unpaid, T["sale_pending_payment"], ""))),
        rx.text(S.method_label),
    )
    return rx.flex(
        _fact(T["col_sale_date"], rx.text(S.created)),
        _fact(T["sale_client"], client),
        _fact(T["sale_method"], payment),
        _fact(T["sale_seller"], rx.text(S.seller_name)),
        spacing="5", wrap="wrap", width="100%",
    )


def _line_card(line: ReceiptLine) -> rx.Component:
    return rx.el.li(
        rx.hstack(rx.text(line.description, weight="medium"), rx.spacer(), rx.text(line.total), width="100%"),
        rx.text(line.quantity, " \u00d7 ", line.unit_price,
                rx.cond(line.discount != "", " \u2212 " + line.discount.to(str), ""), size="2",
                color_scheme="gray"),
        class_name="crm-document-line",
    )


class _LinesView:
    """What ``data_table`` reads (``state.rows``): the receipt's lines."""

    rows = S.receipt_lines


def _receipt_lines() -> rx.Component:
    headers = ("line_description", "line_quantity", "line_unit_price", "line_discount", "line_total")
    table = data_table(_LinesView, headers,
                       lambda r: [r.description, r.quantity, r.unit_price, r.discount, r.total],
                       T["document_lines"])
    cards = rx.el.ol(rx.foreach(S.receipt_lines, _line_card), class_name="crm-document-lines",
                     aria_label=T["document_lines"])
    return wide_or_narrow(table, cards)


def _totals() -> rx.Component:
    def figure(label: Var, value: Var, **props) -> rx.Component:
        return rx.hstack(rx.text(label), rx.spacer(), rx.text(value, **props), width="100%")

    return rx.vstack(
        figure(T["document_subtotal"], S.subtotal),
        rx.cond(S.discount != "", figure(T["document_discount_amount"], S.discount)),
        figure(T["document_total"], S.total, weight="bold", size="6"),
        spacing="1", width="100%", max_width="22rem", margin_left="auto",
    )


def _actions() -> rx.Component:
    return rx.flex(
        rx.cond(S.credit_unpaid, rx.button(rx.icon("badge_check", size=16, aria_hidden="true"),
                                         T["sale_mark_paid"], on_click=S.mark_paid, size="3")),
        new_sale_button(),
        rx.cond(ShellState.is_admin & (S.status == "completed"),
                rx.button(T["sale_cancel"], variant="soft", color_scheme="red",
                          on_click=S.set_confirm_cancel(True))),
        rx.cond(ShellState.is_admin, rx.button(T["sale_delete"], variant="ghost", color_scheme="red",
                                               on_click=S.set_confirm_delete(True))),
        spacing="3", wrap="wrap", align="center", width="100%",
    )


def _receipt() -> rx.Component:
    return rx.fragment(
        rx.card(
            rx.vstack(
                rx.heading(T["sale_receipt"], size="4", as_="h2", class_name="sr-only"),
                _facts(),
                rx.cond(S.approver_name != "", rx.callout(
                    T["sale_approved_by"].to(str).replace("{name}", S.approver_name), icon="shield_check",
                    color_scheme="amber", size="1")),
                _receipt_lines(),
                _totals(),
                rx.cond(S.notes != "", rx.text(S.notes, size="2", white_space="pre-wrap")),
                spacing="4", width="100%",
            ),
            width="100%",
        ),
        _actions(),
        confirm_dialog(S.confirm_cancel, T["sale_confirm_cancel"].to(str).replace("{number}", S.number),
                       S.cancel_sale, S.set_confirm_cancel(False)),
        confirm_dialog(S.confirm_delete, T["sale_confirm_delete"].to(str).replace("{number}", S.number),
                       S.delete, S.set_confirm_delete(False)),
    )


# --------------------------------------------------------------------------- the page


def _content() -> rx.Component:
    return rx.vstack(
        _heading(),
        form_error_banner(S.form_error),
        rx.cond(VIEW, _receipt(), _new_sale()),
        spacing="4", width="100%", max_width="56em",
    )


def _sale_page() -> rx.Component:
    not_found = empty_state("search_x", T["sale_not_found"], T["sale_not_found_hint"],
                            link_button("arrow_left", T["back_to_sales"], "/sales"))
    return rx.cond(S.loaded, rx.cond(S.found, _content(), not_found), loading())


@page("/sales/new", "title_new_sale", on_load=[SaleFormState.load])
def new_sale() -> rx.Component:
    return _sale_page()


@page("/sales/[sale_id]", "title_sale", on_load=[SaleFormState.load])
def sale() -> rx.Component:
    return _sale_page()

