"""The customer list's filters that sit in a dialog ("Más filtros" on a wide screen, "Filtros" on a
phone), said in words on chips above the list: "Proveedor: Sí", "Sucursal: Norte", "Gastó al menos:
$150,00". The list then says what narrows it without the dialog being opened; each chip's remove button
clears its own filter (``param``: an address parameter of states/customers.MORE_FILTERS, or
"option:<field id>" for one choice field).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm_app.domain import local_time
from crm_app.states.feed_items import Reader

# Address parameters; each is labelled as its control in the dialog, "filter_<param>".
_YES_NO = ("supplier", "conflictive", "consent")
_DAYS = ("bought_since", "lapsed_since")


@dataclass(frozen=True)
class ChoiceNames:
    """A choice field as its filter names it: its label and its options' labels by id."""

    label: str
    options: Mapping[str, str]


def more_filter_chips(values: Mapping[str, str], chosen: Mapping[str, str], *, reader: Reader,
                      channels: Mapping[str, str], choices: Mapping[str, ChoiceNames]) -> list[list[str]]:
    """[[param, label], ...] for the set filters among ``values`` (the address's, by parameter) and
    ``chosen`` (option id by choice field id); ``channels`` and ``choices`` name what the ids point to."""
    def chip(param: str, value: str) -> list[str]:
        return [param, f"{reader.tr(f'filter_{param}')}: {value}"]

    chips = [chip(param, reader.tr("yes" if values[param] == "1" else "no"))
             for param in _YES_NO if values.get(param)]
    if values.get("channel"):  # a channel removed since reads as what the address holds
        chips.append(chip("channel", channels.get(values["channel"], values["channel"])))
    for field_id, option_id in chosen.items():
        names = choices.get(field_id)
        if option_id and names is not None:
            chips.append([f"option:{field_id}", f"{names.label}: {names.options.get(option_id, option_id)}"])
    for param in _DAYS:
        if values.get(param):
            day = date.fromisoformat(values[param])
            chips.append(chip(param, local_time.local_date(day, reader.lang)))
    if values.get("min_spent"):
        chips.append(chip("min_spent", reader.money(Decimal(values["min_spent"]), reader.currency)))
    return chips
