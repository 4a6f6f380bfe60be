"""The unsubscribe link through the real FastAPI app: a GET only asks (a mail scanner following links
unsubscribes nobody), in the organization's language; the page's button or the mail client's RFC 8058
one-click POST unsubscribes; a token that is not ours is a 404; nothing is cached."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from crm_app.models import CustomerEmail, Organization
from tests.campaign_factories import campaign_shop, messages, started
from tests.services.test_campaign_delivery import token_of

URL = "/api/unsubscribe/{token}"


def consent(session, address: str) -> bool:
    session.expire_all()
    query = select(CustomerEmail.accepts_email).where(CustomerEmail.address == address)
    return session.execute(query).scalar_one()


@pytest.fixture
def shop(session):
    return campaign_shop(session)


def test_a_get_only_asks_and_a_one_click_post_unsubscribes(api_client, session, db_url, shop):
    admin, tpl = shop
    token = token_of(messages(session, started(session, db_url, admin, tpl))[0])
    page = api_client.get(URL.format(token=token))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert '<html lang="es">' in page.text and "Darme de baja" in page.text
    assert "a***@example.com" in page.text
    assert consent(session, "ana@example.com") is True  # only asked
    done = api_client.post(URL.format(token=token), data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "ya no recibirá correos" in done.text
    assert consent(session, "ana@example.com") is False
    again = api_client.post(URL.format(token=token), data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and "ya se había dado de baja" in again.text
    assert "ya se había dado de baja" in api_client.get(URL.format(token=token)).text


def test_the_page_speaks_the_organizations_language(api_client, session, db_url, shop):
    admin, tpl = shop
    session.execute(update(Organization).where(Organization.id == admin.organization_id)
                    .values(language="en"))
    session.commit()
    token = token_of(messages(session, started(session, db_url, admin, tpl))[0])
    page = api_client.get(URL.format(token=token))
    assert '<html lang="en">' in page.text and "Unsubscribe me" in page.text


def test_a_token_that_is_not_ours_is_not_found(api_client, session, db_url, shop):
    admin, tpl = shop
    token = token_of(messages(session, started(session, db_url, admin, tpl))[0])
    recipient_id, _, signature = token.partition(".")
    other_last = "B" if signature.endswith("A") else "A"  # a changed signature, never the real one
    forged = [f"{int(recipient_id) + 1}.{signature}", f"{recipient_id}.{signature[:-1]}{other_last}",
              "1", "x.y"]
    for bad in forged:
        assert api_client.post(URL.format(token=bad)).status_code == 404
        assert api_client.get(URL.format(token=bad)).status_code == 404
    assert consent(session, "ana@example.com") is True
