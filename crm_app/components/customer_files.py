"""The "Files" card of the customer profile: drop or choose files, progress, errors, a grid, delete."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import confirm_dialog
from crm_app.components.dropzone import dropzone
from crm_app.domain.file_types import DOCUMENT_TYPES, IMAGE_TYPES, TEXT_TYPES
from crm_app.services.files import MAX_FILE_BYTES, MAX_FILE_MB, MAX_FILES_PER_UPLOAD
from crm_app.states.customer_files import UPLOAD_ID, CustomerFilesState, FileView, UploadProblem

S = CustomerFilesState
T = S.tr

# What the file chooser offers (the server decides from the content anyway).
ACCEPT = {
    **{mime: [f".{ext}"] + ([".jpeg"] if ext == "jpg" else []) for mime, ext in IMAGE_TYPES.items()},
    **{mime: [f".{ext}"] for mime, ext in DOCUMENT_TYPES.items()},
    **{mime: [f".{ext}"] for ext, mime in TEXT_TYPES.items()},
}

_ICONS = {"pdf": "file-text", "sheet": "file-spreadsheet", "slides": "presentation", "text": "file"}


def _fill(key: str, **values) -> rx.Var:
    text = T[key].to(str)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value if isinstance(value, rx.Var) else str(value))
    return text


def _icon(kind: rx.Var) -> rx.Component:
    return rx.match(
        kind,
        *[(k, rx.icon(icon, size=40, aria_hidden="true")) for k, icon in _ICONS.items()],
        rx.icon("file", size=40, aria_hidden="true"),
    )


def _tile(f: FileView) -> rx.Component:
    preview = rx.cond(
        f.has_thumbnail,
        rx.image(src=f.thumbnail_url, alt=f.name, loading="lazy", width="100%", height="100%",
                 object_fit="cover"),
        rx.center(_icon(f.kind), width="100%", height="100%", color="var(--gray-10)"),
    )
    return rx.card(
        rx.vstack(
            rx.link(preview, href=f.url, is_external=True, aria_label=_fill("files_open", name=f.name),
                    display="block", width="100%", height="7em", overflow="hidden",
                    border_radius="var(--radius-2)", background="var(--gray-a3)"),
            rx.link(rx.text(f.name, size="2", class_name="crm-value"),
                    href=f.url + "?download=1", download=f.name, title=f.name,
                    aria_label=_fill("files_download", name=f.name), max_width="100%"),
            rx.hstack(
                rx.text(f.size, size="1", color_scheme="gray"),
                rx.spacer(),
                rx.cond(
                    f.can_delete,
                    rx.icon_button(rx.icon("trash_2", size=14), size="1", variant="ghost",
                                   color_scheme="red", aria_label=_fill("files_delete", name=f.name),
                                   on_click=S.ask_delete(f.id)),
                ),
                width="100%", align="center",
            ),
            rx.text(f.added, size="1", color_scheme="gray", trim="end"),
            spacing="1", width="100%",
        ),
        size="1", min_width="0",
    )


def _problem(p: UploadProblem) -> rx.Component:
    return rx.callout(p.name + ": " + p.message, icon="triangle_alert", color_scheme="red", size="1",
                      role="alert")


def _dropzone() -> rx.Component:
    return dropzone(
        S, UPLOAD_ID, icon="upload", drop_text=T["files_drop_here"], choose_text=T["files_choose"],
        hint=_fill("files_hint", max_mb=MAX_FILE_MB, max_files=MAX_FILES_PER_UPLOAD),
        input_label=T["files_input_label"], multiple=True, max_files=MAX_FILES_PER_UPLOAD,
        max_size=MAX_FILE_BYTES, accept=ACCEPT,
    )


def customer_files_card(customer_id: rx.Var) -> rx.Component:
    """The card; ``customer_id`` (the profile's) remounts it, and reloads it, for another customer."""
    return rx.card(
        rx.vstack(
            rx.heading(T["files"], size="4", as_="h2"),
            _dropzone(),
            rx.cond(
                S.uploading,
                rx.progress(value=S.progress, max=100, width="100%", aria_label=T["files_uploading"]),
            ),
            rx.foreach(S.problems, _problem),
            rx.cond(
                S.files.length() > 0,
                rx.grid(rx.foreach(S.files, _tile), columns=rx.breakpoints(initial="2", sm="3", lg="4"),
                        spacing="3", width="100%"),
                rx.text(T["files_none"], size="2", color_scheme="gray"),
            ),
            rx.cond(S.next_before > 0, rx.button(T["files_more"], variant="soft", on_click=S.load_more)),
            confirm_dialog(
                S.delete_id > 0,
                T["confirm_delete_file"].to(str).replace("{name}", S.delete_name),
                S.confirm_delete,
                S.cancel_delete,
            ),
            spacing="3",
            width="100%",
        ),
        key=customer_id,
        on_mount=S.load,
        id="customer-files-card",
        role="region",
        aria_label=T["files"],
    )
