"""The merge itself, in the caller's one transaction: the survivor takes the chosen values and every
detail and record of the merged customers, who are soft-deleted pointing at him; the snapshot of how
everything was, one feed event on the survivor and the ``customer.merged`` webhook go with it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from crm_app.domain.customers import display_name_for
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.domain.merge import (
    FIELDS,
    MergeDTO,
    MergeRequest,
    choice_errors,
    custom_field_id,
    resolve_choices,
)
from crm_app.domain.search_text import customer_search_text, name_key, sort_key
from crm_app.models import Customer, CustomerEmail, CustomerMerge, CustomerPhone
from crm_app.models.types import utcnow
from crm_app.services import customer_totals, duplicates, feed, webhook_events
from crm_app.services.activity import record_activity
from crm_app.services.admin_settings import admin_only
from crm_app.services.merge import access, moves, records
from crm_app.services.merge.details import merge_details
from crm_app.services.merge.preview import candidates
from crm_app.services.merge.snapshot import dumps, read_rows
from crm_app.services.tenancy import actor_organization


def _ids(values: dict[Any, Any]) -> dict[int, int]:
    """A request's {id: id} as ints (a browser's JSON keys are strings); what is not a number is dropped."""
    out = {}
    for key, value in values.items():
        try:
            out[int(key)] = int(value)
        except (TypeError, ValueError):
            continue
    return out


def _survivor_values(customers: dict[int, Customer], chosen: dict[str, int]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, columns in FIELDS.items():
        source = customers[chosen[name]]
        values.update({column: getattr(source, column) for column in columns})
    return values


def _name_errors(client_type: str, display: str) -> dict[str, FieldError]:
    if display:
        return {}
    field = "first_name" if client_type == "person" else "legal_name"
    return {field: FieldError("merge_name_empty")}


def merge(*, session: Session, actor: Actor, request: MergeRequest) -> MergeDTO:
    """Merge ``request.customer_ids`` into ``request.survivor_id`` (see the module's docstring).

    Raises NotFound (another organization's or a missing customer), Forbidden (not an admin),
    ValidationFailed (2..10 customers, the survivor among them, known fields and customers in the
    choices, a name left), Conflict("customer_stale", name=) when one changed since the preview,
    Conflict("merge_customer_deleted"/"merge_customer_merged") for a trashed or merged one.
    """
    admin_only(actor)
    org = actor_organization(session, actor)
    ids = access.merge_ids(request.customer_ids)
    if request.survivor_id not in ids:
        raise ValidationFailed({"survivor_id": FieldError("merge_survivor_unknown")})
    customers = access.load_customers(session, actor, ids, lock=True)
    versions = _ids(request.versions)
    for customer in customers:
        if versions.get(customer.id) != customer.version:
            raise Conflict("customer_stale", name=customer.display_name)
    found, labels = candidates(session, org, customers, actor.language)
    choices = {name: int(v) for name, v in request.choices.items() if str(v).isdigit()}
    errors = {name: FieldError(code) for name, code in choice_errors(set(labels), ids, choices).items()}
    chosen = resolve_choices(found, set(labels), choices)
    by_id = {c.id: c for c in customers}
    values = _survivor_values(by_id, chosen)
    display = display_name_for(values["client_type"], values["first_name"], values["last_name"],
                               values["trade_name"], values["legal_name"])[:200]
    errors.update(_name_errors(values["client_type"], display))
    if errors:
        raise ValidationFailed(errors)

    survivor = by_id[request.survivor_id]
    merged = [i for i in ids if i != survivor.id]
    ordered = [survivor.id, *merged]
    snapshot: dict[str, Any] = {
        "customers": read_rows(session, Customer.__table__, "id", ordered),
        "details": moves.details_snapshot(session, ordered),
    }
    now = utcnow()
    # The merged customers leave first: a loyalty ID the survivor takes from one of them is then free
    # (its unique index holds active customers only).
    for customer in customers:
        if customer.id != survivor.id:
            _compare_and_set(session, customer, deleted_at=now, deleted_by=actor.user_id, updated_at=now,
                             updated_by=actor.user_id, version=customer.version + 1,
                             merged_into_id=survivor.id)
    custom_choice = {custom_field_id(name): cid for name, cid in chosen.items() if custom_field_id(name)}
    primary_phone, primary_email = merge_details(session, survivor.id, ordered, custom_choice)
    moved, dropped, summary = moves.move_records(session, survivor.id, merged)
    snapshot["moved"], snapshot["dropped_members"] = moved, dropped

    version = survivor.version + 1
    values.update(
        display_name=display, sort_name=sort_key(display), name_key=name_key(sort_key(display), survivor.id),
        search_text=_search_text(session, org.country, survivor.id, values),
        primary_phone_e164=primary_phone, primary_email=primary_email,
        is_conflictive=any(c.is_conflictive for c in customers),  # conflictive wins
        is_supplier=any(c.is_supplier for c in customers),
        version=version, updated_at=now, updated_by=actor.user_id,
    )
    _compare_and_set(session, survivor, **values)
    for customer_id in ordered:
        customer_totals.recompute(session, customer_id)
    for customer in customers:
        session.expire(customer)

    row = CustomerMerge(organization_id=org.id, survivor_id=survivor.id, merged_ids=json.dumps(merged),
                        actor_id=actor.user_id, created_at=now, survivor_version=version,
                        summary=json.dumps(summary), snapshot=dumps(snapshot))
    session.add(row)
    session.flush()
    names = [{"id": c.id, "name": c.display_name} for c in customers if c.id != survivor.id]
    feed.record_event(session, organization_id=org.id, customer_id=survivor.id, actor_id=actor.user_id,
                      kind="customer_merged", ref_id=row.id,
                      data={"merge_id": row.id, "merged": names, "moved": summary})
    webhook_events.customer_merged(session, org.id, row.id, survivor.id, merged)
    record_activity(session, organization_id=org.id, actor_id=actor.user_id, kind="customer_merged",
                    detail={"merge_id": row.id, "survivor_id": survivor.id, "merged_ids": merged})
    duplicates.forget_customers(session, org.id, merged)  # their candidate pairs and groups go
    session.flush()
    return records.to_dto(session, row)


def _compare_and_set(session: Session, customer: Customer, **values: Any) -> None:
    """Write ``values`` on the customer only if he is still at the version read (a merge or an edit
    committed in between, which SQLite's reads do not lock out, makes this one stale)."""
    saved = session.execute(
        update(Customer).where(Customer.id == customer.id, Customer.version == customer.version)
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if saved != 1:
        raise Conflict("customer_stale", name=customer.display_name)


def _search_text(session: Session, country: str, survivor_id: int, values: dict[str, Any]) -> str:
    """The survivor's search text from his chosen names and IDs and his phones and e-mails after the
    merge (the same text services/customer_rows writes for a form's save)."""
    emails = session.execute(select(CustomerEmail.address).where(CustomerEmail.customer_id == survivor_id)
                             .order_by(CustomerEmail.position)).scalars()
    phones = session.execute(select(CustomerPhone.e164).where(CustomerPhone.customer_id == survivor_id)
                             .order_by(CustomerPhone.position)).scalars()
    return customer_search_text(
        names=(values["first_name"], values["last_name"], values["legal_name"], values["trade_name"],
               values["contact_name"]),
        tax_id=values["tax_id"] or "", loyalty_id=values["loyalty_id"] or "",
        emails=list(emails), phones_e164=list(phones), region=country,
    )
