"""/api/v1/leads, /orders and /sales on SQLite and PostgreSQL: created with the app's numbers, totals and
rules, listed with its filters and cursor, their status moved with If-Match, a credit sale over the
client's limit refused with the reason, and documents:write needed to write them."""

from __future__ import annotations

from decimal import Decimal

from crm_app.domain.sales import SaleInput
from crm_app.services import sales
from tests.api.v1.api_world import ALL_SCOPES, SCREEN, bearer, make_customer, make_order_type
from tests.db import run_like_app

LINE = {"description": "Cambio de pantalla", "quantity": "2", "unit_price": "60.50"}


def test_an_order_is_created_with_the_apps_number_and_totals_as_decimal_strings(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin, discount_percent=Decimal("10"))
    type_id = make_order_type(session, org.admin)
    created = api.post(
        "/api/v1/orders",
        headers=bearer(key),
        json={
            "order_type_id": type_id,
            "customer_id": customer_id,
            "lines": [LINE],
            "due_date": "2030-01-31",
        },
    )
    assert created.status_code == 201, created.text
    order = created.json()
    assert (order["number"], order["status"], order["due_date"]) == (1, "open", "2030-01-31")
    assert (order["subtotal"], order["discount_percent"], order["total"]) == ("121.00", "10.00", "108.90")
    assert order["lines"] == [
        {
            "description": "Cambio de pantalla",
            "quantity": "2.000",
            "unit_price": "60.50",
            "discount_percent": "0.00",
            "line_total": "121.00",
        }
    ]
    assert api.get(created.headers["Location"], headers=bearer(key)).json() == order

    feed = api.get(f"/api/v1/customers/{customer_id}/feed", headers=bearer(key)).json()["items"]
    assert feed[0]["kind"] == "order_created" and feed[0]["data"]["via"]["name"] == "Web"


def test_a_bad_line_is_refused_at_its_path_and_money_must_be_a_string(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    type_id = make_order_type(session, org.admin)
    bad = api.post(
        "/api/v1/orders",
        headers=bearer(key, "en"),
        json={"order_type_id": type_id, "lines": [LINE, {**LINE, "unit_price": "12.345"}]},
    )
    assert bad.status_code == 422
    assert [e["path"] for e in bad.json()["errors"]] == ["lines[1].unit_price"]
    assert "decimals" in bad.json()["errors"][0]["detail"]
    as_number = api.post(
        "/api/v1/orders",
        headers=bearer(key),
        json={"order_type_id": type_id, "lines": [{**LINE, "unit_price": 60.5}]},
    )
    assert as_number.status_code == 422
    assert api.get("/api/v1/orders", headers=bearer(key)).json()["items"] == []


def test_an_orders_status_moves_with_if_match_and_a_confirmed_order_needs_its_client(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    type_id = make_order_type(session, org.admin)
    order = api.post("/api/v1/orders", headers=bearer(key), json={"order_type_id": type_id, "lines": [LINE]})
    url = f"/api/v1/orders/{order.json()['id']}/status"
    current = {**bearer(key), "If-Match": order.headers["ETag"]}

    assert api.post(url, headers=bearer(key), json={"status": "in_progress"}).status_code == 428
    needs_client = api.post(url, headers=current, json={"status": "in_progress"})
    assert needs_client.status_code == 422 and needs_client.json()["errors"][0]["path"] == "customer_id"
    cancelled = api.post(url, headers=current, json={"status": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(url, headers=current, json={"status": "open"}).status_code == 412


def test_the_order_list_filters_and_pages_like_the_apps(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    repair, install = make_order_type(session, org.admin), make_order_type(session, org.admin, "Instalación")
    ana = make_customer(session, org.admin)
    for type_id in (repair, install, repair, repair):
        api.post(
            "/api/v1/orders",
            headers=bearer(key),
            json={"order_type_id": type_id, "customer_id": ana, "lines": [LINE]},
        )

    numbers, cursor = [], None
    while True:
        params = {"type_id": repair, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/orders", params=params, headers=bearer(key)).json()
        numbers += [o["number"] for o in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert numbers == [4, 3, 1]
    assert [
        o["number"]
        for o in api.get("/api/v1/orders", params={"search": "#2"}, headers=bearer(key)).json()["items"]
    ] == [2]
    assert api.get("/api/v1/orders", params={"status": "lost"}, headers=bearer(key)).status_code == 422


def test_a_lead_is_created_found_and_lost_with_a_reason(api, org_key):
    org = org_key(ALL_SCOPES)
    key = org.key
    created = api.post(
        "/api/v1/leads",
        headers=bearer(key),
        json={"name": "Luis Mora", "phone": "0991234567", "next_step_on": "2030-02-01"},
    )
    assert created.status_code == 201, created.text
    lead = created.json()
    assert (lead["status"], lead["phone_e164"], lead["owner_name"]) == (
        "new",
        "+593991234567",
        org.admin.name,
    )
    found = api.get("/api/v1/leads", params={"search": "mora", "status": "new"}, headers=bearer(key)).json()
    assert [x["id"] for x in found["items"]] == [lead["id"]]

    url = f"/api/v1/leads/{lead['id']}/status"
    current = {**bearer(key, "en"), "If-Match": created.headers["ETag"]}
    no_reason = api.post(url, headers=current, json={"status": "lost"})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["path"] == "lost_reason"
    lost = api.post(url, headers=current, json={"status": "lost", "lost_reason": "Precio"})
    assert lost.status_code == 200 and (lost.json()["status"], lost.json()["lost_reason"]) == (
        "lost",
        "Precio",
    )
    assert api.get("/api/v1/leads", params={"status": "new"}, headers=bearer(key)).json()["items"] == []


def test_a_cash_sale_is_recorded_and_listed(api, org_key, session):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin)
    sold = api.post("/api/v1/sales", headers=bearer(key), json={"customer_id": customer_id, "lines": [LINE]})
    assert sold.status_code == 201, sold.text
    assert (sold.json()["number"], sold.json()["total"], sold.json()["payment_method"]) == (
        1,
        "121.00",
        "cash",
    )
    listed = api.get(
        "/api/v1/sales", params={"customer_id": customer_id, "payment_method": "cash"}, headers=bearer(key)
    ).json()["items"]
    assert [(s["number"], s["total"]) for s in listed] == [(1, "121.00")]


def test_a_credit_sale_over_the_limit_is_refused_and_the_detail_says_an_admin_approves_it_in_the_app(
    api, org_key, session
):
    org = org_key(ALL_SCOPES)
    key = org.key
    customer_id = make_customer(session, org.admin, credit_limit=Decimal("200"))
    run_like_app(
        session,
        sales.create_sale,
        actor=org.admin,
        data=SaleInput(customer_id=customer_id, lines=(SCREEN,), payment_method="credit"),
    )
    refused = api.post(
        "/api/v1/sales",
        headers=bearer(key, "en"),
        json={"customer_id": customer_id, "lines": [LINE], "payment_method": "credit"},
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "only an admin can approve it, in Clientela" in problem["detail"]
    assert "limit 200.00" in problem["detail"] and "available 80.00" in problem["detail"]
    assert [s["number"] for s in api.get("/api/v1/sales", headers=bearer(key)).json()["items"]] == [1]


def test_writing_documents_needs_the_documents_scope(api, org_key, session):
    org = org_key(("customers:read", "customers:write"))
    key = org.key
    type_id = make_order_type(session, org.admin)
    assert api.get("/api/v1/orders", headers=bearer(key)).status_code == 200
    refused = api.post(
        "/api/v1/orders", headers=bearer(key), json={"order_type_id": type_id, "lines": [LINE]}
    )
    assert refused.status_code == 403
    assert api.post("/api/v1/leads", headers=bearer(key), json={"name": "Luis"}).status_code == 403
