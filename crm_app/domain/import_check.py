"""The part of judging an import's row that needs no database: reading its cells and checking the
customer they make with the form's rules. Pure and picklable, so the dry run spreads it over the
machine's cores (services/customer_import/runs.py); the database's part (matches, duplicates) stays
with the job."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from crm_app.domain.customer_validation import CheckedCustomer, check_customer
from crm_app.domain.customers import CustomerInput
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.form_config import FormConfig
from crm_app.domain.import_rows import ImportPlan, ReadRow, Vocabulary, read_row

# A row's check when it failed: each error as (code, params), which pickle as plain values.
Errors = dict[str, tuple[str, dict]]


@dataclass(frozen=True)
class RowContext:
    """What reading and checking a row needs: the plan, the organization's words and forms."""

    plan: ImportPlan
    vocabulary: Vocabulary
    configs: Mapping[str, FormConfig]
    country: str
    currency: str
    today: date

    def check(self, data: CustomerInput) -> CheckedCustomer | Errors:
        try:
            return check_customer(self.configs.get(data.client_type), data, country=self.country,
                                  today=self.today, currency=self.currency)
        except ValidationFailed as exc:
            return {key: (error.code, dict(error.params)) for key, error in exc.errors.items()}


def field_errors(errors: Errors) -> dict[str, FieldError]:
    return {key: FieldError(code, **params) for key, (code, params) in errors.items()}


_context: RowContext | None = None


def start_worker(context: RowContext) -> None:
    """A worker process's initializer: the context is sent once, not with every batch."""
    global _context  # one context per worker process, set by its initializer
    _context = context


Checked = tuple[ReadRow, CheckedCustomer | Errors]


def read_and_check(rows: Sequence[tuple[int, Sequence[str]]]) -> list[Checked]:
    """In a worker: each row read, and the customer it makes checked as a new one."""
    assert _context is not None, "start_worker first"
    reads = [read_row(cells, _context.plan, _context.vocabulary) for _, cells in rows]
    return [(read, _context.check(read.data)) for read in reads]
