"""The customer form configuration: reading it (every form, import and API) and editing it (admins).

``get_form_config`` / ``load_form_config`` are what every place showing or accepting a customer calls;
the editing functions are admin-only and record each change, before -> after, in the activity log.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete, func, select
from sqlmodel import Session

from crm_app.domain.custom_values import StoredValue
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor, fields_of
from crm_app.domain.errors import Conflict, FieldError, Forbidden, ValidationFailed
from crm_app.domain.form_config import BuiltinField, ChoiceOption, CustomFieldDef, FormConfig, merge_builtin
from crm_app.domain.form_edits import (
    CustomFieldInput,
    OptionText,
    check_builtin,
    clean_custom_field,
    custom_field_errors,
)
from crm_app.domain.text import clean_line
from crm_app.models import CustomerFieldValue, CustomField, CustomFieldOption, FormFieldSetting
from crm_app.services.activity import record_activity
from crm_app.services.ordering import move_one_step
from crm_app.services.tenancy import org_row


def _admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden()


def _client_type(client_type: str) -> str:
    if client_type not in CLIENT_TYPES:
        raise ValidationFailed({"client_type": FieldError("client_type_invalid", client_type=client_type)})
    return client_type


def log_change(session: Session, actor: Actor, kind: str, before: object, after: object) -> None:
    """One admin activity row: who (actor), when (now), what (kind), before -> after."""
    record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id, kind=kind,
                    detail={"before": before, "after": after})


# --------------------------------------------------------------------------- reading


def _option(row: CustomFieldOption) -> ChoiceOption:
    return fields_of(ChoiceOption, row, active=row.is_active)


def _field(row: CustomField, options: list[CustomFieldOption]) -> CustomFieldDef:
    return fields_of(CustomFieldDef, row, active=row.is_active, options=tuple(_option(o) for o in options))


def load_form_config(session: Session, organization_id: int, client_type: str) -> FormConfig:
    """The form of ``client_type`` in an organization (for callers without a signed-in actor, such as
    the invitation page; they must have established the organization themselves)."""
    client_type = _client_type(client_type)
    stored = session.execute(
        select(FormFieldSetting).where(FormFieldSetting.organization_id == organization_id,
                                       FormFieldSetting.client_type == client_type)
    ).scalars()
    builtin = merge_builtin(client_type, [
        BuiltinField(key=s.field_key, visible=s.visible, required=s.required, position=s.position,
                     label_es=s.label_es, label_en=s.label_en, label_pt=s.label_pt) for s in stored
    ])
    fields = session.execute(
        select(CustomField).where(CustomField.organization_id == organization_id,
                                  CustomField.client_type == client_type)
        .order_by(CustomField.position, CustomField.id)
    ).scalars().all()
    options: dict[int, list[CustomFieldOption]] = {f.id: [] for f in fields}
    if fields:
        for option in session.execute(
            select(CustomFieldOption).where(CustomFieldOption.field_id.in_(list(options)))
            .order_by(CustomFieldOption.position, CustomFieldOption.id)
        ).scalars():
            options[option.field_id].append(option)
    return FormConfig(client_type=client_type, builtin=builtin,
                      custom=tuple(_field(f, options[f.id]) for f in fields))


def get_form_config(*, session: Session, actor: Actor, client_type: str) -> FormConfig:
    """The actor's organization's form for ``client_type`` (any staff role: every form needs it)."""
    return load_form_config(session, actor.organization_id, client_type)


def choice_fields(*, session: Session, actor: Actor) -> list[tuple[str, CustomFieldDef]]:
    """Active single/multiple choice fields of every client type: the customer list filters on them."""
    found = []
    for client_type in CLIENT_TYPES:
        config = load_form_config(session, actor.organization_id, client_type)
        found += [(client_type, f) for f in config.active_custom if f.kind in {"choice", "multi_choice"}]
    return found


# --------------------------------------------------------------------------- built-in fields


def save_builtin_fields(
    *, session: Session, actor: Actor, client_type: str, fields: list[BuiltinField]
) -> FormConfig:
    """Replace the built-in field settings of one form (visibility, required, order by list position,
    labels). Locked fields (names) stay shown and required; phones and e-mails are not both hidden."""
    _admin(actor)
    client_type = _client_type(client_type)
    fields = [dataclasses.replace(f, position=i, label_es=clean_line(f.label_es),
                                  label_en=clean_line(f.label_en), label_pt=clean_line(f.label_pt))
              for i, f in enumerate(fields)]
    errors = check_builtin(client_type, fields)
    if errors:
        raise ValidationFailed(errors)
    before = load_form_config(session, actor.organization_id, client_type)
    session.execute(delete(FormFieldSetting).where(FormFieldSetting.organization_id == actor.organization_id,
                                                   FormFieldSetting.client_type == client_type))
    for field in fields:
        session.add(FormFieldSetting(
            organization_id=actor.organization_id, client_type=client_type, field_key=field.key,
            visible=field.visible, required=field.required, position=field.position,
            label_es=field.label_es, label_en=field.label_en, label_pt=field.label_pt,
        ))
    session.flush()
    after = load_form_config(session, actor.organization_id, client_type)
    changed = [
        (old.key, dataclasses.asdict(old), dataclasses.asdict(new))
        for old, new in zip(sorted(before.builtin, key=lambda f: f.key),
                            sorted(after.builtin, key=lambda f: f.key), strict=True)
        if old != new
    ]
    if changed:
        log_change(session, actor, "form.fields", {client_type: {k: o for k, o, _ in changed}},
                   {client_type: {k: n for k, _, n in changed}})
    return after


# --------------------------------------------------------------------------- custom fields


def _custom_row(session: Session, actor: Actor, field_id: int) -> CustomField:
    return org_row(session, CustomField, field_id, actor, "custom_field")


def _validated(data: CustomFieldInput) -> CustomFieldInput:
    data = clean_custom_field(data)
    errors = custom_field_errors(data)
    if errors:
        raise ValidationFailed(errors)
    return data


def _definition(session: Session, row: CustomField) -> CustomFieldDef:
    config = load_form_config(session, row.organization_id, row.client_type)
    return next(f for f in config.custom if f.id == row.id)


def _write_options(session: Session, row: CustomField, options: tuple[OptionText, ...]) -> None:
    """Options in the given order; listed ids are renamed and kept, missing ones deactivated (values stay)."""
    existing = {
        o.id: o for o in session.execute(
            select(CustomFieldOption).where(CustomFieldOption.field_id == row.id)
        ).scalars()
    }
    kept: set[int] = set()
    for position, (option_id, label_es, label_en, label_pt) in enumerate(options):
        option = existing.get(option_id) if option_id is not None else None
        if option_id is not None and option is None:
            raise ValidationFailed({f"options.{position}": FieldError("option_invalid")})
        if option is None:
            option = CustomFieldOption(organization_id=row.organization_id, field_id=row.id,
                                       label_es=label_es)
        option.label_es, option.label_en, option.label_pt = label_es, label_en, label_pt
        option.position, option.is_active = position, True
        session.add(option)
        if option.id is not None:
            kept.add(option.id)
    for option_id, option in existing.items():
        if option_id not in kept and option.is_active:
            option.is_active = False
            session.add(option)
    session.flush()


def _snapshot(field: CustomFieldDef) -> dict:
    return {"label_es": field.label_es, "label_en": field.label_en, "label_pt": field.label_pt,
            "kind": field.kind, "required": field.required, "active": field.active,
            "help_es": field.help_es, "help_en": field.help_en, "help_pt": field.help_pt,
            "options": [o.label_es for o in field.active_options]}


def create_custom_field(
    *, session: Session, actor: Actor, client_type: str, data: CustomFieldInput
) -> CustomFieldDef:
    """Add a custom field at the end of one client type's form."""
    _admin(actor)
    client_type = _client_type(client_type)
    data = _validated(data)
    position = session.execute(
        select(func.coalesce(func.max(CustomField.position), -1)).where(
            CustomField.organization_id == actor.organization_id, CustomField.client_type == client_type)
    ).scalar_one() + 1
    row = CustomField(organization_id=actor.organization_id, client_type=client_type, kind=data.kind,
                      label_es=data.label_es, label_en=data.label_en, label_pt=data.label_pt,
                      help_es=data.help_es, help_en=data.help_en, help_pt=data.help_pt,
                      required=data.required, position=position)
    session.add(row)
    session.flush()
    _write_options(session, row, data.options)
    created = _definition(session, row)
    log_change(session, actor, "form.custom_field_created", None, {client_type: _snapshot(created)})
    return created


def update_custom_field(
    *, session: Session, actor: Actor, field_id: int, data: CustomFieldInput
) -> CustomFieldDef:
    """Rename, re-describe, change required and the options of a field. Its kind cannot change (the
    stored values would no longer fit it); the values stay attached to the field's id."""
    _admin(actor)
    row = _custom_row(session, actor, field_id)
    data = _validated(dataclasses.replace(data, kind=row.kind))
    before = _definition(session, row)
    row.label_es, row.label_en, row.label_pt = data.label_es, data.label_en, data.label_pt
    row.help_es, row.help_en, row.help_pt = data.help_es, data.help_en, data.help_pt
    row.required = data.required
    session.add(row)
    session.flush()
    _write_options(session, row, data.options)
    after = _definition(session, row)
    log_change(session, actor, "form.custom_field_updated", _snapshot(before), _snapshot(after))
    return after


def move_custom_field(*, session: Session, actor: Actor, field_id: int, offset: int) -> None:
    """Move a field up (-1) or down (+1) among its form's fields."""
    _admin(actor)
    row = _custom_row(session, actor, field_id)
    siblings = session.execute(
        select(CustomField).where(CustomField.organization_id == row.organization_id,
                                  CustomField.client_type == row.client_type)
        .order_by(CustomField.position, CustomField.id)
    ).scalars().all()
    moved = move_one_step(session, siblings, row, offset)
    if moved is None:
        return
    index, target = moved
    log_change(session, actor, "form.custom_field_moved", {"field": row.label_es, "position": index},
               {"field": row.label_es, "position": target})


def set_custom_field_active(*, session: Session, actor: Actor, field_id: int, active: bool) -> None:
    """Remove a field from its form (its values are kept, hidden) or bring it back."""
    _admin(actor)
    row = _custom_row(session, actor, field_id)
    if row.is_active == bool(active):
        return
    row.is_active = bool(active)
    session.add(row)
    session.flush()
    log_change(session, actor, "form.custom_field_removed" if not active else "form.custom_field_restored",
               {"field": row.label_es, "active": not active}, {"field": row.label_es, "active": bool(active)})


def count_values(*, session: Session, actor: Actor, field_id: int) -> int:
    """How many customers have a value for the field (what a purge would delete)."""
    _admin(actor)
    row = _custom_row(session, actor, field_id)
    return session.execute(
        select(func.count(func.distinct(CustomerFieldValue.customer_id))).where(
            CustomerFieldValue.organization_id == row.organization_id, CustomerFieldValue.field_id == row.id)
    ).scalar_one()


def purge_custom_field(*, session: Session, actor: Actor, field_id: int) -> int:
    """Delete a removed field with its stored values for good; returns the customers affected.

    Only a removed field can be purged: removing first is the confirmation that nobody needs it.
    """
    _admin(actor)
    row = _custom_row(session, actor, field_id)
    if row.is_active:
        raise Conflict("field_still_active")
    affected = count_values(session=session, actor=actor, field_id=field_id)
    snapshot = _snapshot(_definition(session, row))
    session.execute(delete(CustomerFieldValue).where(CustomerFieldValue.field_id == row.id))
    session.execute(delete(CustomFieldOption).where(CustomFieldOption.field_id == row.id))
    session.delete(row)
    session.flush()
    log_change(session, actor, "form.custom_field_purged", snapshot, {"customers_affected": affected})
    return affected


# --------------------------------------------------------------------------- customers' values


def read_values(session: Session, customer_id: int) -> tuple[tuple[int, tuple[StoredValue, ...]], ...]:
    """A customer's stored custom values by field id (removed fields' values included)."""
    rows: dict[int, list[StoredValue]] = {}
    for field_id, option_id, value in session.execute(
        select(CustomerFieldValue.field_id, CustomerFieldValue.option_id, CustomerFieldValue.value)
        .where(CustomerFieldValue.customer_id == customer_id)
        .order_by(CustomerFieldValue.field_id, CustomerFieldValue.id)
    ).all():
        rows.setdefault(field_id, []).append((option_id, value))
    return tuple((field_id, tuple(values)) for field_id, values in sorted(rows.items()))


def write_values(
    session: Session, organization_id: int, customer_id: int, config: FormConfig,
    values: dict[int, list[StoredValue]],
) -> None:
    """Replace the customer's values of the form's active fields; other fields' values are untouched."""
    active = [f.id for f in config.active_custom]
    if active:
        session.execute(delete(CustomerFieldValue).where(CustomerFieldValue.customer_id == customer_id,
                                                         CustomerFieldValue.field_id.in_(active)))
    for row in value_rows(organization_id, customer_id, config, values):
        session.add(CustomerFieldValue(**row))


def value_rows(
    organization_id: int, customer_id: int, config: FormConfig, values: dict[int, list[StoredValue]]
) -> list[dict]:
    """The rows of a customer's values of the form's fields (a new customer's, for one INSERT)."""
    return [{"organization_id": organization_id, "customer_id": customer_id, "field_id": field_id,
             "option_id": option_id, "value": value}
            for field_id, rows in values.items() for option_id, value in rows]
