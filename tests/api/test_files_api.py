"""Downloads through the real FastAPI app of crm_app.api: sign-in, organization, headers."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from crm_app.api.files import content_disposition
from crm_app.domain.customers import CustomerInput
from crm_app.services import auth, customers, files
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org, unique_email


@pytest.fixture
def client(api_client, session, env, tmp_path) -> TestClient:
    env(CRM_FILES_DIR=str(tmp_path / "files"))
    return api_client


def signed_in_org(session, name: str):
    email = unique_email("admin")
    _, admin = make_org(session, name, admin_email=email)
    token = run_like_app(session, auth.sign_in, email=email, password=ADMIN_PASSWORD, ip="127.0.0.1").token
    return admin, token


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 120, 200)).save(out, "PNG")
    return out.getvalue()


def attach(session, actor, content: bytes, name: str):
    customer = run_like_app(session, customers.create_customer, actor=actor,
                            data=CustomerInput(client_type="person", first_name="Ana", last_name="Vera"))
    return run_like_app(session, files.store_file, actor=actor, customer_id=customer.id,
                        stream=io.BytesIO(content), filename=name)


def test_signed_in_users_of_the_organization_download_file_and_thumbnail(client, session):
    admin, token = signed_in_org(session, "A")
    content = png()
    stored = attach(session, admin, content, "Presupuesto año 2025.png")
    client.cookies.set("crm_session", token)

    response = client.get(f"/api/files/{stored.id}")
    assert response.status_code == 200 and response.content == content
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"].startswith("private")
    assert response.headers["content-disposition"] == (
        "inline; filename=\"Presupuesto ano 2025.png\"; filename*=UTF-8''Presupuesto%20a%C3%B1o%202025.png"
    )
    forced = client.get(f"/api/files/{stored.id}", params={"download": "1"})
    assert forced.headers["content-disposition"].startswith("attachment;")

    thumb = client.get(f"/api/files/{stored.id}/thumbnail")
    assert (thumb.status_code, thumb.headers["content-type"]) == (200, "image/webp")
    assert Image.open(io.BytesIO(thumb.content)).size == (64, 48)


def test_documents_are_always_downloads(client, session):
    admin, token = signed_in_org(session, "A")
    stored = attach(session, admin, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "factura.pdf")
    client.cookies.set("crm_session", token)
    response = client.get(f"/api/files/{stored.id}")
    assert response.headers["content-disposition"].startswith('attachment; filename="factura.pdf"')
    assert client.get(f"/api/files/{stored.id}/thumbnail").status_code == 404


def test_signed_out_is_401_and_another_organization_is_404_like_a_missing_file(client, session):
    admin_a, _ = signed_in_org(session, "A")
    stored = attach(session, admin_a, png(), "a.png")
    _, token_b = signed_in_org(session, "B")

    for path in (f"/api/files/{stored.id}", f"/api/files/{stored.id}/thumbnail"):
        assert client.get(path).status_code == 401
        client.cookies.set("crm_session", "forged-token")
        assert client.get(path).status_code == 401
        client.cookies.set("crm_session", token_b)
        other_org, missing = client.get(path), client.get(path.replace(str(stored.id), "999999"))
        assert (other_org.status_code, other_org.content) == (404, missing.content)
        client.cookies.clear()


def test_a_signed_out_session_no_longer_downloads(client, session):
    admin, token = signed_in_org(session, "A")
    stored = attach(session, admin, png(), "a.png")
    client.cookies.set("crm_session", token)
    assert client.get(f"/api/files/{stored.id}").status_code == 200
    run_like_app(session, auth.sign_out, token=token)
    assert client.get(f"/api/files/{stored.id}").status_code == 401


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("informe.pdf", "attachment; filename=\"informe.pdf\"; filename*=UTF-8''informe.pdf"),
        ('a"b;c.txt', "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%3Bc.txt"),
        ("фото.jpg", "attachment; filename=\"file.jpg\"; filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE.jpg"),
    ],
)
def test_content_disposition_has_an_ascii_fallback_and_the_exact_name(name, expected):
    assert content_disposition("attachment", name) == expected
