"""Client self-registration by invitation: a personal link e-mailed to the client, valid once.

The link carries a random 256-bit token; only its keyed hash is stored. It is valid for
``CRM_INVITATION_DAYS`` (7) days and one registration. The public page asks :func:`open_invitation`
(expired, used, revoked and unknown tokens all give the same InvitationInvalid, revealing nothing)
and :func:`register`, which creates the customer on behalf of the inviter with source "invitation"
and e-mails the inviter through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES, CustomerDTO, CustomerInput
from crm_app.domain.dto import Actor
from crm_app.domain.emails import normalize_email
from crm_app.domain.errors import DomainError, FieldError, ValidationFailed
from crm_app.domain.form_config import FormConfig, public_config
from crm_app.domain.tokens import new_token, token_hash
from crm_app.i18n import t
from crm_app.models import Invitation, Organization, RateHit, User
from crm_app.models.types import utcnow
from crm_app.services import customers, feed, form_config, messaging
from crm_app.services.auth import actor_for
from crm_app.services.template_render import render_message
from crm_app.services.tenancy import org_row
from crm_app.settings import get_settings

PAGE_SIZE = 50
REGISTER_LIMIT = 30  # page loads and submissions per address and hour on the public page
REGISTER_WINDOW = timedelta(hours=1)


class InvitationInvalid(DomainError):
    """Unknown, expired, used or revoked: one message for all, so a token reveals nothing."""

    def __init__(self) -> None:
        super().__init__("invitation_invalid")


class TooManyRequests(DomainError):
    def __init__(self) -> None:
        super().__init__("too_many_requests")


def default_texts(*, session: Session, actor: Actor) -> tuple[str, str]:
    """The invitation e-mail's subject and body when no template is picked, in the organization's
    language: the customer reads it, not the staff member who sends it (Portuguese in Brazil)."""
    lang = session.get(Organization, actor.organization_id).language
    return t("invitation_default_subject", lang), t("invitation_default_body", lang)


def _hash(token: str) -> str:
    return token_hash(token, get_settings().secret_key)


def link_for(token: str) -> str:
    return f"{get_settings().public_url}/register/{token}"


def status_of(row: Invitation, now: datetime) -> str:
    if row.used_at is not None:
        return "completed"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= now:
        return "expired"
    return "pending"


@dataclass(frozen=True)
class InvitationInput:
    email: str
    client_type: str = "person"
    subject: str = ""
    body: str = ""  # template text; the link is added at the end when it has no {{ invitation_link }}


@dataclass(frozen=True)
class InvitationDTO:
    id: int
    email: str
    client_type: str
    status: str  # pending | completed | expired | revoked
    created_at: datetime
    expires_at: datetime
    invited_by_name: str
    customer_id: int | None
    message_status: str


def _send(session: Session, actor: Actor, row: Invitation, data: InvitationInput) -> str:
    """Issue a new token for ``row``, e-mail the link, and return the token (shown nowhere else)."""
    token = new_token()
    now = utcnow()
    row.token_hash, row.created_at = _hash(token), now
    row.expires_at = now + timedelta(days=get_settings().messaging.invitation_days)
    row.revoked_at = None
    org = session.get(Organization, actor.organization_id)
    body = data.body if "invitation_link" in data.body else data.body.rstrip() + "\n\n{{ invitation_link }}"
    context = messaging.template_context(org, actor, None, invitation_link=link_for(token))
    # The e-mail is HTML: the link becomes an anchor, the rest of the text keeps its line breaks.
    context["invitation_link"] = _anchor(link_for(token))
    rendered = render_message("email", data.subject, body, context)  # in a worker thread (its handler)
    message = messaging.enqueue(
        session,
        organization_id=org.id,
        channel="email",
        recipient=row.email,
        subject=rendered.subject,
        body=rendered.body,
        html=True,
        created_by=actor.user_id,
    )
    row.message_id = message.id
    session.add(row)
    session.flush()
    return token


def _anchor(url: str) -> Markup:
    return Markup('<a href="{0}">{0}</a>').format(url)  # format() escapes the URL


def _check_input(data: InvitationInput) -> tuple[str, dict[str, FieldError]]:
    errors: dict[str, FieldError] = {}
    email = ""
    try:
        email = normalize_email(data.email)
    except FieldError as exc:
        errors["email"] = exc
    if data.client_type not in CLIENT_TYPES:
        errors["client_type"] = FieldError("invalid_choice")
    if not (data.subject or "").strip():
        errors["subject"] = FieldError("required")
    if not (data.body or "").strip():
        errors["body"] = FieldError("required")
    return email, errors


def invite(*, session: Session, actor: Actor, data: InvitationInput) -> tuple[int, str]:
    """Create an invitation and enqueue its e-mail; returns (id, token). Raises ValidationFailed."""
    email, errors = _check_input(data)
    if errors:
        raise ValidationFailed(errors)
    row = Invitation(
        organization_id=actor.organization_id,
        email=email,
        client_type=data.client_type,
        token_hash="pending-" + new_token()[:40],
        invited_by=actor.user_id,
        expires_at=utcnow(),
    )
    session.add(row)
    session.flush()
    token = _send(session, actor, row, replace(data, email=email))
    return row.id, token


def _own(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    return org_row(session, Invitation, invitation_id, actor, "invitation")


def resend(*, session: Session, actor: Actor, invitation_id: int, subject: str, body: str) -> str:
    """A new link (the old one stops working) and a new e-mail, valid for the full period again."""
    row = _own(session, actor, invitation_id)
    if row.used_at is not None:
        raise ValidationFailed({"invitation": FieldError("invitation_already_used")})
    return _send(session, actor, row, InvitationInput(row.email, row.client_type, subject, body))


def revoke(*, session: Session, actor: Actor, invitation_id: int) -> None:
    row = _own(session, actor, invitation_id)
    if row.used_at is None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()


def list_invitations(
    *, session: Session, actor: Actor, status: str = "", before: int | None = None
) -> tuple[list[InvitationDTO], int | None]:
    """The organization's invitations, newest first, keyset paged; ``status`` filters."""
    from crm_app.models import OutboxMessage

    now = utcnow()
    query = (
        select(Invitation, User.name, OutboxMessage.status)
        .outerjoin(User, User.id == Invitation.invited_by)
        .outerjoin(OutboxMessage, OutboxMessage.id == Invitation.message_id)
        .where(Invitation.organization_id == actor.organization_id)
    )
    if status == "completed":
        query = query.where(Invitation.used_at.is_not(None))
    elif status == "revoked":
        query = query.where(Invitation.used_at.is_(None), Invitation.revoked_at.is_not(None))
    elif status == "expired":
        query = query.where(
            Invitation.used_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at <= now
        )
    elif status == "pending":
        query = query.where(
            Invitation.used_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now
        )
    if before is not None:
        query = query.where(Invitation.id < int(before))
    rows = session.execute(query.order_by(Invitation.id.desc()).limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    items = [
        InvitationDTO(
            id=row.id,
            email=row.email,
            client_type=row.client_type,
            status=status_of(row, now),
            created_at=row.created_at,
            expires_at=row.expires_at,
            invited_by_name=name or "",
            customer_id=row.customer_id,
            message_status=message_status or "",
        )
        for row, name, message_status in rows[:PAGE_SIZE]
    ]
    return items, (items[-1].id if more else None)


# --------------------------------------------------------------------------- the public page


@dataclass(frozen=True)
class OpenInvitation:
    organization_name: str
    organization_id: int
    email: str
    client_type: str
    language: str
    country: str = ""  # decides the tax ID types the public form offers
    form: FormConfig | None = None  # the client type's form as the public sees it (public_config)


def check_rate(session: Session, ip: str) -> None:
    """Count a request from ``ip`` on the public page; TooManyRequests past the hourly limit."""
    now = utcnow()
    key = (ip or "unknown")[:64]
    session.execute(delete(RateHit).where(RateHit.bucket == "register", RateHit.at < now - REGISTER_WINDOW))
    recent = session.execute(
        select(func.count())
        .select_from(RateHit)
        .where(RateHit.bucket == "register", RateHit.key == key, RateHit.at >= now - REGISTER_WINDOW)
    ).scalar_one()
    if recent >= REGISTER_LIMIT:
        raise TooManyRequests()
    session.add(RateHit(bucket="register", key=key, at=now))
    session.flush()


def _valid(session: Session, token: str, *, lock: bool = False) -> Invitation:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise InvitationInvalid()
    query = select(Invitation).where(Invitation.token_hash == _hash(token))
    if lock:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None or status_of(row, utcnow()) != "pending":
        raise InvitationInvalid()
    return row


def open_invitation(*, session: Session, token: str) -> OpenInvitation:
    row = _valid(session, token)
    org = session.get(Organization, row.organization_id)
    form = public_config(form_config.load_form_config(session, org.id, row.client_type))
    return OpenInvitation(org.name, org.id, row.email, row.client_type, org.language, org.country, form)


def register(*, session: Session, token: str, data: CustomerInput) -> CustomerDTO:
    """Create the invited client's customer (source "invitation"), spend the token, tell the inviter.

    Raises InvitationInvalid, or ValidationFailed with the form's field errors (the token stays valid).
    """
    row = _valid(session, token, lock=True)
    inviter = session.get(User, row.invited_by) if row.invited_by else None
    if inviter is None or not inviter.is_active:
        raise InvitationInvalid()
    actor = actor_for(inviter)
    if data.client_type != row.client_type:  # the invitation decides the form, not the submission
        raise ValidationFailed({"client_type": FieldError("invalid_choice")})
    # Only what the public form shows is taken (never a discount or a note), and required.
    created = customers.create_customer(session=session, actor=actor, data=replace(data, source="invitation"),
                                        public_form=True)
    # The token is spent with a compare-and-set: of two submissions at once, one registers.
    spent = session.execute(
        update(Invitation)
        .where(Invitation.id == row.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow(), customer_id=created.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        raise InvitationInvalid()
    feed.record_event(
        session,
        organization_id=row.organization_id,
        customer_id=created.id,
        actor_id=None,
        kind="invitation",
        data={"email": row.email, "invited_by": inviter.name},
    )
    _notify_inviter(session, inviter, row, created)
    return created


def _notify_inviter(session: Session, inviter: User, row: Invitation, created: CustomerDTO) -> None:
    lang = inviter.language or "es"
    link = f"{get_settings().public_url}/customers/{created.id}"
    messaging.enqueue(
        session,
        organization_id=row.organization_id,
        channel="email",
        recipient=inviter.email,
        subject=t("invitation_done_subject", lang, name=created.display_name),
        body=t("invitation_done_body", lang, name=created.display_name, email=row.email, link=link),
        created_by=None,
    )
