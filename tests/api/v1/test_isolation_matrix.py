"""Every route of /api/v1, found by walking the app's routes (so a new route is in the matrix the day it
is added), on SQLite and PostgreSQL:

- a key of organization B gets 404 for each of organization A's resources, exactly like a missing one,
  and B's lists hold nothing of A's;
- a read-only key (customers:read) of A gets 403 on every write method;
- neither writes anything;
- the routes that take no key at all are the public connectors' and the docs', and no other.

A route with a path parameter this file does not know fails with a message saying what to add.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from crm_app.api.v1.app import build_v1
from crm_app.models.integrations import WebForm, WebhookDelivery, WebhookEndpoint
from tests.api.v1.api_world import ALL_SCOPES, World, bearer, make_world
from tests.db import row_counts

PREFIX = "/api/v1"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Routes that answer without a key: website forms and lead-ad connectors (their own public keys), docs.
PUBLIC_PREFIXES = ("/forms", "/connectors", "/docs", "/openapi")
# Path parameters that name no row of an organization: the caller always gets his own organization's.
OWN_ORGANIZATIONS = {"client_type": "person"}


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the v1 app, those of its included routers too."""
    return sorted(
        (method, route.path)
        for route in iter_route_contexts(build_v1().routes)
        if route.path and route.methods
        for method in route.methods - {"HEAD", "OPTIONS"}
    )


def _path_params(path: str) -> set[str]:
    return set(re.findall(r"{(\w+)(?::\w+)?}", path))


ROUTES = _routes()


def _victims(session, admin, world: World) -> dict[str, Any]:
    """Organization A's row for each path parameter name a route may have."""
    endpoint = WebhookEndpoint(
        organization_id=admin.organization_id,
        url="https://example.test/hook",
        events="customer.created",
        secret="whsec_test",
        created_by=admin.user_id,
    )
    form = WebForm(
        organization_id=admin.organization_id,
        public_key="wf_matrixvictim",
        name="Contacto",
        created_by=admin.user_id,
    )
    session.add_all([endpoint, form])
    session.flush()
    delivery = WebhookDelivery(
        organization_id=admin.organization_id,
        endpoint_id=endpoint.id,
        event_id="evt_m",
        event_type="customer.created",
        payload="{}",
    )
    session.add(delivery)
    session.commit()
    return {
        "customer_id": world.customer_id,
        "comment_id": world.comment_id,
        "account_id": world.account_id,
        "member_id": world.customer_id,
        "lead_id": world.lead_id,
        "order_id": world.order_id,
        "sale_id": world.sale_id,
        "endpoint_id": endpoint.id,
        "webhook_id": endpoint.id,
        "delivery_id": delivery.id,
        "form_id": form.id,
        "public_key": form.public_key,
    }


def _url(path: str, values: dict[str, Any]) -> str:
    unknown = _path_params(path) - set(values) - set(OWN_ORGANIZATIONS)
    if unknown:
        pytest.fail(
            f"{path}: path parameter(s) {sorted(unknown)} unknown to the isolation matrix: add "
            "organization A's row for them in _victims()"
        )
    return PREFIX + path.format(**{**OWN_ORGANIZATIONS, **values})


def _example(schema: dict, components: dict) -> Any:
    """The smallest value the OpenAPI schema accepts, so a refusal is about the caller, not the body."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for union in ("anyOf", "oneOf"):
        if union in schema:
            options = [s for s in schema[union] if s.get("type") != "null"]
            return _example(options[0], components) if options else None
    if "allOf" in schema:
        return _example(schema["allOf"][0], components)
    if "const" in schema or "enum" in schema:
        return schema.get("const", (schema.get("enum") or [None])[0])
    kind = schema.get("type")
    if kind == "object":
        return {name: _example(schema["properties"][name], components) for name in schema.get("required", ())}
    if kind == "array":
        return [_example(schema.get("items", {}), components)] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    formats = {
        "date": "2030-01-01",
        "date-time": "2030-01-01T00:00:00Z",
        "email": "ana@example.test",
        "uri": "https://example.test/x",
    }
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def _body(method: str, path: str, openapi: dict) -> Any:
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _example(content["application/json"]["schema"], openapi["components"]["schemas"])


def _send(api, method: str, url: str, key: str | None, body: Any, etag: str | None):
    headers = bearer(key) if key else {}
    if etag:
        headers["If-Match"] = etag
    return api.request(method, url, headers=headers, json=body)


@pytest.fixture
def matrix(api, org_key, session):
    """A's world, A's full and read-only keys, B's full key, the OpenAPI document, and each route's answer
    to a request without a key (protected routes are those answering 401)."""
    a = org_key(ALL_SCOPES)
    victims = _victims(session, a.admin, make_world(session, a.admin))
    openapi = api.get(f"{PREFIX}/openapi.json").json()
    keyless = {
        (method, path): _send(api, method, _url(path, victims), None, _body(method, path, openapi), None)
        for method, path in ROUTES
    }
    return {
        "a": a.key,
        "read_only": org_key(("customers:read",), of=a, name="Solo lectura").key,
        "b": org_key(ALL_SCOPES, name="Beta").key,
        "victims": victims,
        "openapi": openapi,
        "keyless": keyless,
        "protected": [route for route, answer in keyless.items() if answer.status_code == 401],
    }


def test_only_the_public_connectors_and_the_docs_answer_without_a_key(matrix):
    for (method, path), answer in matrix["keyless"].items():
        if answer.status_code != 401:
            assert path.startswith(PUBLIC_PREFIXES), (
                f"{method} {path} answered {answer.status_code} without a key"
            )
        else:
            assert answer.headers.get("WWW-Authenticate", "").startswith("Bearer"), f"{method} {path}"
    assert len(matrix["protected"]) >= 30


def test_another_organizations_key_finds_none_of_its_resources(api, matrix, session):
    counts = row_counts(session)
    checked = 0
    for method, path in matrix["protected"]:
        url = _url(path, matrix["victims"])
        resource_params = _path_params(path) - set(OWN_ORGANIZATIONS)
        if not resource_params and method != "GET":
            continue  # creates in B's own organization: nothing of A's is named
        etag = None
        if resource_params and method != "GET":
            etag = api.get(url, headers=bearer(matrix["a"])).headers.get("ETag") or '"1"'
        answer = _send(api, method, url, matrix["b"], _body(method, path, matrix["openapi"]), etag)
        if resource_params:
            assert answer.status_code == 404, (
                f"B's key: {method} {url} answered {answer.status_code} {answer.text}"
            )
            assert answer.headers["content-type"].startswith("application/problem+json")
            if method == "GET":  # the same address serves A: the 404 is the isolation, not a bad address
                assert api.get(url, headers=bearer(matrix["a"])).status_code == 200, f"A's key: GET {url}"
            checked += 1
        elif method == "GET":
            listed = answer.json()
            items = listed.get("items", []) if isinstance(listed, dict) else listed
            assert answer.status_code == 200 and items == [], f"B's key: GET {url} lists {items!r}"
    assert checked >= 14
    writes = {k: v for k, v in row_counts(session).items() if k != "api_key"}
    assert writes == {k: v for k, v in counts.items() if k != "api_key"}, "a refused request wrote rows"


def test_a_read_only_key_may_write_nothing(api, matrix, session):
    counts = row_counts(session)
    writes = [r for r in matrix["protected"] if r[0] in WRITES]
    assert len(writes) >= 10
    for method, path in writes:
        url = _url(path, matrix["victims"])
        answer = _send(api, method, url, matrix["read_only"], _body(method, path, matrix["openapi"]), '"1"')
        assert answer.status_code == 403, f"read-only key: {method} {url} answered {answer.status_code}"
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert row_counts(session) == counts, "a refused write wrote rows"
