"""Creating organizations (first-run setup and the CLI) with their first admin."""

from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from crm_app.domain import passwords
from crm_app.domain.countries import COUNTRIES, default_language
from crm_app.domain.dto import OrganizationDTO, OrganizationInput, fields_of
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.domain.text import clean_line
from crm_app.i18n import LANGUAGES
from crm_app.models import Organization, User
from crm_app.services.activity import record_activity
from crm_app.services.auth import has_any_user, normalize_login_email
from crm_app.services.customer_choices import ensure_default_channels
from crm_app.services.users import validate_email, validate_name


@dataclass(frozen=True)
class AdminInput:
    name: str
    email: str
    password: str


def to_dto(org: Organization) -> OrganizationDTO:
    return fields_of(OrganizationDTO, org)


def validate_organization(org: OrganizationInput) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    if not clean_line(org.name):
        errors["org_name"] = FieldError("required")
    elif len(clean_line(org.name)) > 200:
        errors["org_name"] = FieldError("too_long", max=200)
    if org.country not in COUNTRIES:
        errors["country"] = FieldError("country_unknown")
    if len(org.currency) != 3 or not org.currency.isalpha():
        errors["currency"] = FieldError("currency_invalid")
    if org.language not in LANGUAGES:
        errors["language"] = FieldError("language_invalid")
    try:
        ZoneInfo(org.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = FieldError("timezone_invalid")
    return errors


def _admin_errors(session: Session, admin: AdminInput) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    for field, check in (("admin_name", lambda: validate_name(admin.name)),
                         ("admin_email", lambda: validate_email(admin.email)),
                         ("admin_password", lambda: passwords.check_policy(admin.password))):
        try:
            check()
        except FieldError as exc:
            errors[field] = exc
    if "admin_email" not in errors and session.exec(
        select(User.id).where(User.email == normalize_login_email(admin.email))
    ).first():
        errors["admin_email"] = FieldError("email_taken")
    return errors


def create_organization(*, session: Session, org: OrganizationInput, admin: AdminInput) -> OrganizationDTO:
    """Create an organization and its first admin in one transaction. Without a language it gets
    its country's (Portuguese in Brazil, else Spanish)."""
    org = replace(org, language=org.language or default_language(org.country))
    errors = {**validate_organization(org), **_admin_errors(session, admin)}
    email = normalize_login_email(admin.email)
    if errors:
        raise ValidationFailed(errors)
    row = Organization(name=clean_line(org.name), country=org.country, currency=org.currency.upper(),
                       language=org.language, timezone=org.timezone)
    session.add(row)
    session.flush()
    ensure_default_channels(session, row.id, row.language)
    user = User(organization_id=row.id, email=email, name=clean_line(admin.name),
                password_hash=passwords.hash_password(admin.password), role="admin",
                language=row.language)
    session.add(user)
    session.flush()
    record_activity(session, organization_id=row.id, actor_id=user.id, kind="organization_created",
                    detail={"name": row.name, "country": row.country})
    return to_dto(row)


def setup_first_organization(
    *, session: Session, org: OrganizationInput, admin: AdminInput,
) -> OrganizationDTO:
    """First-run setup: allowed only while the database has no user at all."""
    if has_any_user(session):
        raise Conflict("setup_done")
    return create_organization(session=session, org=org, admin=admin)


def add_admin(*, session: Session, organization_id: int, admin: AdminInput) -> int:
    """Operator command (CLI): add an admin to an existing organization. Returns the user id."""
    if session.get(Organization, organization_id) is None:
        raise ValidationFailed({"organization_id": FieldError("not_found")})
    errors = _admin_errors(session, admin)
    if errors:
        raise ValidationFailed(errors)
    email = normalize_login_email(admin.email)
    user = User(organization_id=organization_id, email=email, name=clean_line(admin.name),
                password_hash=passwords.hash_password(admin.password), role="admin")
    session.add(user)
    session.flush()
    record_activity(session, organization_id=organization_id, actor_id=None, kind="admin_added_by_cli",
                    detail={"user": email})
    return user.id
