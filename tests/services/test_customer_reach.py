"""The list's one-tap links: the primary phone to call, the first phone flagged WhatsApp or SMS, the map
point for directions; nothing for what the customer does not have."""

from __future__ import annotations

from decimal import Decimal

from crm_app.domain.customers import CustomerInput, CustomerQuery, PhoneInput
from crm_app.services import customers
from tests.db import run_like_app
from tests.factories import make_org


def _row(session, admin, name: str):
    page = customers.list_customers(session=session, actor=admin, query=CustomerQuery(search=name))
    (row,) = page.rows
    return row


def test_a_row_carries_what_each_link_needs(session):
    _org, admin = make_org(session, country="EC")
    run_like_app(session, customers.create_customer, actor=admin, data=CustomerInput(
        first_name="Rosa", last_name="Quishpe",
        phones=(PhoneInput("022 345 678", primary=True),
                PhoneInput("099 111 2222", whatsapp=True),
                PhoneInput("098 333 4444", sms=True, whatsapp=True)),
        latitude=Decimal("-0.180653"), longitude=Decimal("-78.467834")))
    row = _row(session, admin, "Quishpe")
    assert row.call_e164 == "+59322345678"
    assert row.whatsapp_e164 == "+593991112222"  # the first flagged, not the last
    assert row.sms_e164 == "+593983334444"
    assert row.map_point == "-0.180653,-78.467834"


def test_a_customer_without_phones_or_point_offers_no_link(session):
    _org, admin = make_org(session, country="EC")
    run_like_app(session, customers.create_customer, actor=admin,
                 data=CustomerInput(first_name="Pedro", last_name="Sinnúmero"))
    row = _row(session, admin, "Sinnúmero")
    assert (row.call_e164, row.whatsapp_e164, row.sms_e164, row.map_point) == ("", "", "", "")
