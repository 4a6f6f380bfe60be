"""The customer list's address read into its filters and query: what the page shows and what the export
exports are read by the same function, and the export refuses what the page would silently drop."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from crm_app.domain.customer_list_params import HINTS, ListFilters, bad_params, read_filters
from crm_app.domain.customers import CustomerQuery
from crm_app.states.list_query import list_url


def test_an_address_reads_into_the_list_query():
    params = {"q": "ana ", "type": "company", "tags": "vip,nuevo", "supplier": "1", "conflictive": "0",
              "channel": "7", "consent": "1", "option": "3:9,4:10", "account": "12", "sort": "-created",
              "trash": "1", "after": "cursor"}
    filters = read_filters(params)
    assert filters.query(after="c", limit=100) == CustomerQuery(
        search="ana ", client_type="company", tags=("vip", "nuevo"), supplier=True, conflictive=False,
        channel_id=7, accepts_email=True, options=((3, 9), (4, 10)), account_id=12, sort="-created",
        trash=True, after="c", limit=100)
    assert bad_params(params) == {}


def test_the_address_written_back_reads_the_same():
    filters = read_filters({"q": "ana", "tags": "vip", "trash": "1", "option": "3:9"})
    url = list_url("/customers", filters.params(), {})
    assert url == "/customers?q=ana&tags=vip&option=3%3A9&trash=1"
    assert read_filters(dict(parse_qsl(urlsplit(url).query))) == filters
    assert read_filters({}) == ListFilters()
    assert list_url("/customers", ListFilters().params(), {}) == "/customers"


@pytest.mark.parametrize(("params", "bad"), [
    ({"type": "alien"}, "type"),
    ({"sort": "price"}, "sort"),
    ({"supplier": "yes"}, "supplier"),
    ({"channel": "abc"}, "channel"),
    ({"channel": "99999999999"}, "channel"),  # past an INTEGER column: never sent to the database
    ({"account": "²"}, "account"),
    ({"option": "3:9,3:10"}, "option"),  # one option per field
    ({"option": "x"}, "option"),
    ({"tags": ",".join(f"t{i}" for i in range(11))}, "tags"),
    ({"q": "a" * 101}, "q"),
    ({"trash": "yes"}, "trash"),
    ({"sort": "spent"}, "sort"),  # only highest first
    ({"bought_since": "2026-02-30"}, "bought_since"),
    ({"bought_since": "1/3/2026"}, "bought_since"),
    ({"lapsed_since": "2026-3-1"}, "lapsed_since"),
    ({"min_spent": "1.500,50"}, "min_spent"),  # the page's box reads that; the address holds 1500.50
    ({"min_spent": "-5"}, "min_spent"),
    ({"min_spent": "1e9"}, "min_spent"),
    ({"min_spent": "10.505"}, "min_spent"),
    ({"min_spent": "1" * 13}, "min_spent"),
])
def test_what_the_page_would_drop_is_named(params, bad):
    assert list(bad_params(params)) == [bad]
    read = read_filters(params).params()  # the page shows a list all the same: without it, or cut short
    assert read[bad] != params[bad]


def test_spellings_the_page_reads_the_same_are_fine():
    assert bad_params({"trash": "0", "sort": "name", "tags": "vip,,nuevo", "q": "", "after": "x",
                       "whatever": "1"}) == {}


def test_the_purchase_filters_and_sorts_read_into_the_query():
    params = {"bought_since": "2026-01-15", "lapsed_since": "2026-06-01", "min_spent": "150.5",
              "sort": "-spent"}
    filters = read_filters(params)
    assert filters.query() == CustomerQuery(bought_since=date(2026, 1, 15), lapsed_since=date(2026, 6, 1),
                                            min_spent=Decimal("150.5"), sort="-spent")
    assert bad_params(params) == {}
    url = list_url("/customers", filters.params(), {})
    assert url == "/customers?bought_since=2026-01-15&lapsed_since=2026-06-01&min_spent=150.5&sort=-spent"
    assert read_filters(dict(parse_qsl(urlsplit(url).query))) == filters
    assert read_filters({"sort": "-purchase", "min_spent": "0"}).query() == CustomerQuery(
        sort="-purchase", min_spent=Decimal(0))


def test_the_panels_filters_read_into_the_query():
    params = {"created_from": "2026-11-01", "created_to": "2026-11-30", "created_by": "7", "source": "import",
              "reach": "none"}
    filters = read_filters(params)
    assert filters.query() == CustomerQuery(created_from=date(2026, 11, 1), created_to=date(2026, 11, 30),
                                            created_by=7, source="import", unreachable=True)
    assert bad_params(params) == {}
    url = list_url("/customers", filters.params(), {})
    assert url == ("/customers?created_from=2026-11-01&created_to=2026-11-30&created_by=7&source=import"
                   "&reach=none")
    assert read_filters(dict(parse_qsl(urlsplit(url).query))) == filters
    # One day, or an open end, is a range too.
    assert read_filters({"created_from": "2026-11-01", "created_to": "2026-11-01"}).query() == CustomerQuery(
        created_from=date(2026, 11, 1), created_to=date(2026, 11, 1))
    assert read_filters({"created_to": "2026-11-01"}).query() == CustomerQuery(created_to=date(2026, 11, 1))


@pytest.mark.parametrize(("params", "bad"), [
    ({"created_from": "2026-11-31"}, "created_from"),
    ({"created_from": "1/11/2026"}, "created_from"),
    ({"created_from": "2026-11-10", "created_to": "2026-11-01"}, "created_to"),  # the end before the start
    ({"created_from": "2000-01-01", "created_to": "2026-11-01"}, "created_to"),  # over ten years
    ({"created_by": "ana"}, "created_by"),
    ({"created_by": "0"}, "created_by"),
    ({"source": "fax"}, "source"),
    ({"source": "Import"}, "source"),
    ({"reach": "all"}, "reach"),
])
def test_the_panels_filters_that_do_not_read_are_named(params, bad):
    assert bad_params(params) == {bad: HINTS[bad]}  # the export and the API refuse it, saying what it holds
    assert read_filters(params).params()[bad] == ""  # the page shows the list without it
