"""What the dry run found each valid row would do, kept for the write: the write then skips reading
and checking the file again, and only asks the base whether a new customer's phone, e-mail or ID was
taken since (an update is checked again whole by update_customer). Rows with problems are not kept.

A file of pickled batches beside the upload, written by the server itself: complete (renamed into
place) only when the dry run finished, and removed when the mapping changes or a new check starts.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

from crm_app.models import CustomerImport
from crm_app.services.customer_import.judge import Outcome
from crm_app.services.customer_import.records import imports_dir


def judged_path(row: CustomerImport) -> Path:
    return imports_dir(row.organization_id) / (row.stored_name.rsplit(".", 1)[0] + ".judged")


def forget(row: CustomerImport) -> None:
    judged_path(row).unlink(missing_ok=True)
    judged_path(row).with_suffix(".partial").unlink(missing_ok=True)


class JudgedWriter:
    """Written batch by batch during the dry run; in place once it is closed without an error."""

    def __init__(self, row: CustomerImport) -> None:
        self.final = judged_path(row)
        self.partial = self.final.with_suffix(".partial")

    def __enter__(self) -> JudgedWriter:
        self.file = self.partial.open("wb")
        return self

    def add(self, outcomes: list[Outcome]) -> None:
        kept = [o for o in outcomes if o.action != "error"]
        if kept:
            pickle.dump(kept, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def __exit__(self, kind, error, trace) -> None:
        self.file.close()
        if kind is None:
            self.partial.replace(self.final)
        else:
            self.partial.unlink(missing_ok=True)


def judged_batches(row: CustomerImport, start: int) -> Iterator[list[Outcome]] | None:
    """The dry run's batches of rows from ``start`` on, or None when there is no complete dry run."""
    path = judged_path(row)
    if not path.is_file():
        return None

    def batches() -> Iterator[list[Outcome]]:
        with path.open("rb") as f:
            while True:
                try:
                    batch = pickle.load(f)  # the server's own file (never an upload): safe to unpickle
                except EOFError:
                    return
                batch = [o for o in batch if o.row >= start]
                if batch:
                    yield batch

    return batches()
