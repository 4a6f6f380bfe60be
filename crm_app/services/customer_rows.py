"""A customer's rows from his cleaned input: the customer columns, his phones, e-mails and tags.

The column lists are the one definition of a customer row: the services write it through
:func:`row_values`, the demo seed (services/seed.py) writes the same columns straight in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlmodel import Session

from crm_app.domain.campaigns import UNSUBSCRIBED
from crm_app.domain.customer_validation import CheckedCustomer, CleanCustomer
from crm_app.domain.dto import Actor, values_of
from crm_app.domain.form_config import FormConfig
from crm_app.domain.search_text import customer_search_text, name_key, normalize
from crm_app.models import (
    Customer,
    CustomerEmail,
    CustomerFieldValue,
    CustomerPhone,
    CustomerTag,
    FeedEvent,
    Organization,
)
from crm_app.models.audit import created_by
from crm_app.models.types import utcnow
from crm_app.services import form_config as form_service
from crm_app.services import webhook_events
from crm_app.services.customer_feed_entries import feed_event_row
from crm_app.services.tags import resolve_tags

# The customer columns copied from the cleaned input (CleanCustomer's fields of the same names). An edit
# rewrites them all; ``source`` is set once, when the customer is created.
# fmt: off
INPUT_COLUMNS = (
    "client_type", "first_name", "last_name", "legal_name", "trade_name", "contact_name",  # who he is
    "display_name", "sort_name",  # derived from those names
    "tax_id_type", "tax_id", "loyalty_id", "birthday",
    "street", "city", "region", "postal_code", "address_country", "latitude", "longitude",  # his address
    "credit_limit", "discount_percent", "channel_id", "notes", "is_supplier", "is_conflictive",
)
# fmt: on
# The columns derived from that input: the search index's text, the list's phone and e-mail.
DERIVED_COLUMNS = ("search_text", "primary_phone_e164", "primary_email")


def search_text(org: Organization, clean: CleanCustomer) -> str:
    return customer_search_text(
        names=(clean.first_name, clean.last_name, clean.legal_name, clean.trade_name, clean.contact_name),
        tax_id=clean.tax_id or "",
        loyalty_id=clean.loyalty_id or "",
        emails=[e.address for e in clean.emails],
        phones_e164=[p.e164 for p in clean.phones],
        region=org.country,
    )


def row_values(org: Organization, clean: CleanCustomer) -> dict[str, Any]:
    """The customer row's INPUT_COLUMNS and DERIVED_COLUMNS, by name."""
    values = {name: getattr(clean, name) for name in INPUT_COLUMNS}
    values["search_text"] = search_text(org, clean)
    values["primary_phone_e164"] = next((p.e164 for p in clean.phones if p.primary), "")
    values["primary_email"] = next((e.address for e in clean.emails if e.primary), "")
    return values


ChildRows = dict[type, list[dict[str, Any]]]


def child_rows(
    org: Organization,
    customer_id: int,
    clean: CleanCustomer,
    tag_ids: Mapping[str, int],
    *,
    previous_emails: Mapping[str, CustomerEmail] | None = None,
    into: ChildRows | None = None,
) -> ChildRows:
    """The customer's phone, e-mail and tag rows (added to ``into``, for a batch). An address that already
    had the customer's consent (``previous_emails``, by address) keeps its date and source; a new consent
    is dated now, its source is the input's. ``tag_ids``: his tags' ids by normalized name."""
    rows: ChildRows = into if into is not None else {}
    now, source = utcnow(), clean.source
    previous_emails = previous_emails or {}
    owner = {"organization_id": org.id, "customer_id": customer_id}
    rows.setdefault(CustomerPhone, []).extend(
        {**owner, "is_primary": phone.primary, "position": position, **values_of(phone, without=("primary",))}
        for position, phone in enumerate(clean.phones)
    )
    for position, email in enumerate(clean.emails):
        before = previous_emails.get(email.address)
        if not email.accepts_email and before is not None and before.consent_source == UNSUBSCRIBED:
            # He unsubscribed from a campaign: when, kept (consent_at/source otherwise date a consent)
            consent_at, consent_source = before.consent_at, UNSUBSCRIBED
        elif not email.accepts_email:
            consent_at, consent_source = None, ""
        elif before is not None and before.accepts_email and before.consent_at is not None:
            consent_at, consent_source = before.consent_at, before.consent_source  # consent given earlier
        else:
            consent_at, consent_source = now, source
        rows.setdefault(CustomerEmail, []).append({
            **owner, "address": email.address, "accepts_email": email.accepts_email,
            "consent_at": consent_at, "consent_source": consent_source, "is_primary": email.primary,
            "position": position,
        })
    rows.setdefault(CustomerTag, []).extend(
        {**owner, "tag_id": tag_id} for tag_id in dict.fromkeys(tag_ids[normalize(t)] for t in clean.tags)
    )
    return rows


def _with_defaults(table, values: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The rows as lists, with the models' Python-side defaults for the columns they leave out (COPY
    applies only the database's own defaults)."""
    names = list(values[0])
    defaults = {column.name: column.default for column in table.columns
                if column.name not in names and column.default is not None and not column.primary_key}
    columns = [*names, *defaults]
    filled = [d.arg(None) if d.is_callable else d.arg for d in defaults.values()]
    return columns, [[row[name] for name in names] + filled for row in values]


def insert_rows(session: Session, rows: ChildRows) -> None:
    """The rows of each table in one go, with no ORM bookkeeping for rows nobody reads back: SQLite's
    executemany; PostgreSQL's COPY in the same transaction (its triggers run as for an INSERT), where an
    executemany would cost a statement per row."""
    connection = session.connection()
    for model, values in rows.items():
        if not values:
            continue
        table = model.__table__
        if connection.dialect.name != "postgresql":
            session.execute(insert(table), values)
            continue
        columns, lines = _with_defaults(table, values)
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for line in lines:
                copy.write_row(line)


def write_children(
    session: Session,
    org: Organization,
    customer_id: int,
    clean: CleanCustomer,
    *,
    previous_emails: Mapping[str, CustomerEmail] | None = None,
) -> None:
    """Add one customer's phone, e-mail and tag rows (see :func:`child_rows`)."""
    tag_ids = dict(zip(map(normalize, clean.tags), resolve_tags(session, org.id, clean.tags), strict=False))
    insert_rows(session, child_rows(org, customer_id, clean, tag_ids, previous_emails=previous_emails))


def replace_children(session: Session, org: Organization, customer_id: int, clean: CleanCustomer) -> None:
    """Replace the customer's phones, e-mails and tags (an edit); consents given earlier are kept."""
    emails = session.execute(select(CustomerEmail).where(CustomerEmail.customer_id == customer_id)).scalars()
    previous_emails = {e.address: e for e in emails}
    for email in previous_emails.values():
        session.expunge(email)  # read for their consent dates, then deleted below
    for model in (CustomerPhone, CustomerEmail, CustomerTag):
        session.execute(delete(model).where(model.customer_id == customer_id))
    write_children(session, org, customer_id, clean, previous_emails=previous_emails)


def reserve_customer_ids(session: Session, count: int) -> list[int]:
    """``count`` customer ids no one else will take. PostgreSQL: from the id's sequence. SQLite: one
    writer at a time, so once this transaction holds the write lock (the empty UPDATE takes it) the ids
    after the highest one are free until it commits."""
    if session.get_bind().dialect.name == "postgresql":
        return list(session.execute(text(
            "SELECT nextval(pg_get_serial_sequence('customer', 'id')) FROM generate_series(1, :n)"
        ), {"n": count}).scalars())
    session.execute(text("UPDATE customer SET id = id WHERE 0"))
    highest = session.execute(text("SELECT coalesce(max(id), 0) FROM customer")).scalar_one()
    return list(range(highest + 1, highest + count + 1))


@dataclass(frozen=True)
class NewCustomer:
    """A customer to create: his checked input, the form it was checked with, his feed event's data."""

    checked: CheckedCustomer
    config: FormConfig | None
    event: dict[str, Any]


def insert_customers(
    session: Session, org: Organization, actor: Actor, new: Sequence[NewCustomer]
) -> list[int]:
    """Create customers with their phones, e-mails, tags, custom values and "created" feed events, in the
    caller's transaction; returns their ids in order. One INSERT for all the customer rows (a form's one,
    an import's batch), their tags resolved once."""
    if not new:
        return []
    audit = created_by(actor.user_id)
    # The name key holds the id: the ids are taken first, so each row is written (and filed in the search
    # index by its trigger) once, with its final key.
    ids = reserve_customer_ids(session, len(new))
    rows = []
    for customer_id, n in zip(ids, new, strict=True):
        values = row_values(org, n.checked.clean)
        rows.append({"id": customer_id, "organization_id": org.id, "source": n.checked.clean.source, **audit,
                     "name_key": name_key(values["sort_name"], customer_id), **values})
    insert_rows(session, {Customer: rows})
    names: dict[str, str] = {}  # one name per tag ("VIP" and "vip" are one)
    for n in new:
        for name in n.checked.clean.tags:
            names.setdefault(normalize(name), name)
    tag_ids = dict(zip(names, resolve_tags(session, org.id, tuple(names.values())), strict=True))
    children: ChildRows = {}
    events = []
    for customer_id, n in zip(ids, new, strict=True):
        child_rows(org, customer_id, n.checked.clean, tag_ids, into=children)
        if n.config is not None:
            children.setdefault(CustomerFieldValue, []).extend(
                form_service.value_rows(org.id, customer_id, n.config, n.checked.custom))
        events.append(feed_event_row(actor, "customer_created", customer_id, n.event))
    children[FeedEvent] = events
    insert_rows(session, children)
    session.flush()
    webhook_events.customers_created(session, org.id, ids)  # one endpoint query for the whole batch
    return ids
