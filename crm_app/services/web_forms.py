"""Website forms: an admin's forms (the /settings/api section) and a visitor's submission through
``POST /api/v1/forms/<public key>``.

A submission creates a lead or a customer through the same services as the app, as the form's
creator and recorded "via web form «name»", so it gets the same checks, duplicate rules and feed
events. A refusal creates nothing (the caller's transaction is rolled back) and says which field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session

from crm_app.domain.api_keys import new_public_key
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.form_config import BuiltinField, CustomFieldDef
from crm_app.domain.text import clean_line, clean_text
from crm_app.domain.web_form_input import (
    clean_origins,
    consented,
    customer_input,
    form_field,
    is_bot,
    lead_input,
)
from crm_app.models import User
from crm_app.models.integrations import FORM_TARGETS, WebForm
from crm_app.models.lead import Lead
from crm_app.models.messaging import RateHit
from crm_app.models.types import utcnow
from crm_app.services import customers, form_config, leads
from crm_app.services.acting import acting_via
from crm_app.services.tenancy import channel_and_owner_errors, staff_organization, valid_id

MAX_FORMS = 50  # per organization
MAX_NAME = 100
MAX_CONSENT = 500
RATE_BUCKET = "web_form"
RATE_LIMIT = 10  # submissions per address in RATE_WINDOW, all forms together
RATE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class FormDraft:
    """What the admin types; ``allowed_origins`` one origin a line."""

    name: str
    target: str = "lead"
    allowed_origins: str = ""
    consent_text: str = ""
    channel_id: int | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class WebFormDTO:
    id: int
    public_key: str
    name: str
    target: str
    allowed_origins: tuple[str, ...]
    consent_text: str
    channel_id: int | None
    owner_id: int | None
    created_at: datetime
    disabled_at: datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True)
class Submitted:
    """What a submission made: ("lead" | "customer", id), or nothing for a bot (``stored`` False)."""

    target: str
    record_id: int | None

    @property
    def stored(self) -> bool:
        return self.record_id is not None


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__("rate_limited")


def _to_dto(row: WebForm) -> WebFormDTO:
    return WebFormDTO(row.id, row.public_key, row.name, row.target, tuple(row.allowed_origins.split()),
                      row.consent_text, row.channel_id, row.owner_id, row.created_at, row.disabled_at)


def _admin(session: Session, actor: Actor) -> int:
    org = staff_organization(session, actor)
    if not actor.is_admin:
        raise Forbidden()
    return org.id


def _form(session: Session, actor: Actor, form_id: object) -> WebForm:
    org_id = _admin(session, actor)
    row = session.get(WebForm, form_id) if valid_id(form_id) else None
    if row is None or row.organization_id != org_id:
        raise NotFound("web_form")
    return row


def _clean(session: Session, org_id: int, draft: FormDraft) -> dict[str, object]:
    """The draft's values, every refusal at once keyed by field."""
    errors: dict[str, FieldError] = {}
    name = clean_line(draft.name)
    if not name:
        errors["name"] = FieldError("required")
    elif len(name) > MAX_NAME:
        errors["name"] = FieldError("too_long", max=MAX_NAME)
    if draft.target not in FORM_TARGETS:
        errors["target"] = FieldError("invalid_choice")
    try:
        origins = clean_origins(draft.allowed_origins)
        if not origins:
            errors["allowed_origins"] = FieldError("webform_origins_required")
    except FieldError as refused:
        errors["allowed_origins"], origins = refused, ()
    consent = clean_text(draft.consent_text)
    if len(consent) > MAX_CONSENT:
        errors["consent_text"] = FieldError("too_long", max=MAX_CONSENT)
    errors.update(channel_and_owner_errors(session, org_id, draft.channel_id, draft.owner_id))
    if errors:
        raise ValidationFailed(errors)
    return {"name": name, "target": draft.target, "allowed_origins": "\n".join(origins),
            "consent_text": consent, "channel_id": draft.channel_id, "owner_id": draft.owner_id}


# --------------------------------------------------------------------------- admin


def list_forms(*, session: Session, actor: Actor) -> list[WebFormDTO]:
    org_id = _admin(session, actor)
    rows = session.execute(
        select(WebForm).where(WebForm.organization_id == org_id).order_by(WebForm.id).limit(MAX_FORMS)
    ).scalars()
    return [_to_dto(row) for row in rows]


# The customer form's fields a website form fills (names, phone, e-mail, the message as notes); the
# channel too when the website form sets one.
ASKED = frozenset({"first_name", "last_name", "phones", "emails", "notes"})


@dataclass(frozen=True)
class Unasked:
    """Required fields of the organization's customer form (persons) that a website form does not ask:
    a customer made by that form is refused without them, so its card warns the admin."""

    builtin: tuple[BuiltinField, ...]
    custom: tuple[CustomFieldDef, ...]

    def for_form(self, form: WebFormDTO) -> tuple[BuiltinField | CustomFieldDef, ...]:
        if form.target != "customer":
            return ()
        builtin = tuple(f for f in self.builtin if f.key != "channel_id" or form.channel_id is None)
        return (*builtin, *self.custom)


def unasked_required(*, session: Session, actor: Actor) -> Unasked:
    org_id = _admin(session, actor)
    config = form_config.load_form_config(session, org_id, "person")
    builtin = tuple(f for f in config.builtin if f.visible and f.required and f.key not in ASKED)
    custom = tuple(f for f in config.active_custom if f.required)
    return Unasked(builtin, custom)


def get_form(*, session: Session, actor: Actor, form_id: int) -> WebFormDTO:
    return _to_dto(_form(session, actor, form_id))


def create_form(*, session: Session, actor: Actor, draft: FormDraft) -> WebFormDTO:
    org_id = _admin(session, actor)
    values = _clean(session, org_id, draft)
    count = session.execute(
        select(func.count()).select_from(WebForm).where(WebForm.organization_id == org_id)
    ).scalar_one()
    if count >= MAX_FORMS:
        raise ValidationFailed({"name": FieldError("webform_too_many", max=MAX_FORMS)})
    row = WebForm(organization_id=org_id, public_key=new_public_key("wf"), created_by=actor.user_id, **values)
    session.add(row)
    session.flush()
    return _to_dto(row)


def update_form(*, session: Session, actor: Actor, form_id: int, draft: FormDraft) -> WebFormDTO:
    row = _form(session, actor, form_id)
    for name, value in _clean(session, row.organization_id, draft).items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return _to_dto(row)


def set_enabled(*, session: Session, actor: Actor, form_id: int, enabled: bool) -> WebFormDTO:
    """A disabled form's endpoint answers 404 until it is enabled again."""
    row = _form(session, actor, form_id)
    row.disabled_at = None if enabled else (row.disabled_at or utcnow())
    session.add(row)
    session.flush()
    return _to_dto(row)


def delete_form(*, session: Session, actor: Actor, form_id: int) -> None:
    """The form goes; what it created stays (leads and customers don't point at it)."""
    session.delete(_form(session, actor, form_id))
    session.flush()


# --------------------------------------------------------------------------- the public endpoint


def active_form(session: Session, public_key: str) -> WebForm | None:
    """The enabled form with this key, else None (unknown and disabled alike)."""
    if not isinstance(public_key, str) or not 3 <= len(public_key) <= 40:
        return None
    row = session.execute(select(WebForm).where(WebForm.public_key == public_key)).scalar_one_or_none()
    return row if row is not None and row.disabled_at is None else None


def check_rate(session: Session, ip: str) -> None:
    """Count a submission from ``ip``; RateLimited (with the seconds to wait) past the limit."""
    now = utcnow()
    key = (ip or "unknown")[:64]
    since = now - RATE_WINDOW
    session.execute(delete(RateHit).where(RateHit.bucket == RATE_BUCKET, RateHit.at < since))
    count, oldest = session.execute(
        select(func.count(), func.min(RateHit.at))
        .where(RateHit.bucket == RATE_BUCKET, RateHit.key == key, RateHit.at >= since)
    ).one()
    if count >= RATE_LIMIT:
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        wait = (oldest + RATE_WINDOW - now).total_seconds() if oldest is not None else RATE_WINDOW.seconds
        raise RateLimited(max(1, int(wait) + 1))
    session.add(RateHit(bucket=RATE_BUCKET, key=key, at=now))
    session.flush()


def form_actor(session: Session, form: WebForm, language: str) -> Actor:
    """The form's creator, in the visitor's language; NotFound once he is deactivated."""
    user = session.get(User, form.created_by)
    if user is None or not user.is_active or user.organization_id != form.organization_id:
        raise NotFound("web_form")
    return Actor(user_id=user.id, organization_id=form.organization_id, role=user.role, name=user.name,
                 email=user.email, language=language)


def _by_form_field(failed: ValidationFailed) -> ValidationFailed:
    """The services' keys ("emails.0.address") as the form's field names ("email"); a duplicate's
    message without the existing customer's name."""
    errors: dict[str, FieldError] = {}
    for key, error in failed.errors.items():
        if error.code.startswith("duplicate_"):  # never tell a visitor whose record it is
            error = FieldError(f"webform_{error.code}")
        errors.setdefault(form_field(key), error)
    return ValidationFailed(errors)


def submit(session: Session, form: WebForm, fields: dict[str, str], language: str) -> Submitted:
    """Create the form's lead or customer from a visitor's ``fields`` (domain/web_form_input.form_fields).

    A filled honeypot stores nothing and reports success. Raises ValidationFailed keyed by the form's
    field names (the caller rolls back, so no half record is left)."""
    if is_bot(fields):
        return Submitted(form.target, None)
    actor = form_actor(session, form, language)
    consent = consented(fields)
    try:
        with acting_via("web_form", form.name):
            if form.target == "customer":
                dto = customers.create_customer(
                    session=session, actor=actor, data=customer_input(fields, form.channel_id, consent))
                return Submitted("customer", dto.id)
            lead = leads.create_lead(
                session=session, actor=actor, data=lead_input(fields, form.channel_id, form.owner_id))
    except ValidationFailed as failed:
        raise _by_form_field(failed) from None
    if consent:
        row = session.get(Lead, lead.id)
        row.consent_at = utcnow()
        session.add(row)
        session.flush()
    return Submitted("lead", lead.id)
