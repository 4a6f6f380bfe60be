"""Every panel figure that links to a list lands on a true list, on SQLite and PostgreSQL: each link is
followed as its page reads the address (the customer list's ListFilters, the leads' and orders' list
filters, the task list's assignee and status) and the list, all its pages, holds as many rows as the
figure says: customers created in the range and by type, channel, source and tag (one created at 23:30
local on the range's last day), those created this month per staff member, the unreachable ones, leads
and orders per owner and status."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl, urlsplit

import pytest

from crm_app.domain.customer_list_params import read_filters
from crm_app.domain.documents import list_query, read_list_filters
from crm_app.domain.panel import PanelRange
from crm_app.services import customers, leads, orders, panel
from crm_app.states.leads import LeadsState
from crm_app.states.orders import OrdersState
from tests.factories import make_org, make_user
from tests.services.test_panel_factories import customer, email, lead, order, phone, tag, utc

NOW = utc(2025, 12, 31, 15)  # December 31st 2025, 10:00 in Guayaquil (UTC-5)
RANGE = PanelRange(NOW.date().replace(day=1), NOW.date())


@pytest.fixture
def shop(session):
    _, admin = make_org(session, country="EC")
    _, other = make_org(session, name="Other", country="EC")
    _, sonia, _ = make_user(session, admin, "sales", name="Sonia")
    vip = tag(session, admin, "VIP")
    made = [
        customer(session, sonia, utc(2026, 1, 1, 4, 30), source="import", tags=(vip,)),  # Dec 31, 23:30 local
        customer(session, sonia, utc(2025, 12, 1, 5, 30), source="import", client_type="company"),
        customer(session, sonia, utc(2025, 12, 1, 4, 30), source="import"),  # Nov 30, 23:30 local: before
        customer(session, admin, utc(2025, 12, 15, 15), source="api", tags=(vip,)),
        customer(session, admin, utc(2025, 12, 16, 15), source="form", trashed=True),
        customer(session, admin, utc(2025, 12, 17, 15), source="form"),
    ]
    phone(session, admin, made[0])
    email(session, admin, made[1], consent=True)
    email(session, admin, made[3], consent=False)  # no consent: still unreachable
    customer(session, other, utc(2025, 12, 15, 15), source="import", tags=(tag(session, other, "VIP"),))
    for status in ("new", "new", "won"):
        lead(session, admin, status, utc(2025, 12, 10, 15), owner=sonia.user_id)
    lead(session, admin, "contacted", utc(2025, 12, 10, 15))
    lead(session, other, "new", utc(2025, 12, 10, 15))
    for number, status in enumerate(("open", "open", "done"), start=1):
        order(session, admin, number, status, None, assignee=sonia.user_id)
    order(session, admin, 4, "open", None)
    order(session, other, 1, "open", None)
    return admin


def _params(href: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(href).query))


def _customers_listed(session, actor, href: str) -> int:
    assert urlsplit(href).path == "/customers", href
    query, count = read_filters(_params(href)).query(limit=2), 0
    while True:  # pages of 2: the cursor too
        page = customers.list_customers(session=session, actor=actor, query=query)
        count += len(page.rows)
        if not page.next_cursor:
            return count
        query = dataclasses.replace(query, after=page.next_cursor)


def _documents_listed(session, actor, href: str) -> int:
    path = urlsplit(href).path
    lists = {"/leads": (LeadsState, leads.list_leads), "/orders": (OrdersState, orders.list_orders)}
    state, service = lists[path]
    filters = read_list_filters(_params(href), state.filter_names, state.choices)
    return len(service(session=session, actor=actor, query=list_query("", filters, "", 100)).rows)


def test_the_customer_figures_link_to_their_lists(session, shop):
    admin = shop
    tile = panel.customers(session=session, actor=admin, rng=RANGE)
    assert tile.total == 4 == _customers_listed(session, admin, tile.href)
    figures = [*tile.by_type, *tile.by_channel, *tile.by_source, *tile.by_tag]
    linked = [figure for figure in figures if figure.href]
    assert {figure.key for figure in tile.by_source if figure.count} == {"import", "api", "form"}
    for figure in linked:
        assert figure.count == _customers_listed(session, admin, figure.href), figure
    contact = panel.contact(session=session, actor=admin)
    assert contact.unreachable == 3 == _customers_listed(session, admin, contact.unreachable_href)


def test_the_workload_figures_link_to_their_lists(session, shop):
    admin = shop
    tile = panel.workload(session=session, actor=admin, now=NOW)
    for row in (*tile.rows, tile.totals):
        made = row.customers_this_month
        assert made.count == _customers_listed(session, admin, made.href), (row.name, made.href)
        for figure in (*row.leads, *row.orders):
            assert figure.count == _documents_listed(session, admin, figure.href), (row.name, figure.href)
    sonia = next(row for row in tile.rows if row.name == "Sonia")
    assert sonia.customers_this_month.count == 2
    assert [(f.key, f.count) for f in sonia.orders if f.count] == [("open", 2), ("done", 1)]
