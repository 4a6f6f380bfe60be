"""The server decides a page's access from its path as the browser's router picks the page: a fixed
route wins over a route with an argument."""

import crm_app.crm_app  # noqa: F401 registers every page
from crm_app.states.session import page_access


def test_a_fixed_route_wins_over_an_argument():
    assert page_access("/customers/import").route == "/customers/import"
    assert page_access("/customers/import/12").route == "/customers/import/[import_id]"
    assert page_access("/customers/12").route == "/customers/[customer_id]"
    assert page_access("/customers").route == "/customers"
