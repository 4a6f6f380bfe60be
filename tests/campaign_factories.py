"""Campaign test data shared by the service and API tests: customers with and without consent, an
e-mail template, a started campaign with its preparation run, a sender that records."""

from __future__ import annotations

from sqlalchemy import select

from crm_app.domain.campaigns import CampaignInput
from crm_app.domain.customers import CustomerInput, EmailInput
from crm_app.jobs import runner
from crm_app.models import OutboxMessage
from crm_app.services import campaigns, customers, templates
from tests.db import run_like_app
from tests.factories import make_org


class Recorder:
    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message) -> str:
        self.sent.append(message.recipient)
        return f"<{message.id}@test>"


def customer(session, actor, first: str, *emails: tuple[str, bool], tags=("vip",)):
    data = CustomerInput(client_type="person", first_name=first, last_name="Prueba", tags=tags,
                         emails=tuple(EmailInput(a, accepts_email=c) for a, c in emails))
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def template(session, actor, name="Promo"):
    return run_like_app(session, templates.save_template, actor=actor, data=templates.TemplateInput(
        "email", name, "Hola {{ first_name }}", "Tenemos novedades para {{ first_name }}."))


def draft(session, actor, template_id, query="tags=vip", name="Diciembre"):
    return run_like_app(session, campaigns.create_campaign, actor=actor,
                        data=CampaignInput(name=name, template_id=template_id, query=query))


def campaign_shop(session):
    """An organization with an e-mail template and four customers: Ana (two addresses with consent),
    Beto (no consent), Carla (consent), all tagged vip, and Dora (consent, no tag). (admin, template)"""
    _, admin = make_org(session)
    customer(session, admin, "Ana", ("ana@example.com", True), ("ana2@example.com", True))
    customer(session, admin, "Beto", ("beto@example.com", False))
    customer(session, admin, "Carla", ("carla@example.com", True))
    customer(session, admin, "Dora", ("dora@example.com", True), tags=())  # not in the segment
    return admin, template(session, admin)


def run_jobs(db_url) -> None:
    """Run every queued job (the runner's ticks may queue others, such as the panel's refresh)."""
    while runner.run_once(database_url=db_url):
        pass


def started(session, db_url, admin, tpl, **kw) -> int:
    campaign = draft(session, admin, tpl.id, **kw)
    run_like_app(session, campaigns.start, actor=admin, campaign_id=campaign.id)
    run_jobs(db_url)  # the preparation job
    session.expire_all()
    return campaign.id


def messages(session, campaign_id):
    return list(session.execute(select(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
                                .order_by(OutboxMessage.id)).scalars())
