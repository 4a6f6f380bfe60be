"""Messages to customers: render a template for a customer, enforce consent, enqueue in the outbox.

Sending only enqueues: the outbox row and the customer's feed event are written in the caller's
transaction, and a worker (crm_app/jobs/outbox.py) delivers later. The feed shows the message's
current status because its "message" events point at the outbox row.
"""

from __future__ import annotations

from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.feed_changes import plain
from crm_app.domain.locale_format import format_money
from crm_app.domain.templating import MAX_BODY, MAX_SUBJECT, MONEY_STYLE, MoneyStyle
from crm_app.models import Customer, CustomerEmail, CustomerPhone, Organization, OutboxMessage
from crm_app.services import feed
from crm_app.services.template_render import render_message
from crm_app.services.tenancy import org_row, valid_id

CUSTOMER_CHANNELS = ("email", "sms", "whatsapp")


def template_context(
    org: Organization, actor: Actor, customer: Customer | None, *, invitation_link: str = ""
) -> dict[str, object]:
    """The placeholder values (domain.templating.PLACEHOLDERS) for one customer and staff member.
    Amounts are written for the customer: the organization's currency, language and country."""
    style = MoneyStyle(org.currency, org.language, org.country)
    context: dict[str, object] = {
        MONEY_STYLE: style,
        "organization": org.name,
        "staff_name": actor.name,
        "invitation_link": invitation_link,
    }
    if customer is not None:
        context.update(
            first_name=customer.first_name or customer.contact_name or customer.display_name,
            last_name=customer.last_name,
            full_name=customer.display_name,
            company=customer.trade_name or customer.legal_name,
            discount=plain(customer.discount_percent) if customer.discount_percent else "",
            loyalty_id=customer.loyalty_id or "",
            credit_limit=(format_money(customer.credit_limit, style.currency, style.lang, style.country)
                          if customer.credit_limit else ""),
        )
    return context


def _customer(session: Session, actor: Actor, customer_id: int) -> Customer:
    return org_row(session, Customer, customer_id, actor, "customer")


def customer_context(*, session: Session, actor: Actor, customer_id: int) -> dict[str, object]:
    """The placeholder values for one of the actor's customers (the previews render with them)."""
    org = session.get(Organization, actor.organization_id)
    return template_context(org, actor, _customer(session, actor, customer_id))


def _recipient(session: Session, customer: Customer, channel: str, target_id: int) -> str:
    """The address or number to send to, if the customer agreed to this channel on it."""
    if channel == "email":
        email = session.get(CustomerEmail, target_id) if valid_id(target_id) else None
        if email is None or email.customer_id != customer.id:
            raise ValidationFailed({"target": FieldError("message_target_unknown")})
        if not email.accepts_email:
            raise ValidationFailed({"target": FieldError("no_email_consent", address=email.address)})
        return email.address
    phone = session.get(CustomerPhone, target_id) if valid_id(target_id) else None
    if phone is None or phone.customer_id != customer.id:
        raise ValidationFailed({"target": FieldError("message_target_unknown")})
    if not (phone.sms if channel == "sms" else phone.whatsapp):
        raise ValidationFailed({"target": FieldError(f"no_{channel}_flag", number=phone.e164)})
    return phone.e164


def enqueue(
    session: Session,
    *,
    organization_id: int,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    html: bool = False,
    customer_id: int | None = None,
    created_by: int | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (the worker delivers it)."""
    message = OutboxMessage(
        organization_id=organization_id,
        customer_id=customer_id,
        channel=channel,
        recipient=recipient,
        subject=subject[:MAX_SUBJECT],
        body=body,
        html=html,
        created_by=created_by,
    )
    session.add(message)
    session.flush()
    return message


def send_to_customer(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    channel: str,
    target_id: int,
    subject: str,
    body: str,
) -> int:
    """Render and enqueue a message to one of the customer's e-mails or phones; returns the outbox id.

    Refused (ValidationFailed on "target") without consent: e-mail needs "accepts e-mail", SMS and
    WhatsApp need that number's flag. The message shows in the customer's feed with its status.
    """
    if channel not in CUSTOMER_CHANNELS:
        raise ValidationFailed({"channel": FieldError("invalid_choice")})
    customer = _customer(session, actor, customer_id)
    if customer.deleted_at is not None:
        raise ValidationFailed({"target": FieldError("customer_deleted")})
    recipient = _recipient(session, customer, channel, target_id)
    if not (body or "").strip():
        raise ValidationFailed({"body": FieldError("required")})
    if len(body) > MAX_BODY:
        raise ValidationFailed({"body": FieldError("too_long", max=MAX_BODY)})
    if channel == "email" and not (subject or "").strip():
        raise ValidationFailed({"subject": FieldError("required")})
    org = session.get(Organization, actor.organization_id)
    # Its handler runs this in a worker thread; render_message waits for the bounded render.
    rendered = render_message(channel, subject, body, template_context(org, actor, customer))
    message = enqueue(
        session,
        organization_id=org.id,
        channel=channel,
        recipient=recipient,
        subject=rendered.subject,
        body=rendered.body,
        html=channel == "email",
        customer_id=customer.id,
        created_by=actor.user_id,
    )
    feed.record_event(
        session,
        organization_id=org.id,
        customer_id=customer.id,
        actor_id=actor.user_id,
        kind="message",
        ref_id=message.id,
        data={"channel": channel, "recipient": recipient},
    )
    return message.id
