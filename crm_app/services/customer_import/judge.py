"""What each row of an import would do: create a customer, update the one it matches, leave him
unchanged, or nothing because of its problems. The dry run and the write judge rows with this same
code, which checks them with the rules of the staff form: the domain's check_customer, then the
duplicate rules against the base (services/customer_duplicates) and inside the file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.customer_validation import CheckedCustomer
from crm_app.domain.customers import CustomerInput
from crm_app.domain.dto import Actor
from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import FieldError
from crm_app.domain.feed_changes import initial_entries
from crm_app.domain.form_config import FormConfig, input_from_dto
from crm_app.domain.import_check import Checked, Errors, RowContext, field_errors
from crm_app.domain.import_columns import header_key
from crm_app.domain.import_rows import (
    ImportPlan,
    ReadRow,
    Vocabulary,
    cells_of,
    column_of,
    merged_update,
    read_row,
)
from crm_app.domain.phones import phone_e164
from crm_app.domain.tax_ids import tax_id_types, validate_tax_id
from crm_app.models import Account, Customer, CustomerEmail, CustomerPhone, Organization
from crm_app.services.customer_dto import to_dto
from crm_app.services.customer_duplicates import DuplicateValues, duplicate_errors_many
from crm_app.services.customer_rows import NewCustomer

# The first column of each match key, where a "no match" problem is shown.
MATCH_COLUMNS = {"tax_id": "tax_id", "email": "emails.1.address", "phone": "phones.1.number",
                 "loyalty_id": "loyalty_id"}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # the column key
    value: str
    code: str
    params: dict[str, Any]


@dataclass
class Outcome:
    row: int
    action: str  # create | update | unchanged | error
    problems: list[Problem] = field(default_factory=list)
    new: NewCustomer | None = None  # a create's customer
    customer_id: int | None = None  # the matched customer
    version: int = 0  # his version when judged
    data: CustomerInput | None = None  # an update's input (his fields with the row's)
    account: str = ""


@dataclass
class Judge:
    org: Organization
    actor: Actor
    configs: dict[str, FormConfig]
    vocabulary: Vocabulary
    plan: ImportPlan
    mode: str
    match_by: str
    file_name: str
    import_id: int
    today: date
    accounts: dict[str, int] = field(default_factory=dict)  # header_key(name) -> active account id
    # Each duplicate-checked value met so far in the file -> the first row holding it.
    # Kept by the value's 64-bit hash, not its text: a 200,000-row file holds up to a million values, and
    # two different values sharing a hash (odds about 1 in 10^7 at that size) would only flag a duplicate.
    seen: dict[int, int] = field(default_factory=dict)

    # ------------------------------------------------------------------ matching

    def match_value(self, read: ReadRow) -> str | None:
        """The row's value of the match key, normalized as stored; None when it has none (or a bad one,
        which the checks report)."""
        data, country = read.data, self.org.country
        try:
            if self.match_by == "tax_id" and data.tax_id.strip():
                id_type = data.tax_id_type or tax_id_types(country, data.client_type)[0]
                return validate_tax_id(country, data.client_type, id_type, data.tax_id).compact
            if self.match_by == "email" and data.emails:
                return normalize_email(data.emails[0].address)
            if self.match_by == "phone" and data.phones:
                return phone_e164(data.phones[0].number, country)
            if self.match_by == "loyalty_id" and data.loyalty_id.strip():
                return data.loyalty_id.strip()
        except FieldError:
            return None
        return None

    def _matches(self, session: Session, values: set[str]) -> dict[str, list[int]]:
        if not values:
            return {}
        column, join = {
            "tax_id": (Customer.tax_id, None), "loyalty_id": (Customer.loyalty_id, None),
            "email": (CustomerEmail.address, CustomerEmail), "phone": (CustomerPhone.e164, CustomerPhone),
        }[self.match_by]
        owner = column.table.c.organization_id  # the value's own (organization_id, value) index
        query = select(column, Customer.id).where(
            owner == self.org.id, Customer.deleted_at.is_(None), column.in_(values))
        if join is not None:
            query = query.join(join, join.customer_id == Customer.id)
        found: dict[str, list[int]] = {}
        for value, customer_id in session.execute(query.order_by(Customer.id)).all():
            if customer_id not in found.setdefault(value, []):
                found[value].append(customer_id)
        return found

    # ------------------------------------------------------------------ judging

    def context(self) -> RowContext:
        """What judging a row needs short of the database (for worker processes)."""
        return RowContext(plan=self.plan, vocabulary=self.vocabulary, configs=self.configs,
                          country=self.org.country, currency=self.org.currency, today=self.today)

    def batch(
        self, session: Session, rows: Sequence[tuple[int, Sequence[str]]],
        prepared: list[Checked] | None = None,
    ) -> list[Outcome]:
        """Judge a batch of (row number, cells), in file order; ``prepared``: the rows already read and
        checked as new customers (domain/import_check, in worker processes)."""
        if prepared is None:
            context = self.context()
            prepared = [(read, context.check(read.data)) for read in
                        (read_row(cells, self.plan, self.vocabulary) for _, cells in rows)]
        reads = [(number, cells, read) for (number, cells), (read, _) in zip(rows, prepared, strict=True)]
        matches: dict[str, list[int]] = {}
        keys: list[str | None] = [None] * len(reads)
        if self.mode != "create":
            keys = [self.match_value(read) for _, _, read in reads]
            matches = self._matches(session, {k for k in keys if k})
        outcomes: list[Outcome] = []
        checked: list[tuple[Outcome, CheckedCustomer, ReadRow, dict[str, str]]] = []
        for (number, cells, read), key, (_, as_new) in zip(reads, keys, prepared, strict=True):
            values = cells_of(cells, self.plan)
            outcome = Outcome(row=number, action="error", account=read.account)
            outcomes.append(outcome)
            clean = self._judge_one(session, outcome, read, values, matches.get(key or "", []), as_new)
            if clean is not None:
                checked.append((outcome, clean, read, values))
        self._duplicates(session, checked)
        for outcome in outcomes:
            if outcome.problems:
                outcome.action, outcome.new, outcome.data = "error", None, None
        return outcomes

    def _problem(self, outcome: Outcome, column: str, values: dict[str, str], error: FieldError) -> None:
        outcome.problems.append(Problem(outcome.row, column, values.get(column, "")[:100], error.code,
                                        dict(error.params)))

    def _judge_one(
        self, session: Session, outcome: Outcome, read: ReadRow, values: dict[str, str], matched: list[int],
        as_new: CheckedCustomer | Errors,
    ) -> CheckedCustomer | None:
        for key, error in read.errors.items():
            self._problem(outcome, key, values, error)
        if read.account and header_key(read.account) not in self.accounts:
            self._problem(outcome, "account", values, FieldError("account_unknown", name=read.account[:60]))
        if len(matched) > 1:
            self._problem(outcome, MATCH_COLUMNS[self.match_by], values, FieldError("match_ambiguous"))
            return None
        if not matched and self.mode == "update":
            self._problem(outcome, MATCH_COLUMNS[self.match_by], values, FieldError("match_none"))
            return None
        if matched and self.mode in ("update", "both"):
            return self._judge_update(session, outcome, read, values, matched[0])
        return self._check(outcome, read, read.data, values, "create", as_new)

    def _check(
        self, outcome: Outcome, read: ReadRow, data: CustomerInput, values: dict[str, str], action: str,
        checked: CheckedCustomer | Errors | None = None,
    ) -> CheckedCustomer | None:
        """``checked``: the check of ``data`` made already (as a new customer, in a worker)."""
        config = self.configs.get(data.client_type)
        if checked is None:
            checked = self.context().check(data)
        if isinstance(checked, dict):
            for key, error in field_errors(checked).items():
                self._problem(outcome, column_of(key, read), values, error)
            return None
        if outcome.problems:
            return None
        outcome.action = action
        if action == "create":
            consents = [e.address for e in checked.clean.emails if e.accepts_email]
            event = {"source": "import", "changes": initial_entries(consents),
                     "import": {"id": self.import_id, "file": self.file_name, "row": outcome.row}}
            outcome.new = NewCustomer(checked, config, event)
        return checked

    def _judge_update(
        self, session: Session, outcome: Outcome, read: ReadRow, values: dict[str, str], customer_id: int
    ) -> CheckedCustomer | None:
        row = session.get(Customer, customer_id)
        stored = input_from_dto(to_dto(session, self.org, row))
        merged = merged_update(stored, read, self.org.country)
        # The merged phones' columns: a phone the row gives is reported under its column.
        aligned = tuple(next((n for p, n in zip(read.data.phones, read.phone_columns, strict=True)
                              if p.number == phone.number), 1) for phone in merged.phones)
        read_view = dataclasses.replace(read, phone_columns=aligned, email_columns=tuple(
            next((n for e, n in zip(read.data.emails, read.email_columns, strict=True)
                  if e.address.strip().lower() == email.address.lower()), 1) for email in merged.emails))
        checked = self._check(outcome, read_view, merged, values, "update")
        if checked is None:
            return None
        outcome.customer_id, outcome.version, outcome.data = customer_id, row.version, merged
        before = self.context().check(stored)  # errors if saved under older rules: any save changes him
        if before == checked and not (read.account and header_key(read.account) in self.accounts):
            outcome.action = "unchanged"
        return checked

    def recheck(self, session: Session, outcomes: list[Outcome]) -> list[Outcome]:
        """The dry run's creates asked again whether the base took their values since (the write runs
        later than the check); updates are checked again whole when they are saved."""
        creates = [o for o in outcomes if o.action == "create"]
        base = duplicate_errors_many(session, self.org, [(DuplicateValues.of(o.new.checked.clean), None)
                                                         for o in creates])
        for outcome, errors in zip(creates, base, strict=True):
            for key, error in errors.items():
                self._problem(outcome, key, {}, error)
            if errors:
                outcome.action, outcome.new = "error", None
        return outcomes

    def _duplicates(
        self, session: Session, checked: list[tuple[Outcome, CheckedCustomer, ReadRow, dict]]
    ) -> None:
        """The duplicate rules against the base (as the form's), then inside the file."""
        base = duplicate_errors_many(
            session, self.org, [(DuplicateValues.of(c.clean), o.customer_id) for o, c, _, _ in checked])
        for (outcome, customer, read, values), errors in zip(checked, base, strict=True):
            for key, error in errors.items():
                self._problem(outcome, column_of(key, read), values, error)
            for kind, key, found in self._file_values(customer):
                for index, value in enumerate(found):
                    first = self.seen.setdefault(hash((kind, value)), outcome.row)
                    if first != outcome.row:
                        column = column_of(key.format(index), read)
                        self._problem(outcome, column, values, FieldError("duplicate_in_file", row=first))

    def _file_values(self, customer: CheckedCustomer) -> list[tuple[str, str, list[str]]]:
        """(kind, error key, values) of each duplicate rule the organization applies."""
        clean, org = customer.clean, self.org
        rules = [("loyalty_id", "loyalty_id", [clean.loyalty_id] if clean.loyalty_id else [])]
        if org.duplicate_check_phone:
            rules.append(("phone", "phones.{}.number", [p.e164 for p in clean.phones]))
        if org.duplicate_check_email:
            rules.append(("email", "emails.{}.address", [e.address for e in clean.emails]))
        if org.duplicate_check_tax_id and clean.tax_id:
            rules.append(("tax_id", "tax_id", [clean.tax_id]))
        return rules


def load_accounts(session: Session, organization_id: int) -> dict[str, int]:
    """The organization's active accounts by name (as compared in a header: no accents, any case)."""
    rows = session.execute(select(Account.id, Account.name).where(
        Account.organization_id == organization_id, Account.deleted_at.is_(None)).order_by(Account.id)).all()
    accounts: dict[str, int] = {}
    for account_id, name in rows:
        accounts.setdefault(header_key(name), account_id)
    return accounts
