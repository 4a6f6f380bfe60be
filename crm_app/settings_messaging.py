"""Delivery settings (part of crm_app.settings.Settings as ``settings.messaging``), from CRM_* variables.

E-mail goes over SMTP when ``CRM_SMTP_HOST`` is set; SMS and WhatsApp go through a Twilio-compatible
REST API when ``CRM_SMS_API_URL`` is set. Without them the log-only adapters write the message to the
server log only; it ends as "logged_only" (not "sent") and the UI says the customer received nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MessagingSettings:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | tls | none
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "Clientela <no-reply@localhost>"
    smtp_timeout: float = 20.0
    sms_api_url: str = ""  # e.g. https://api.twilio.com/2010-04-01/Accounts/<SID>/Messages.json
    sms_api_user: str = ""
    sms_api_password: str = ""
    sms_from: str = ""
    whatsapp_from: str = ""
    max_attempts: int = 5
    retry_base_seconds: int = 30
    worker_poll_seconds: float = 2.0
    worker_in_app: bool = True
    invitation_days: int = 7
    # A template render (preview, send, invitation) that takes longer is stopped and shown as a
    # template problem; the grammar keeps real ones far below this (crm_app/services/template_render.py).
    template_render_seconds: float = 3.0

    @property
    def email_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def sms_configured(self) -> bool:
        return bool(self.sms_api_url)


def load_messaging(env: Mapping[str, str]) -> MessagingSettings:
    security = env.get("CRM_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("starttls", "tls", "none"):
        raise ValueError("CRM_SMTP_SECURITY must be starttls, tls or none")
    return MessagingSettings(
        smtp_host=env.get("CRM_SMTP_HOST", ""),
        smtp_port=int(env.get("CRM_SMTP_PORT", "465" if security == "tls" else "587")),
        smtp_security=security,
        smtp_user=env.get("CRM_SMTP_USER", ""),
        smtp_password=env.get("CRM_SMTP_PASSWORD", ""),
        smtp_sender=env.get("CRM_SMTP_SENDER", MessagingSettings.smtp_sender),
        sms_api_url=env.get("CRM_SMS_API_URL", ""),
        sms_api_user=env.get("CRM_SMS_API_USER", ""),
        sms_api_password=env.get("CRM_SMS_API_PASSWORD", ""),
        sms_from=env.get("CRM_SMS_FROM", ""),
        whatsapp_from=env.get("CRM_WHATSAPP_FROM", ""),
        max_attempts=int(env.get("CRM_OUTBOX_MAX_ATTEMPTS", "5")),
        retry_base_seconds=int(env.get("CRM_OUTBOX_RETRY_SECONDS", "30")),
        worker_poll_seconds=float(env.get("CRM_OUTBOX_POLL_SECONDS", "2")),
        worker_in_app=env.get("CRM_OUTBOX_IN_APP", "true").strip().lower() in ("1", "true", "yes", "on"),
        invitation_days=int(env.get("CRM_INVITATION_DAYS", "7")),
        template_render_seconds=float(env.get("CRM_TEMPLATE_RENDER_SECONDS", "3")),
    )
