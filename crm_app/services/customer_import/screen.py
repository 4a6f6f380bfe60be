"""What the import's mapping screen offers: every field a column can fill, labelled in the user's
language, and a sample of the file's first rows to recognize its columns by."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.import_columns import numbered
from crm_app.domain.sheet_reading import iter_rows
from crm_app.services.customer_import.records import file_path, import_row
from crm_app.services.import_template import sheet_columns
from crm_app.services.transfer_access import check_transfer

SAMPLE_ROWS = 3


def _relabel(label: str, old: int, new: int) -> str:
    """"Teléfono 2" -> "Teléfono 3"."""
    suffix = f" {old}"
    return (label[: -len(suffix)] if label.endswith(suffix) else label) + f" {new}"


def field_options(
    *, session: Session, actor: Actor, lang: str, numbered_up_to: int = 3
) -> list[tuple[str, str]]:
    """(key, label) of every field a column can fill, for all client types, in the forms' order; phones
    and e-mails numbered up to ``numbered_up_to`` (the template has fewer, a file may have more)."""
    org = check_transfer(session, actor)
    options: dict[str, str] = {}
    for client_type in CLIENT_TYPES:
        for column in sheet_columns(session, org, client_type, lang):
            options.setdefault(column.key, column.label)
    last: dict[str, int] = {}  # the highest number of each kind the template has
    for key in options:
        if parts := numbered(key):
            last[parts[0]] = max(last.get(parts[0], 0), parts[1])
    result: list[tuple[str, str]] = []
    for key, label in options.items():
        result.append((key, label))
        parts = numbered(key)
        if parts is None or parts[1] != last.get(parts[0]):
            continue
        group = [(k, label_) for k, label_ in options.items() if (p := numbered(k)) and p[:2] == parts[:2]]
        if key != group[-1][0]:
            continue
        for n in range(parts[1] + 1, numbered_up_to + 1):
            result.extend((f"{parts[0]}.{n}.{numbered(k)[2]}", _relabel(label_, parts[1], n))
                          for k, label_ in group)
    return result


def sample_rows(*, session: Session, actor: Actor, import_id: int) -> list[tuple[str, ...]]:
    """The file's first data rows (cells as text), to show beside the mapping."""
    row = import_row(session, actor, import_id)
    return [cells for _, cells in itertools.islice(iter_rows(file_path(row), row.file_name), SAMPLE_ROWS)]
