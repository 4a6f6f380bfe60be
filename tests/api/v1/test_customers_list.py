"""GET /api/v1/customers (the list page's search and filters, cursor paging) and the batch create."""

from __future__ import annotations


def _batch(api, keyed, items, **headers):
    return api.post("/api/v1/customers/batch", json={"items": items}, headers=keyed.with_headers(**headers))


def _people(start, count):
    return [{"first_name": f"Cliente{n:04d}", "last_name": "Lote"} for n in range(start, start + count)]


def test_pages_follow_the_cursor_to_the_end_without_a_total(api, org_key):
    keyed = org_key()
    for start in (0, 100):
        assert _batch(api, keyed, _people(start, 100 if start == 0 else 30)).status_code == 200
    first = api.get("/api/v1/customers?limit=120&sort=name", headers=keyed.headers)
    assert first.status_code == 200
    page = first.json()
    assert set(page) == {"items", "next_cursor"} and len(page["items"]) == 120
    rest = api.get("/api/v1/customers", params={"limit": 120, "sort": "name", "cursor": page["next_cursor"]},
                   headers=keyed.headers).json()
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None
    names = [c["display_name"] for c in page["items"] + rest["items"]]
    assert names == sorted(names) and len(set(names)) == 130


def test_more_than_200_a_page_and_bad_cursors_are_refused(api, org_key):
    keyed = org_key(("customers:read",))
    too_many = api.get("/api/v1/customers?limit=201", headers=keyed.with_headers(Accept_Language="en"))
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["path"] == "limit"
    forged = api.get("/api/v1/customers?cursor=bm90LWEtY3Vyc29y", headers=keyed.headers)
    assert forged.status_code == 422 and forged.json()["code"] == "api_bad_cursor"


def test_search_and_filters_are_the_list_pages(api, org_key):
    keyed = org_key()
    _batch(api, keyed, [
        {"first_name": "Marta", "last_name": "Paz", "tags": ["vip"], "phones": [{"number": "0991112223"}]},
        {"first_name": "Mario", "last_name": "Luna", "is_supplier": True},
        {"client_type": "company", "legal_name": "Andes S.A.", "tax_id": "1790016919001"},
    ])

    def names(**params):
        answer = api.get("/api/v1/customers", params=params, headers=keyed.headers)
        assert answer.status_code == 200, answer.text
        return sorted(c["display_name"] for c in answer.json()["items"])

    assert names(q="marta") == ["Marta Paz"]
    assert names(q="mar") == ["Mario Luna", "Marta Paz"]
    assert names(q="0991112223") == ["Marta Paz"]
    assert names(tags="vip") == ["Marta Paz"]
    assert names(supplier="1") == ["Mario Luna"]
    assert names(type="company") == ["Andes S.A."]
    english = keyed.with_headers(Accept_Language="en")
    bad = api.get("/api/v1/customers?sort=sideways&type=alien", headers=english)
    assert bad.status_code == 422
    assert {e["path"] for e in bad.json()["errors"]} == {"sort", "type"}


def test_a_batch_answers_each_item_in_order(api, org_key):
    keyed = org_key()
    answer = _batch(api, keyed, [
        {"first_name": "Ana", "last_name": "Uno", "phones": [{"number": "0991234567"}]},
        {"first_name": "Sin apellido"},
        {"first_name": "Otra", "last_name": "Dos", "phones": [{"number": "0991234567"}]},  # same phone as #0
        {"first_name": "Eva", "last_name": "Tres"},
    ], Accept_Language="en")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [i["status"] for i in items] == [201, 422, 422, 201]
    assert items[0]["customer"]["display_name"] == "Ana Uno"
    assert items[1]["problem"]["errors"][0]["path"] == "last_name"
    duplicate = items[2]["problem"]["errors"][0]
    assert (duplicate["path"], duplicate["code"]) == ("phones[0].number", "duplicate_phone")
    assert "Ana Uno" in duplicate["detail"]
    listed = api.get("/api/v1/customers", headers=keyed.headers).json()["items"]
    assert sorted(c["display_name"] for c in listed) == ["Ana Uno", "Eva Tres"]


def test_a_batch_holds_at_most_100(api, org_key):
    keyed = org_key()
    answer = _batch(api, keyed, _people(0, 101), Accept_Language="es")
    assert answer.status_code == 422 and answer.json()["code"] == "api_batch_too_large"
    assert "100" in answer.json()["detail"]
