"""The customer list's dialog filters said on chips (states/customer_filter_chips.py): each set filter in
the reader's words, what an id points to by its name, amounts and days as his locale writes them."""

from datetime import UTC, datetime
from decimal import Decimal

from crm_app.domain.locale_format import format_money
from crm_app.states.customer_filter_chips import ChoiceNames, more_filter_chips
from crm_app.states.feed_items import Reader

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def _reader(lang: str, country: str) -> Reader:
    return Reader(lang=lang, tz="America/Guayaquil", now=NOW, country=country, currency="USD", user_id=1,
                  is_admin=False)


def test_each_set_filter_in_the_readers_words():
    values = {"supplier": "1", "conflictive": "0", "channel": "4", "consent": "",
              "bought_since": "2026-11-01", "lapsed_since": "", "min_spent": "1500.5"}
    chips = more_filter_chips(values, {"7": "3", "8": ""}, reader=_reader("es", "EC"),
                              channels={"4": "Feria"},
                              choices={"7": ChoiceNames("Sucursal", {"3": "Norte"})})
    assert chips == [
        ["supplier", "Proveedor: Sí"],
        ["conflictive", "Conflictivo: No"],
        ["channel", "Canal: Feria"],
        ["option:7", "Sucursal: Norte"],
        ["bought_since", "Compró desde: 1 nov 2026"],
        ["min_spent", "Gastó al menos: " + format_money(Decimal("1500.5"), "USD", "es", "EC")],
    ]


def test_nothing_set_no_chip_and_an_unknown_id_reads_as_itself():
    assert more_filter_chips({"supplier": "", "min_spent": ""}, {}, reader=_reader("en", "US"), channels={},
                             choices={}) == []
    chips = more_filter_chips({"channel": "99", "consent": "1"}, {}, reader=_reader("en", "US"), channels={},
                              choices={})
    assert chips == [["consent", "Accepts e-mail: Yes"], ["channel", "Channel: 99"]]
