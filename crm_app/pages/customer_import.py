"""/customers/import/<id>: map the columns, check, see the problems, write with a progress bar, revert."""

import reflex as rx

from crm_app.components.controls import link_button
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.job_progress import job_progress
from crm_app.components.responsive import wide_or_narrow
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.import_rows import IMPORT_MODES, MATCH_KEYS
from crm_app.pages.base import loading, page, status_page
from crm_app.pages.customer_imports import status_badge
from crm_app.states.customer_import import ImportState, MappingRow, ProblemRow, SkippedRow

S = ImportState
T = S.tr


def _select(label, control_id: str, options, value, on_change, error_key: str = "") -> rx.Component:
    error = S.errors.get(error_key, "") if error_key else ""
    return rx.vstack(
        rx.el.label(label, html_for=control_id, class_name="crm-label"),
        rx.el.select(*options, id=control_id, value=value, on_change=on_change, class_name="crm-select",
                     aria_invalid=rx.cond(error != "", "true", "false"),
                     aria_describedby=control_id + "-error"),
        rx.cond(error != "", rx.text(error, id=control_id + "-error", size="2", color_scheme="red")),
        spacing="1",
    )


def _column_select(row: MappingRow) -> rx.Component:
    control_id = "column-" + row.index.to_string()
    return rx.el.select(
        rx.el.option(T["import_ignore_column"], value=""),
        rx.foreach(S.options, lambda o: rx.el.option(o[1], value=o[0])),
        id=control_id, value=row.key, class_name="crm-select",
        on_change=lambda key: S.set_column(row.index, key),
        aria_label=T["import_field_for"].to(str) + " " + row.header,
    )


def _mapping_table() -> rx.Component:
    return rx.table.root(
        rx.el.caption(T["import_mapping"], class_name="sr-only"),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in (
            "import_column", "import_sample", "import_field")])),
        rx.table.body(rx.foreach(S.mapping, lambda row: rx.table.row(
            rx.table.row_header_cell(row.header),
            rx.table.cell(rx.text(row.samples, size="1", color_scheme="gray")),
            rx.table.cell(_column_select(row)),
        ))),
        width="100%", size="1",
    )


def _mapping_cards() -> rx.Component:
    return rx.vstack(rx.foreach(S.mapping, lambda row: rx.card(rx.vstack(
        rx.text(row.header, weight="bold"), rx.text(row.samples, size="1", color_scheme="gray"),
        _column_select(row), spacing="1", width="100%",
    ), width="100%")), spacing="2", width="100%")


def _options() -> rx.Component:
    return rx.flex(
        _select(T["import_client_type"], "import-client-type",
                [rx.el.option(T["client_type_" + ct], value=ct) for ct in CLIENT_TYPES], S.client_type,
                S.set_client_type, "client_type"),
        _select(T["import_mode"], "import-mode",
                [rx.el.option(T["import_mode_" + m], value=m) for m in IMPORT_MODES], S.mode, S.set_mode,
                "mode"),
        rx.cond(S.mode != "create", _select(
            T["import_match_by"], "import-match-by",
            [rx.el.option(T["import_match_" + k], value=k) for k in MATCH_KEYS], S.match_by, S.set_match_by,
            "match_by")),
        _select(T["import_default_channel"], "import-default-channel",
                [rx.el.option(T["import_no_default"], value=""),
                 rx.foreach(S.channels, lambda c: rx.el.option(c[0], value=c[1]))],
                S.default_channel, S.set_default_channel),
        rx.vstack(
            rx.el.label(T["import_default_tags"], html_for="import-default-tags", class_name="crm-label"),
            rx.input(id="import-default-tags", value=S.default_tags, on_change=S.set_default_tags,
                     debounce_timeout=300, placeholder=T["import_default_tags_hint"]),
            spacing="1",
        ),
        spacing="4", wrap="wrap", width="100%",
    )


def _errors_callout() -> rx.Component:
    return rx.foreach(S.errors.values(), lambda e: rx.callout(e, icon="triangle_alert", color_scheme="red",
                                                             role="alert", size="1", width="100%"))


def _mapping_step() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T["import_mapping"], size="4", as_="h2"),
        rx.text(T["import_mapping_hint"], size="2"),
        _options(),
        wide_or_narrow(_mapping_table(), _mapping_cards()),
        _errors_callout(),
        rx.button(rx.icon("list_checks", size=16), T["import_check"], on_click=S.check, size="3",
                  ),
        spacing="4", width="100%",
    ), width="100%")


def _count(key: str, color: str) -> rx.Component:
    return rx.card(rx.vstack(
        rx.text(T["import_count_" + key], size="2"),
        rx.text(S.counts.get(key, 0), size="6", weight="bold", color_scheme=color),
        spacing="1",
    ), min_width="9em")


def _problem_row(p: ProblemRow) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(p.row), rx.table.cell(p.column), rx.table.cell(p.value),
                        rx.table.cell(p.message))


def _problems() -> rx.Component:
    return rx.cond(S.problems.length() > 0, rx.vstack(
        rx.heading(T["import_problems"], size="3", as_="h3"),
        rx.text(T["import_problems_hint"].to(str).replace("{count}", S.problem_count.to_string()), size="2"),
        link_button("download", T["import_download_report"],
                    "/api/customers/import/" + S.import_id.to_string() + "/report", download=True),
        rx.box(rx.table.root(
            rx.el.caption(T["import_problems"], class_name="sr-only"),
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[h]) for h in (
                "import_row", "import_column", "import_value", "import_message")])),
            rx.table.body(rx.foreach(S.problems, _problem_row)),
            width="100%", size="1",
        ), overflow_x="auto", width="100%"),
        spacing="3", width="100%",
    ))


def _check_step() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T["import_check_result"], size="4", as_="h2"),
        rx.flex(_count("create", "green"), _count("update", "blue"), _count("unchanged", "gray"),
                _count("error", "red"), spacing="3", wrap="wrap"),
        _problems(),
        rx.cond(S.counts.get("error", 0) > 0, rx.el.label(
            rx.el.input(type="checkbox", checked=S.valid_only, on_change=S.set_valid_only),
            rx.text(T["import_valid_only"], as_="span", size="2"), class_name="crm-check")),
        _errors_callout(),
        rx.button(rx.icon("upload", size=16), T["import_write"], on_click=S.write, size="3",
                  color_scheme="green",
                  disabled=(S.counts.get("error", 0) > 0) & ~S.valid_only),
        spacing="4", width="100%",
    ), width="100%")


def _progress() -> rx.Component:
    return job_progress(T["import_status_" + S.status], S.percent, S.progress_text,
                        label=T["import_progress"], on_cancel=S.cancel)


def _skipped(row: SkippedRow) -> rx.Component:
    return rx.list_item(rx.link(row.name, href="/customers/" + row.id.to_string()))


def _result() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T["import_status_" + S.status], size="4", as_="h2"),
        rx.cond(S.written != "", rx.text(S.written, size="3")),
        rx.cond(S.progress_text != "", rx.text(S.progress_text, size="2", color_scheme="gray")),
        rx.cond(S.job_error != "", rx.callout(S.job_error, icon="triangle_alert", color_scheme="red")),
        rx.cond(S.skipped.length() > 0, rx.vstack(
            rx.text(T["import_revert_skipped"], size="2"),
            rx.unordered_list(rx.foreach(S.skipped, _skipped)),
            spacing="1",
        )),
        rx.hstack(
            rx.cond(S.can_resume, rx.button(T["import_resume"], on_click=S.write)),
            rx.cond(S.can_revert,
                    rx.button(T["import_revert"], variant="soft", color_scheme="red", on_click=S.ask_revert)),
            spacing="3", wrap="wrap",
        ),
        spacing="3", width="100%",
    ), width="100%")


def _body() -> rx.Component:
    return rx.vstack(
        rx.link(T["back_to_imports"], href="/customers/import", size="2"),
        rx.hstack(rx.heading(S.file_name, size="6", as_="h1"), status_badge(S.status), align="center",
                  spacing="3", wrap="wrap"),
        rx.text(T["import_rows_by"].to(str).replace("{rows}", S.row_count.to_string())
                .replace("{by}", S.created_by).replace("{when}", S.created), size="2", color_scheme="gray"),
        rx.match(
            S.status,
            ("uploaded", _mapping_step()),
            ("checked", rx.vstack(_check_step(), _mapping_step(), spacing="4", width="100%")),
            ("checking", _progress()),
            ("importing", _progress()),
            ("reverting", _progress()),
            _result(),
        ),
        confirm_dialog(S.confirm_revert, T["import_confirm_revert"], S.revert, S.cancel_revert),
        spacing="4", width="100%",
    )


@page("/customers/import/[import_id]", "title_customer_import", on_load=[ImportState.load])
def customer_import() -> rx.Component:
    missing = rx.cond(S.refused, status_page("forbidden_title", "forbidden_body", "403"),
                      status_page("import_not_found", "not_found_body", "404"))
    return rx.cond(S.loaded, rx.cond(S.found, _body(), missing), loading())
