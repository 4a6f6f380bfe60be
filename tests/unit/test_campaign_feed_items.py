"""Feed rows of e-mail campaigns (issue 15): a campaign's message names its campaign, an unsubscribe says
which address left and from which campaign; only admins get the link to the campaign's report."""

from crm_app.states.feed_items import feed_item
from tests.unit.test_feed_items import entry, reader

CAMPAIGN = {"campaign_id": 12, "campaign": "Rebajas de diciembre"}


def test_a_campaign_message_names_its_campaign_and_links_admins_to_it():
    ref = {"channel": "email", "recipient": "ana@example.com", "status": "sent", "subject": "Rebajas"}
    data = {"channel": "email", "recipient": "ana@example.com", **CAMPAIGN}
    item = feed_item(entry("message", data, ref=ref, ref_id=3), reader(is_admin=True))
    assert item.summary == "envió un correo a ana@example.com (campaña «Rebajas de diciembre») · enviado"
    assert (item.link, item.link_label) == ("/campaigns/12", "Ver la campaña Rebajas de diciembre")
    seller = feed_item(entry("message", data, ref=ref, ref_id=3), reader(is_admin=False))
    assert seller.summary == item.summary and seller.link == ""


def test_a_plain_message_says_nothing_of_campaigns():
    ref = {"channel": "email", "recipient": "ana@example.com", "status": "paused", "subject": "Hola"}
    item = feed_item(entry("message", {"channel": "email"}, ref=ref, ref_id=3), reader("en", is_admin=True))
    assert (item.summary, item.link) == ("sent an e-mail to ana@example.com · paused", "")


def test_an_unsubscribe_is_the_customers_own_doing():
    data = {"address": "ana@example.com", **CAMPAIGN}
    item = feed_item(entry("unsubscribed", data, actor_name=""), reader(is_admin=True))
    assert (item.author, item.icon) == ("El cliente", "mail_x")
    assert item.summary == "se dio de baja de los correos: ana@example.com (campaña «Rebajas de diciembre»)"
    assert item.link == "/campaigns/12"
    english = feed_item(entry("unsubscribed", {"address": "ana@example.com"}, actor_name=""), reader("en"))
    assert (english.author, english.summary, english.link) == (
        "The customer", "unsubscribed from e-mails: ana@example.com", "")
