"""A campaign's segment in words and its link (states/campaign_segment.py): the customer list's filters
as the reader says them, in both languages, and the list address that shows the same customers."""

from crm_app.i18n import t
from crm_app.states.campaign_segment import customers_link, segment_query, segment_summary


def summary(query: str, lang: str = "es", **kwargs) -> str:
    return segment_summary(query, lambda key, **p: t(key, lang, **p), lang, **kwargs)


def test_no_filter_is_every_customer():
    assert summary("") == "Todos los clientes"
    assert summary("sort=-created&after=abc", "en") == "All customers"


def test_each_filter_is_one_phrase_with_names_days_and_amounts():
    query = ("tags=vip,nuevo&consent=1&type=company&channel=4&created_from=2026-12-01&created_to=2026-12-04"
             "&created_by=7&min_spent=150.5&reach=none&supplier=0")
    names = {"channel:4": "Feria", "user:7": "Ana Díaz"}
    assert summary(query, names=names) == (
        "Empresa (jurídico) · Etiquetas: vip, nuevo · Aceptan correos · Canal: Feria · No proveedores · "
        "Gastaron al menos 150,50\xa0US$ · Creados del 1 dic 2026 al 4 dic 2026 · Creados por Ana Díaz · "
        "Sin teléfono ni correo con consentimiento")
    assert summary("tags=vip&consent=1&created_from=2026-12-01", "en") == (
        "Tags: vip · Accept e-mail · Created since Dec 1, 2026")


def test_an_id_without_a_name_stays_a_number():
    assert summary("channel=99&created_by=3") == "Canal: #99 · Creados por #3"


def test_the_query_keeps_only_filters_the_list_reads():
    given = "tags=vip&consent=1&sort=-name&after=zz&trash=1&bogus=1&type=alien"
    assert segment_query(given) == "tags=vip&consent=1"
    assert customers_link("consent=1&tags=vip") == "/customers?tags=vip&consent=1"
    assert customers_link("after=zz") == "/customers"
