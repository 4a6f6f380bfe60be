"""Delivery adapters: SMTP e-mail, a Twilio-compatible REST API for SMS/WhatsApp, and log-only ones.

An adapter's ``send`` returns the provider's id for the message or raises DeliveryError; ``permanent``
errors (a refused recipient, a 4xx answer) fail the message at once, others are retried with back-off.
The log-only adapters are used when nothing is configured: they write the message to the server log,
return an id starting with "log-only:", the worker records the message as "logged_only" (not "sent")
and the UI says the customer received nothing.
"""

from __future__ import annotations

import html
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

import httpx

from crm_app.settings import MessagingSettings

log = logging.getLogger("crm_app.delivery")

LOG_ONLY_PREFIX = "log-only:"


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """A message on its way: what a sender needs of it."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    html: bool
    # A campaign's e-mail: the one-click unsubscribe link its headers carry (RFC 8058).
    unsubscribe_url: str = ""
    # The same for every attempt (outbox.message_key): the e-mail's Message-ID, the Idempotency-Key of
    # an SMS/WhatsApp API call. Empty: a fresh Message-ID, no key.
    key: str = ""


class Sender(Protocol):
    name: str

    def send(self, message: Outgoing) -> str: ...


def _plain_text(body: str) -> str:
    """A text/plain alternative of an HTML body: line breaks kept, tags dropped, entities decoded."""
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</h\d>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


class SmtpMailer:
    name = "smtp"

    def __init__(self, settings: MessagingSettings) -> None:
        self.settings = settings

    def build(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.settings.smtp_sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        domain = self.settings.smtp_sender.rpartition("@")[2].strip("> ") or None
        # A resend after a crash (the server took the mail, the worker died before hearing so) carries
        # the same Message-ID: mail servers and clients see one message.
        stable = f"<{message.key}@{domain or 'localhost'}>" if message.key else ""
        mail["Message-ID"] = stable or make_msgid(domain=domain)
        if message.unsubscribe_url:  # mail clients show "Unsubscribe" and POST to it in one click
            mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        if message.html:
            mail.set_content(_plain_text(message.body))
            mail.add_alternative(message.body, subtype="html")
        else:
            mail.set_content(message.body)
        return mail

    def send(self, message: Outgoing) -> str:
        s = self.settings
        mail = self.build(message)
        try:
            if s.smtp_security == "tls":
                client = smtplib.SMTP_SSL(
                    s.smtp_host, s.smtp_port, timeout=s.smtp_timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
            with client:
                if s.smtp_security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    client.login(s.smtp_user, s.smtp_password)
                client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"recipient refused: {exc.recipients}", permanent=True) from exc
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            raise DeliveryError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=permanent) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP: {exc}") from exc
        return mail["Message-ID"]


class TwilioCompatibleSms:
    """POST To/From/Body (form-encoded, basic auth) to a Twilio-style Messages endpoint."""

    def __init__(self, settings: MessagingSettings, channel: str) -> None:
        self.settings, self.channel = settings, channel
        self.name = f"rest-api ({channel})"

    def send(self, message: Outgoing) -> str:
        s = self.settings
        prefix = "whatsapp:" if self.channel == "whatsapp" else ""
        sender = s.whatsapp_from if self.channel == "whatsapp" else s.sms_from
        try:
            response = httpx.post(
                s.sms_api_url,
                data={"To": prefix + message.recipient, "From": prefix + sender, "Body": message.body},
                auth=(s.sms_api_user, s.sms_api_password),
                # A provider that honours it sends a retried call (the worker died mid-call) once.
                headers={"Idempotency-Key": message.key} if message.key else None,
                timeout=20.0,
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{self.channel} API: {exc}") from exc
        if response.status_code >= 400:
            permanent = response.status_code < 500 and response.status_code != 429
            raise DeliveryError(
                f"{self.channel} API {response.status_code}: {response.text[:200]}", permanent=permanent
            )
        try:
            return str(response.json().get("sid", ""))
        except ValueError:
            return ""


class LogOnly:
    """Used when a channel is not configured: the message goes to the server log only."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.name = "log-only"

    def send(self, message: Outgoing) -> str:
        log.info(
            "[log-only %s] to=%s subject=%r body=%r",
            self.channel,
            message.recipient,
            message.subject,
            message.body[:500],
        )
        return f"{LOG_ONLY_PREFIX}{self.channel}:{message.id}"


def senders_from_settings(settings: MessagingSettings) -> dict[str, Sender]:
    email: Sender = SmtpMailer(settings) if settings.email_configured else LogOnly("email")
    if settings.sms_configured:
        return {
            "email": email,
            "sms": TwilioCompatibleSms(settings, "sms"),
            "whatsapp": TwilioCompatibleSms(settings, "whatsapp"),
        }
    return {"email": email, "sms": LogOnly("sms"), "whatsapp": LogOnly("whatsapp")}
