"""A file drop zone (drag files onto it, or choose them) that sends what is dropped to its state's
``upload`` handler with progress in ``upload_progress``, and what the browser refused to ``rejected``:
the profile's Files card and the customer import use it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def _named_file_input(upload: rx.Component, label: Var | str) -> rx.Component:
    """Give the dropzone's hidden <input type=file> an accessible name (axe "label").

    rx.upload.root builds that input itself (Upload > zone div > input) and takes no props for it.
    """
    file_input = upload.children[0].children[0]
    assert getattr(file_input, "tag", "") == "input", "rx.upload's layout changed"
    file_input.custom_attrs["aria-label"] = label
    return upload


def dropzone(state, upload_id: str, *, icon: str, drop_text: Var, choose_text: Var, hint: Var | str,
             input_label: Var, **limits) -> rx.Component:
    """``limits``: rx.upload's ``multiple``, ``max_files``, ``max_size``, ``accept``."""
    return _named_file_input(rx.upload.root(
        rx.vstack(
            rx.icon(icon, size=24, aria_hidden="true"),
            rx.hstack(
                rx.text(drop_text, size="2"),
                rx.button(choose_text, type="button", size="2", variant="soft"),
                align="center", spacing="2", wrap="wrap", justify="center",
            ),
            rx.text(hint, size="1", color_scheme="gray", text_align="center"),
            align="center", spacing="2",
        ),
        id=upload_id,
        disabled=state.uploading,
        on_drop=state.upload(rx.upload_files(upload_id=upload_id, on_upload_progress=state.upload_progress)),
        on_drop_rejected=state.rejected,
        border="1px dashed var(--gray-a8)",
        border_radius="var(--radius-3)",
        padding="1em",
        width="100%",
        cursor="pointer",
        **limits,
    ), input_label)
