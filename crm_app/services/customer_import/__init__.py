"""Customer imports from a spreadsheet: upload, mapping, dry run, write, revert (see steps.py for the
flow, runs.py for the jobs' work, judge.py for what a row does)."""

from crm_app.services.customer_import.records import ImportDTO, get_import, list_imports
from crm_app.services.customer_import.steps import (
    CHECK,
    REVERT,
    WRITE,
    ImportChoices,
    cancel,
    job_ended,
    register_upload,
    save_choices,
    save_valid_only,
    start_check,
    start_revert,
    start_write,
)

__all__ = [
    "CHECK",
    "REVERT",
    "WRITE",
    "ImportChoices",
    "ImportDTO",
    "cancel",
    "get_import",
    "job_ended",
    "list_imports",
    "register_upload",
    "save_choices",
    "save_valid_only",
    "start_check",
    "start_revert",
    "start_write",
]
