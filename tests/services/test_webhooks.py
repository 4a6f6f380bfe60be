"""Webhook endpoints on SQLite and PostgreSQL: admins only, the URL guard, the secret shown once, events
queued in the change's own transaction for the subscribed active endpoints only, the payloads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.domain.leads import LeadInput
from crm_app.domain.orders import OrderInput
from crm_app.models.integrations import WebhookDelivery, WebhookEndpoint
from crm_app.services import customers, leads, orders, webhook_events, webhooks
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.services.test_orders import REPAIR, order_type

URL = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def _loopback_receivers(env):
    env(CRM_WEBHOOKS_ALLOW_HTTP="true", CRM_WEBHOOKS_ALLOW_PRIVATE="true")


def endpoint(session, admin, events=("customer.created",), url=URL, description=""):
    return run_like_app(session, webhooks.create_endpoint, actor=admin, url=url, events=list(events),
                        description=description)


def deliveries(session, **where):
    query = select(WebhookDelivery).order_by(WebhookDelivery.id)
    for name, value in where.items():
        query = query.where(getattr(WebhookDelivery, name) == value)
    return list(session.execute(query).scalars())


def ana(session, actor, **extra):
    data = CustomerInput(client_type="person", first_name="Ana", last_name="Vera", tax_id_type="cedula",
                         tax_id="1710034065", phones=(PhoneInput("0991234567", whatsapp=True),),
                         emails=(EmailInput("ana@example.com"),), tags=("VIP",), **extra)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def test_admins_register_endpoints_and_see_the_secret_once(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales")
    created, secret = endpoint(session, admin, ("customer.created", "lead.created"), description=" CRM ")
    assert secret.startswith("whsec_")
    assert created.events == ("customer.created", "lead.created") and created.description == "CRM"
    listed = webhooks.list_endpoints(session, admin)
    assert [e.id for e in listed] == [created.id] and listed[0].active
    assert secret not in repr(listed)  # the list never carries it
    with pytest.raises(Forbidden):
        webhooks.create_endpoint(session, sales, URL, ["customer.created"], "")
    with pytest.raises(Forbidden):
        webhooks.list_endpoints(session, sales)
    _, rotated = run_like_app(session, webhooks.rotate_secret, actor=admin, endpoint_id=created.id)
    assert rotated != secret and session.get(WebhookEndpoint, created.id).secret == rotated


def test_bad_input_is_refused_next_to_its_field(session, env):
    _, admin = make_org(session)
    with pytest.raises(ValidationFailed) as caught:
        webhooks.create_endpoint(session, admin, "not a url", [], "x" * 201)
    assert {k: e.code for k, e in caught.value.errors.items()} == {
        "url": "webhook_url_invalid", "events": "webhook_events_required", "description": "too_long"}
    with pytest.raises(ValidationFailed) as caught:
        webhooks.create_endpoint(session, admin, URL, ["customer.created", "customer.exploded"], "")
    assert caught.value.errors["events"].code == "invalid_choice"
    env(CRM_WEBHOOKS_ALLOW_HTTP="false", CRM_WEBHOOKS_ALLOW_PRIVATE="false")
    for url, code in (("http://hooks.example.com/", "webhook_url_https_only"),
                      ("https://127.0.0.1/hook", "webhook_url_private"),
                      ("https://[::1]/hook", "webhook_url_private"),
                      ("https://169.254.169.254/latest/meta-data", "webhook_url_private"),
                      ("https://localhost/hook", "webhook_url_private")):
        with pytest.raises(ValidationFailed) as caught:
            webhooks.create_endpoint(session, admin, url, ["customer.created"], "")
        assert caught.value.errors["url"].code == code, url
    assert session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


def test_another_organizations_endpoint_is_not_found(session):
    _, admin = make_org(session, "Acme")
    _, other = make_org(session, "Other")
    mine, _ = endpoint(session, admin)
    for call, extra in ((webhooks.get_endpoint, {}), (webhooks.delete_endpoint, {}),
                        (webhooks.enable_endpoint, {}), (webhooks.rotate_secret, {}),
                        (webhooks.send_test, {}),
                        (webhooks.list_deliveries, {}), (webhooks.update_endpoint, {"url": URL})):
        with pytest.raises(NotFound):
            call(session, other, mine.id, **extra)
    with pytest.raises(NotFound):
        webhooks.get_endpoint(session, admin, "1; drop table")


def test_a_new_customer_queues_customer_created_with_its_public_form(session):
    _, admin = make_org(session)
    subscribed, _ = endpoint(session, admin, ("customer.created", "customer.updated"))
    endpoint(session, admin, ("lead.created",))  # not subscribed: gets nothing
    customer = ana(session, admin)
    [delivery] = deliveries(session)
    assert (delivery.endpoint_id, delivery.event_type, delivery.status) == (
        subscribed.id, "customer.created", "queued")
    body = json.loads(delivery.payload)
    assert body["id"] == delivery.event_id and body["id"].startswith("evt_")
    assert body["type"] == "customer.created" and body["organization_id"] == admin.organization_id
    assert body["created"].endswith("Z")
    obj = body["data"]["object"]
    assert obj["id"] == customer.id and obj["display_name"] == "Ana Vera" and obj["tax_id"] == "1710034065"
    assert obj["phones"][0]["number"] == "+593991234567" and obj["phones"][0]["whatsapp"]
    assert obj["emails"] == [{"address": "ana@example.com", "primary": True, "accepts_email": False}]
    assert obj["tags"] == ["VIP"] and obj["deleted"] is False and obj["version"] == 1
    assert "notes" not in obj and "search_text" not in obj  # the compact public form only


def test_updates_and_deletes_follow_and_a_rolled_back_change_sends_nothing(session):
    _, admin = make_org(session)
    endpoint(session, admin, ("customer.updated", "customer.deleted"))
    customer = ana(session, admin)
    assert deliveries(session) == []
    data = CustomerInput(client_type="person", first_name="Ana María", last_name="Vera")
    with pytest.raises(Conflict):  # a stale save: rolled back, no event
        run_like_app(session, customers.update_customer, actor=admin, customer_id=customer.id, version=9,
                     data=data)
    assert deliveries(session) == []
    run_like_app(session, customers.update_customer, actor=admin, customer_id=customer.id, version=1,
                 data=data)
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=customer.id)
    updated, deleted = deliveries(session)
    assert updated.event_type == "customer.updated"
    assert json.loads(updated.payload)["data"]["object"]["first_name"] == "Ana María"
    assert json.loads(updated.payload)["data"]["object"]["version"] == 2
    assert deleted.event_type == "customer.deleted"
    assert json.loads(deleted.payload)["data"]["object"]["deleted"]


def test_leads_and_order_status_changes(session):
    _, admin = make_org(session)
    endpoint(session, admin, ("lead.created", "order.status_changed"))
    lead = run_like_app(session, leads.create_lead, actor=admin,
                        data=LeadInput(name="Luis Mora", phone="0998765432"))
    customer = ana(session, admin)
    type_id = order_type(session, admin)
    order = run_like_app(session, orders.create_order, actor=admin,
                         data=OrderInput(order_type_id=type_id, customer_id=customer.id, lines=(REPAIR,)))
    run_like_app(session, orders.change_status, actor=admin, order_id=order.id, version=order.version,
                 status="in_progress")
    lead_event, order_event = deliveries(session)
    assert lead_event.event_type == "lead.created"
    assert json.loads(lead_event.payload)["data"]["object"]["name"] == "Luis Mora"
    assert json.loads(lead_event.payload)["data"]["object"]["id"] == lead.id
    obj = json.loads(order_event.payload)["data"]["object"]
    assert order_event.event_type == "order.status_changed"
    assert (obj["id"], obj["status"], obj["previous_status"]) == (order.id, "in_progress", "open")


def test_disabled_and_deleted_endpoints_get_nothing_and_enabling_resets_failures(session):
    _, admin = make_org(session)
    paused, _ = endpoint(session, admin)
    gone, _ = endpoint(session, admin)
    run_like_app(session, webhooks.disable_endpoint, actor=admin, endpoint_id=paused.id)
    run_like_app(session, webhooks.delete_endpoint, actor=admin, endpoint_id=gone.id)
    ana(session, admin)
    assert deliveries(session) == []
    assert [e.id for e in webhooks.list_endpoints(session, admin)] == [paused.id]
    with pytest.raises(Conflict):
        webhooks.send_test(session, admin, paused.id)
    row = session.get(WebhookEndpoint, paused.id)
    row.consecutive_failures = 7
    session.commit()
    enabled = run_like_app(session, webhooks.enable_endpoint, actor=admin, endpoint_id=paused.id)
    assert enabled.active and enabled.consecutive_failures == 0 and enabled.disabled_reason == ""
    run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=paused.id)
    [ping] = deliveries(session)
    assert ping.event_type == "ping" and ping.endpoint_id == paused.id


def test_a_batch_of_new_customers_is_one_endpoint_lookup_and_one_delivery_each(session):
    _, admin = make_org(session)
    first, _ = endpoint(session, admin)
    second, _ = endpoint(session, admin)
    ids = [run_like_app(session, customers.create_customer, actor=admin,
                        data=CustomerInput(client_type="person", first_name=name, last_name="Mora")).id
           for name in ("Luis", "Eva", "Raúl")]
    session.execute(WebhookDelivery.__table__.delete())
    session.commit()
    assert webhook_events.customers_created(session, admin.organization_id, ids) == 6
    session.commit()
    rows = deliveries(session)
    assert sorted((r.endpoint_id, json.loads(r.payload)["data"]["object"]["id"]) for r in rows) == sorted(
        (e, i) for e in (first.id, second.id) for i in ids)
    # one event id per customer, shared by both endpoints (the receivers' de-duplication key)
    assert len({r.event_id for r in rows}) == 3


def test_no_endpoint_means_no_delivery_and_other_organizations_never_hear(session):
    _, admin = make_org(session, "Acme")
    _, other = make_org(session, "Other")
    endpoint(session, other)
    ana(session, admin)
    assert deliveries(session) == []


def test_the_delivery_log_is_keyset_paged_newest_first(session):
    _, admin = make_org(session)
    created, _ = endpoint(session, admin)
    for _ in range(5):
        run_like_app(session, webhooks.send_test, actor=admin, endpoint_id=created.id)
    first = webhooks.list_deliveries(session, admin, created.id, limit=3)
    second = webhooks.list_deliveries(session, admin, created.id, before=first.next_before, limit=3)
    ids = [d.id for d in first.items + second.items]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5 and second.next_before is None
