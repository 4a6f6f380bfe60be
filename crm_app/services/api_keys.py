"""The organization's API keys on /settings/api: admins create them (the key is returned once, only its
hash is kept), list them and revoke them. Authenticating a request with a key is services/api_auth.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from crm_app.domain.api_keys import SCOPES, api_key_hash, clean_scopes, new_api_key, shown_prefix
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.local_time import zone
from crm_app.domain.text import clean_line
from crm_app.models import Organization, User
from crm_app.models.integrations import ApiKey
from crm_app.models.types import utcnow
from crm_app.services.form_config import log_change
from crm_app.services.tenancy import org_row

NAME_MAX = 100
PAGE_SIZE = 50


@dataclass(frozen=True)
class ApiKeyDTO:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_by: str  # the creator's name
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str

    def status(self, now: datetime) -> str:
        """"revoked", "expired" or "active" at ``now`` (a revoked key stays revoked once expired)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and _aware(self.expires_at) <= _aware(now):
            return "expired"
        return "active"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden()


def _org_zone(session: Session, actor: Actor) -> str:
    return session.get(Organization, actor.organization_id).timezone


def expiry_moment(expires_on: date, tz: str) -> datetime:
    """A key "expiring on 5 Dec" stops working at the start of 5 Dec in the organization's zone."""
    return datetime.combine(expires_on, time(0, 0), tzinfo=zone(tz)).astimezone(UTC)


def _active(now: datetime):
    return (col(ApiKey.revoked_at).is_(None)
            & or_(col(ApiKey.expires_at).is_(None), col(ApiKey.expires_at) > now))


def _check_name(session: Session, actor: Actor, name: str, now: datetime) -> None:
    if not name:
        raise FieldError("required")
    if len(name) > NAME_MAX:
        raise FieldError("too_long", max=NAME_MAX)
    # Two live keys with one name could not be told apart in the feed's "via API key «name»".
    taken = session.exec(select(ApiKey.id).where(
        ApiKey.organization_id == actor.organization_id, _active(now),
        func.lower(ApiKey.name) == name.lower(),
    )).first()
    if taken is not None:
        raise FieldError("apikeys_name_taken")


def _check_scopes(scopes: object) -> tuple[str, ...]:
    values = list(scopes) if isinstance(scopes, list | tuple | set | frozenset) else []
    if any(value not in SCOPES for value in values):
        raise FieldError("apikeys_scope_unknown")
    cleaned = clean_scopes(values)
    if not cleaned:
        raise FieldError("apikeys_scopes_required")
    return cleaned


def read_expiry(value: date | str | None) -> date | None:
    """The expiry day as given: a date, or a date input's ISO text ("" for none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError("apikeys_expiry_invalid") from None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise FieldError("apikeys_expiry_invalid")
    return value


def _check_expiry(value: date | str | None, tz: str, now: datetime) -> datetime | None:
    expires_on = read_expiry(value)
    if expires_on is None:
        return None
    moment = expiry_moment(expires_on, tz)
    if moment <= now:
        raise FieldError("apikeys_expiry_past")
    return moment


def create_key(*, session: Session, actor: Actor, name: str, scopes: list[str] | tuple[str, ...],
               expires_on: date | str | None = None) -> tuple[ApiKeyDTO, str]:
    """A new key for the actor's organization: (its row, the key itself, to show once and never again).
    ``expires_on``: the first day it no longer works, a date or its ISO text; None or "" for never."""
    _require_admin(actor)
    now = utcnow()
    name = clean_line(name or "")
    errors: dict[str, FieldError] = {}
    checks = {
        "name": lambda: _check_name(session, actor, name, now),
        "scopes": lambda: _check_scopes(scopes),
        "expires_on": lambda: _check_expiry(expires_on, _org_zone(session, actor), now),
    }
    results: dict[str, object] = {}
    for field, check in checks.items():
        try:
            results[field] = check()
        except FieldError as exc:
            errors[field] = exc
    if errors:
        raise ValidationFailed(errors)
    cleaned, expires_at = results["scopes"], results["expires_on"]
    key = new_api_key()
    row = ApiKey(organization_id=actor.organization_id, name=name, prefix=shown_prefix(key),
                 key_hash=api_key_hash(key), scopes=" ".join(cleaned), expires_at=expires_at,
                 created_by=actor.user_id)
    session.add(row)
    session.flush()
    log_change(session, actor, "api_key.created", None, {
        "name": name, "prefix": row.prefix, "scopes": list(cleaned),
        "expires_on": read_expiry(expires_on),
    })
    return _dto(row, actor.name, ""), key


def list_keys(*, session: Session, actor: Actor, before_id: int = 0,
              limit: int = PAGE_SIZE) -> list[ApiKeyDTO]:
    """One page of the organization's keys, newest first (keyset on the id: ``before_id`` is the last
    one shown). Revoked and expired keys stay listed, so an admin can tell what a key in a log was."""
    _require_admin(actor)
    creator, revoker = aliased(User), aliased(User)
    query = (
        select(ApiKey, creator.name, revoker.name)
        .join(creator, creator.id == ApiKey.created_by)
        .outerjoin(revoker, revoker.id == ApiKey.revoked_by)
        .where(ApiKey.organization_id == actor.organization_id)
    )
    if before_id:
        query = query.where(ApiKey.id < before_id)
    rows = session.exec(query.order_by(col(ApiKey.id).desc()).limit(max(1, min(limit, 200)))).all()
    return [_dto(key, created_by, revoked_by or "") for key, created_by, revoked_by in rows]


def revoke_key(*, session: Session, actor: Actor, key_id: int) -> ApiKeyDTO:
    """The key stops working at once. Revoking a revoked key changes nothing (a double click, two admins)."""
    _require_admin(actor)
    row = org_row(session, ApiKey, key_id, actor, "api_key")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = utcnow(), actor.user_id
        session.add(row)
        log_change(session, actor, "api_key.revoked", {"name": row.name, "prefix": row.prefix}, None)
    creator = session.get(User, row.created_by)
    revoker = session.get(User, row.revoked_by) if row.revoked_by else None
    return _dto(row, creator.name if creator else "", revoker.name if revoker else "")


def _dto(row: ApiKey, created_by: str, revoked_by: str) -> ApiKeyDTO:
    return ApiKeyDTO(
        id=row.id, name=row.name, prefix=row.prefix, scopes=clean_scopes(row.scopes), created_by=created_by,
        created_at=row.created_at, expires_at=row.expires_at, last_used_at=row.last_used_at,
        revoked_at=row.revoked_at, revoked_by=revoked_by,
    )
