"""One account: section buttons at the top (Information, Members, Activity, Summary)."""

import reflex as rx

from crm_app.components.account_form import account_form_dialog
from crm_app.components.client_picker import client_picker
from crm_app.components.controls import edit_delete_buttons
from crm_app.components.customer_form import customer_form_dialog
from crm_app.components.data_list import row_button
from crm_app.components.dialogs import confirm_dialog
from crm_app.pages.base import loading, page, status_page
from crm_app.states.account import SECTIONS, AccountState, ActivityView, MemberView
from crm_app.states.account_form import AccountFormState

S = AccountState
T = S.tr
ROLE_OPTIONS = ("main_contact", "billing", "member")


def _section_buttons() -> rx.Component:
    return rx.hstack(
        *[
            rx.button(
                T[f"account_section_{name}"],
                variant=rx.cond(S.section == name, "solid", "soft"),
                aria_pressed=rx.cond(S.section == name, "true", "false"),
                on_click=S.show_section(name),
            )
            for name in SECTIONS
        ],
        spacing="2",
        wrap="wrap",
        role="group",
        aria_label=T["account_sections"],
    )


def _information() -> rx.Component:
    return rx.vstack(
        edit_delete_buttons(
            AccountFormState.open_edit(S.account_id), S.set_confirm_delete(True), spacing="3"
        ),
        rx.data_list.root(
            rx.foreach(
                S.fields,
                lambda f: rx.data_list.item(
                    rx.data_list.label(f[0]), rx.data_list.value(f[1], white_space="pre-wrap")
                ),
            ),
        ),
        rx.hstack(rx.foreach(S.tags, lambda t: rx.badge(t, variant="surface")), spacing="2", wrap="wrap"),
        spacing="3",
        width="100%",
    )


def _role_select(member: MemberView) -> rx.Component:
    control_id = "role-" + member.customer_id.to_string()
    return rx.el.select(
        *[rx.el.option(T[f"member_role_{r}"], value=r) for r in ROLE_OPTIONS],
        id=control_id,
        value=member.role,
        class_name="crm-select",
        aria_label=T["member_role"].to(str) + " " + member.name,
        on_change=lambda role: S.set_member_role(member.customer_id, role),
    )


def _member_row(member: MemberView) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.link(member.name, href="/customers/" + member.customer_id.to_string(), weight="medium"),
                rx.text(member.phone, " ", member.email, size="1", color_scheme="gray",
                        class_name="crm-value"),
                spacing="0",
                flex="1",
                min_width="12em",
            ),
            _role_select(member),
            row_button("user_minus", "remove_member", member.name, S.remove_member(member.customer_id),
                       color_scheme="red"),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
    )


def _picker() -> rx.Component:
    """Add a member: the role first, then the client picker (a customer found or created joins)."""
    return rx.card(
        rx.vstack(
            rx.heading(T["add_existing_customer"], size="3", as_="h3"),
            rx.vstack(
                rx.el.label(T["role_for_new_members"], html_for="account-add-role", class_name="crm-label"),
                rx.el.select(
                    *[rx.el.option(T[f"member_role_{r}"], value=r) for r in ROLE_OPTIONS],
                    id="account-add-role",
                    value=S.add_role,
                    on_change=S.set_add_role,
                    class_name="crm-select",
                ),
                spacing="1",
            ),
            client_picker(S, T["search_customers_to_add"]),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _members() -> rx.Component:
    return rx.vstack(
        _picker(),
        rx.hstack(
            rx.heading(T["account_members_title"], size="4", as_="h2"),
            rx.spacer(),
            rx.link(
                T["see_members_in_customer_list"],
                href="/customers?account=" + S.account_id.to_string(),
                size="2",
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(S.members.length() == 0, rx.text(T["account_no_members"], color_scheme="gray")),
        rx.foreach(S.members, _member_row),
        rx.cond(S.members_next != "", rx.button(T["activity_more"], variant="soft", on_click=S.more_members)),
        spacing="3",
        width="100%",
    )


def _activity_row(item: ActivityView) -> rx.Component:
    return rx.box(
        rx.text(item.when, " · ", item.who, size="1", color_scheme="gray"),
        rx.cond(
            item.customer_id != 0,
            rx.link(item.text, href="/customers/" + item.customer_id.to_string(), size="2"),
            rx.text(item.text, size="2"),
        ),
        padding_y="0.4em",
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
    )


def _activity() -> rx.Component:
    return rx.vstack(
        rx.cond(S.activity.length() == 0, rx.text(T["account_no_activity"], color_scheme="gray")),
        rx.el.ul(
            rx.foreach(S.activity, lambda item: rx.el.li(_activity_row(item))),
            class_name="crm-plain-list",
            style={"listStyle": "none", "padding": 0, "margin": 0, "width": "100%"},
        ),
        rx.cond(
            S.activity_next != 0, rx.button(T["activity_more"], variant="soft", on_click=S.more_activity)
        ),
        spacing="2",
        width="100%",
    )


def _stat(label_key: str, value) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(T[label_key], size="2", color_scheme="gray"),
            rx.text(value, size="6", weight="bold"),
            spacing="1",
        )
    )


def _summary() -> rx.Component:
    return rx.vstack(
        rx.grid(
            _stat("summary_member_count", S.summary_members),
            rx.card(
                rx.vstack(
                    rx.text(T["summary_credit_total"], size="2", color_scheme="gray"),
                    rx.text(S.summary_credit, size="6", weight="bold"),
                    rx.text(
                        T["summary_credit_members"]
                        .to(str)
                        .replace("{count}", S.summary_credit_members.to_string()),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="1",
                )
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.heading(T["summary_tags"], size="3", as_="h2"),
        rx.cond(S.summary_tags.length() == 0, rx.text(T["no_member_tags"], color_scheme="gray")),
        rx.hstack(
            rx.foreach(S.summary_tags, lambda t: rx.badge(t[0], " · ", t[1], variant="surface")),
            spacing="2",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


@page("/accounts/[account_id]", "title_account", on_load=[AccountState.load])
def account_detail() -> rx.Component:
    return rx.cond(
        S.found,
        rx.vstack(
            rx.link(T["back_to_accounts"], href="/accounts", size="2"),
            rx.heading(S.name, size="6", as_="h1"),
            _section_buttons(),
            rx.match(
                S.section,
                ("members", _members()),
                ("activity", _activity()),
                ("summary", _summary()),
                _information(),
            ),
            confirm_dialog(
                S.confirm_delete,
                T["confirm_delete_account"].to(str).replace("{name}", S.name),
                S.delete,
                S.set_confirm_delete(False),
            ),
            account_form_dialog(),
            customer_form_dialog(quick=True),
            spacing="4",
            width="100%",
        ),
        rx.cond(S.loaded, status_page("account_not_found", "not_found_body", "404"), loading()),
    )
