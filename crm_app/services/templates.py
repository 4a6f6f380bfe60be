"""Message templates of an organization: list, save (checked), duplicate, delete.

Every staff member uses templates; admins create, edit and delete them. A template is saved only
when its subject and body pass a trial render (crm_app/services/template_render.py: the grammar of
crm_app/domain/template_grammar.py, then the render itself), so sending never meets a broken one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.templating import CHANNELS, MAX_BODY, MAX_SUBJECT
from crm_app.domain.text import clean_line, clean_text, strip_unsafe
from crm_app.models import MessageTemplate
from crm_app.models.types import utcnow
from crm_app.services.template_render import SAMPLE_CONTEXT, render_message
from crm_app.services.tenancy import org_row

MAX_TEMPLATES = 200


@dataclass(frozen=True)
class TemplateInput:
    channel: str
    name: str
    subject: str = ""
    body: str = ""


@dataclass(frozen=True)
class TemplateDTO:
    id: int
    channel: str
    name: str
    subject: str
    body: str
    updated_at: datetime


def _dto(row: MessageTemplate) -> TemplateDTO:
    return TemplateDTO(row.id, row.channel, row.name, row.subject, row.body, row.updated_at)


def validate(data: TemplateInput) -> dict[str, FieldError]:
    """Field errors of a template: its name, and a trial render of its subject and body with sample
    values (the grammar, then what only shows when running), so sending never meets a broken one.

    Blocks for the render: call it from a worker thread (the editor's save does).
    """
    errors: dict[str, FieldError] = {}
    if data.channel not in CHANNELS:
        errors["channel"] = FieldError("invalid_choice")
    name = clean_line(data.name)
    if not name:
        errors["name"] = FieldError("required")
    elif len(name) > 100:
        errors["name"] = FieldError("too_long", max=100)
    if data.channel == "email":
        if not (data.subject or "").strip():
            errors["subject"] = FieldError("required")
        elif len(data.subject) > MAX_SUBJECT:
            errors["subject"] = FieldError("too_long", max=MAX_SUBJECT)
    if not (data.body or "").strip():
        errors["body"] = FieldError("required")
    elif len(data.body) > MAX_BODY:
        errors["body"] = FieldError("too_long", max=MAX_BODY)
    if data.channel in CHANNELS:
        try:
            render_message(data.channel, data.subject, data.body, SAMPLE_CONTEXT)
        except ValidationFailed as exc:
            for field, error in exc.errors.items():
                errors.setdefault(field, error)  # "required" and "too_long" say it better
    return errors


def _row(session: Session, actor: Actor, template_id: int) -> MessageTemplate:
    return org_row(session, MessageTemplate, template_id, actor, "template")


def list_templates(*, session: Session, actor: Actor, channel: str = "") -> list[TemplateDTO]:
    query = select(MessageTemplate).where(MessageTemplate.organization_id == actor.organization_id)
    if channel:
        query = query.where(MessageTemplate.channel == channel)
    rows = session.execute(query.order_by(MessageTemplate.channel, MessageTemplate.name).limit(MAX_TEMPLATES))
    return [_dto(r) for r in rows.scalars()]


def get_template(*, session: Session, actor: Actor, template_id: int) -> TemplateDTO:
    return _dto(_row(session, actor, template_id))


def save_template(
    *, session: Session, actor: Actor, data: TemplateInput, template_id: int | None = None
) -> TemplateDTO:
    """Create (``template_id`` None) or update a template. Admins only; names are unique per channel."""
    if not actor.is_admin:
        raise Forbidden()
    row = _row(session, actor, template_id) if template_id is not None else None
    errors = validate(data)
    name = clean_line(data.name)
    if not errors:
        taken = session.execute(
            select(MessageTemplate.id).where(
                MessageTemplate.organization_id == actor.organization_id,
                MessageTemplate.channel == data.channel,
                MessageTemplate.name == name,
            )
        ).scalar_one_or_none()
        if taken is not None and taken != template_id:
            errors["name"] = FieldError("template_name_taken")
    if errors:
        raise ValidationFailed(errors)
    if row is None:
        row = MessageTemplate(organization_id=actor.organization_id, channel=data.channel, name=name, body="")
    row.channel, row.name = data.channel, name
    row.subject = clean_text(data.subject) if data.channel == "email" else ""
    row.body, row.updated_at, row.updated_by = strip_unsafe(data.body), utcnow(), actor.user_id
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the same name saved at the same moment by someone else
        session.rollback()
        raise ValidationFailed({"name": FieldError("template_name_taken")}) from None
    return _dto(row)


def duplicate_template(*, session: Session, actor: Actor, template_id: int, copy_label: str) -> TemplateDTO:
    """A copy named "<name> (<copy_label>)", "<name> (<copy_label> 2)"... Admins only."""
    if not actor.is_admin:
        raise Forbidden()
    source = _row(session, actor, template_id)
    existing = {
        n
        for n in session.execute(
            select(MessageTemplate.name).where(
                MessageTemplate.organization_id == actor.organization_id,
                MessageTemplate.channel == source.channel,
            )
        ).scalars()
    }
    n, name = 1, f"{source.name} ({copy_label})"[:100]
    while name in existing:
        n += 1
        name = f"{source.name} ({copy_label} {n})"[:100]
    copy = TemplateInput(source.channel, name, source.subject, source.body)
    return save_template(session=session, actor=actor, data=copy)


def delete_template(*, session: Session, actor: Actor, template_id: int) -> None:
    if not actor.is_admin:
        raise Forbidden()
    session.delete(_row(session, actor, template_id))
    session.flush()
