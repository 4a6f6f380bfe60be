"""Every HTTP answer names its request id, the one the proxy sent when it is safe."""

from __future__ import annotations

import re

import pytest


def test_a_request_without_an_id_gets_a_fresh_one_in_the_answer(api_client):
    first = api_client.get("/api/health").headers["x-request-id"]
    second = api_client.get("/api/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != second


def test_the_proxy_s_id_is_echoed_also_on_a_refusal(api_client):
    response = api_client.get("/api/files/999999", headers={"X-Request-ID": "nginx-7f3a.42"})
    assert response.status_code >= 400
    assert response.headers["x-request-id"] == "nginx-7f3a.42"


@pytest.mark.parametrize("unsafe", ["a" * 65, "id with spaces", "x\" onload=1", "é"])
def test_an_unsafe_incoming_id_is_replaced(api_client, unsafe):
    response = api_client.get("/api/health", headers={"X-Request-ID": unsafe.encode()})
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-request-id"])
