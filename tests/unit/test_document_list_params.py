"""The order, sale and lead lists' addresses: a hand-edited value is dropped, never trusted."""

from crm_app.domain.documents import DocumentQuery, list_query, read_list_filters

NAMES = ("status", "method", "type", "owner", "customer", "from", "to")
CHOICES = {"status": ("open", "done"), "method": ("cash", "credit")}


def test_well_formed_filters_become_the_query():
    filters = read_list_filters(
        {"status": "done", "method": "credit", "type": "4", "owner": "7", "customer": "12",
         "from": "2026-11-01", "to": "2026-11-30", "q": "ana"}, NAMES, CHOICES)
    assert list_query("ana", filters, "99", 25) == DocumentQuery(
        search="ana", status="done", method="credit", type_id=4, owner_id=7, customer_id=12,
        date_from="2026-11-01", date_to="2026-11-30", after="99", limit=25)


def test_hand_edited_values_are_dropped():
    filters = read_list_filters(
        {"status": "deleted", "method": "bitcoin", "type": "-1", "owner": "x", "customer": "1e3",
         "from": "2026-02-30", "to": "20261130"}, NAMES, CHOICES)
    assert set(filters.values()) == {""}
    assert list_query("", filters, "", 25) == DocumentQuery(limit=25)


def test_only_the_lists_own_filters_are_read():
    assert read_list_filters({"method": "cash", "status": "open"}, ("status",), CHOICES) == {"status": "open"}
