"""POST /api/v1/forms/<public key> through the whole app: JSON, urlencoded and multipart bodies; CORS
only for the form's origins (preflight and answer); a refused origin stores nothing; problems per field
in the visitor's language; the honeypot answered as accepted; 429 with Retry-After; 404 for an unknown
or disabled form; the no-script HTML answer."""

from __future__ import annotations

from sqlalchemy import func, select

from crm_app.models import Lead
from crm_app.services import web_forms
from crm_app.services.web_forms import FormDraft
from tests.db import run_like_app
from tests.factories import make_org

ORIGIN = "https://shop.example.com"


def setup_form(session, **fields):
    org, admin = make_org(session, "Web")
    draft = FormDraft(**{"name": "Contacto", "allowed_origins": f"{ORIGIN}\nhttp://localhost:8123", **fields})
    return org, run_like_app(session, web_forms.create_form, actor=admin, draft=draft)


def leads(session, org_id):
    session.expire_all()
    query = select(func.count()).select_from(Lead).where(Lead.organization_id == org_id)
    return session.execute(query).scalar_one()


def url(form):
    return f"/api/v1/forms/{form.public_key}"


def test_preflight_answers_only_the_forms_origins(api, session):
    _, form = setup_form(session)
    ok = api.options(url(form), headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "content-type"})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "content-type" in ok.headers["access-control-allow-headers"].lower()
    refused = api.options(url(form), headers={"Origin": "https://evil.example",
                                              "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers


def test_json_post_from_an_allowed_origin_makes_a_lead(api, session):
    org, form = setup_form(session)
    answer = api.post(url(form), json={"name": "Ana Vera", "email": "ana@example.com", "consent": True},
                      headers={"Origin": ORIGIN})
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"status": "received"}
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    assert leads(session, org.id) == 1


def test_another_origin_is_refused_and_nothing_stored(api, session):
    org, form = setup_form(session)
    answer = api.post(url(form), data={"name": "Ana"}, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "access-control-allow-origin" not in answer.headers
    assert leads(session, org.id) == 0


def test_urlencoded_and_multipart_bodies(api, session):
    org, form = setup_form(session)
    assert api.post(url(form), data={"name": "Uno", "phone": "0991234567"}).status_code == 201
    multipart = {"name": (None, "Dos"), "email": (None, "dos@example.com")}
    assert api.post(url(form), files=multipart).status_code == 201
    assert leads(session, org.id) == 2


def test_errors_per_field_in_the_visitors_language(api, session):
    org, form = setup_form(session)
    answer = api.post(url(form), json={"name": "", "email": "nope"},
                      headers={"Origin": ORIGIN, "Accept-Language": "en-US,en;q=0.9"})
    assert answer.status_code == 422
    body = answer.json()
    paths = {e["path"]: e["detail"] for e in body["errors"]}
    assert set(paths) >= {"name", "email"}
    assert paths["name"] == "This field is required."
    assert answer.headers["access-control-allow-origin"] == ORIGIN  # the page's script can read why
    assert leads(session, org.id) == 0


def test_honeypot_is_answered_as_accepted(api, session):
    org, form = setup_form(session)
    answer = api.post(url(form), data={"name": "Bot", "website": "http://spam.example"})
    assert answer.status_code == 201 and answer.json() == {"status": "received"}
    assert leads(session, org.id) == 0


def test_rate_limit_answers_429_with_retry_after(api, session, monkeypatch):
    org, form = setup_form(session)
    monkeypatch.setattr(web_forms, "RATE_LIMIT", 2)
    for name in ("Uno", "Dos"):
        assert api.post(url(form), data={"name": name}).status_code == 201
    limited = api.post(url(form), data={"name": "Tres"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert leads(session, org.id) == 2


def test_unknown_or_disabled_form_is_404(api, session):
    _, form = setup_form(session)
    assert api.post("/api/v1/forms/wf_nothing", data={"name": "x"}).status_code == 404
    org_admin = session.get(web_forms.WebForm, form.id)
    org_admin.disabled_at = web_forms.utcnow()
    session.commit()
    answer = api.post(url(form), data={"name": "x"})
    assert answer.status_code == 404 and answer.json()["code"] == "webform_not_found"


def test_a_plain_html_post_gets_a_thank_you_page(api, session):
    org, form = setup_form(session)
    answer = api.post(url(form), data={"name": "Sin Script"},
                      headers={"Accept": "text/html,application/xhtml+xml", "Origin": ORIGIN,
                               "Referer": f"{ORIGIN}/contacto", "Accept-Language": "es"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "¡Gracias!" in answer.text and f'href="{ORIGIN}/contacto"' in answer.text
    refused = api.post(url(form), data={"name": ""}, headers={"Accept": "text/html"})
    assert refused.status_code == 422 and "obligatorio" in refused.text
    assert leads(session, org.id) == 1
