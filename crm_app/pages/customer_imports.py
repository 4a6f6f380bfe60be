"""/customers/import: download a template, upload a spreadsheet, and the latest imports."""

import reflex as rx

from crm_app.components.controls import link_button
from crm_app.components.data_list import page_header
from crm_app.components.dropzone import dropzone
from crm_app.components.responsive import wide_or_narrow
from crm_app.pages.base import loading, page
from crm_app.states.customer_imports import (
    ACCEPT,
    STATUS_COLORS,
    UPLOAD_ID,
    CustomerImportsState,
    ImportListRow,
)

S = CustomerImportsState
T = S.tr
TEMPLATE_URL = "/api/customers/import/template?client_type="


def status_badge(status) -> rx.Component:
    return rx.badge(T["import_status_" + status.to(str)],
                    color_scheme=rx.match(status, *STATUS_COLORS, "gray"))


def _templates() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["import_template_title"], size="4", as_="h2"),
            rx.text(T["import_template_hint"], size="2"),
            rx.hstack(
                *[link_button("download", T["client_type_" + ct], TEMPLATE_URL + ct, download=True)
                  for ct in ("person", "company", "government")],
                spacing="2", wrap="wrap",
            ),
            spacing="3",
        ),
        width="100%",
    )


def _upload() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["import_upload_title"], size="4", as_="h2"),
            dropzone(S, UPLOAD_ID, icon="file_spreadsheet", drop_text=T["import_drop_here"],
                     choose_text=T["import_choose_file"], hint=T["import_file_hint"],
                     input_label=T["import_file_label"], multiple=False, max_files=1, accept=ACCEPT),
            rx.cond(S.uploading, rx.progress(value=S.progress, max=100, width="100%",
                                             aria_label=T["import_uploading"])),
            rx.cond(S.upload_error != "", rx.callout(S.upload_error, icon="triangle_alert",
                                                     color_scheme="red", role="alert", width="100%")),
            spacing="3",
        ),
        width="100%",
    )


def _row_link(row: ImportListRow) -> rx.Component:
    return rx.link(row.file_name, href="/customers/import/" + row.id.to_string(), weight="medium")


def _table() -> rx.Component:
    return rx.table.root(
        rx.el.caption(T["import_history"], class_name="sr-only"),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in (
            "import_file", "import_status", "import_rows", "import_result", "created", "import_by")])),
        rx.table.body(rx.foreach(S.imports, lambda row: rx.table.row(
            rx.table.row_header_cell(_row_link(row)), rx.table.cell(status_badge(row.status)),
            rx.table.cell(row.rows), rx.table.cell(row.written), rx.table.cell(row.created),
            rx.table.cell(row.created_by),
        ))),
        width="100%", size="1",
    )


def _cards() -> rx.Component:
    return rx.vstack(rx.foreach(S.imports, lambda row: rx.card(rx.vstack(
        rx.hstack(_row_link(row), rx.spacer(), status_badge(row.status), width="100%", align="center"),
        rx.text(row.created, " · ", row.created_by, size="2", color_scheme="gray"),
        rx.cond(row.written != "", rx.text(row.written, size="2")),
        spacing="1",
    ), width="100%")), spacing="2", width="100%")


def _history() -> rx.Component:
    return rx.vstack(
        rx.heading(T["import_history"], size="4", as_="h2"),
        rx.cond(S.imports.length() == 0, rx.text(T["import_none_yet"], size="2", color_scheme="gray"),
                wide_or_narrow(_table(), _cards())),
        spacing="3", width="100%",
    )


@page("/customers/import", "title_customer_import", on_load=[CustomerImportsState.load])
def customer_imports() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            rx.link(T["back_to_customers"], href="/customers", size="2"),
            page_header(T["import_title"]),
            rx.cond(
                S.allowed,
                rx.vstack(_templates(), _upload(), _history(), spacing="4", width="100%"),
                rx.callout(T["import_not_allowed"], icon="lock", color_scheme="gray", width="100%"),
            ),
            spacing="4", width="100%",
        ),
        loading(),
    )
