"""The customer list's address (``/customers?q=ana&tags=vip&trash=1``) read into its filters and its
:class:`CustomerQuery`: one reading for the list page (states/customers.py) and for the export
(api/customer_export.py), so that an export holds exactly what the list shows.

:func:`read_filters` reads an address as the page does, leaving out what it cannot read (a hand-edited
link still shows a list); :func:`bad_params` names the parameters it would have left out or changed, for
a caller that must refuse them instead (the export answers 400 rather than export another selection).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from crm_app.domain.customers import CLIENT_TYPES, SORTS, SOURCES, CustomerQuery
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import iso_day

MAX_SEARCH = 100
MAX_TAGS = 10
MAX_OPTIONS = 10
MAX_CREATED_DAYS = 3660  # a created range of at most ten years: a link, not a typo of the year
REACH = ("none",)  # reach=none: no phone at all and no e-mail that accepts mail
_OPTION = re.compile(r"\d{1,12}:\d{1,12}")
_TRISTATE = ("", "1", "0")
_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")  # what amount_spent, NUMERIC(16, 2), can reach
# What each parameter holds, for the message refusing a value that does not read.
HINTS = {
    "q": f"at most {MAX_SEARCH} characters",
    "type": "one of " + ", ".join(CLIENT_TYPES),
    "tags": f"at most {MAX_TAGS} tag names separated by commas",
    "supplier": "1 or 0",
    "conflictive": "1 or 0",
    "channel": "a channel id",
    "consent": "1 or 0",
    "option": f"<field id>:<option id> pairs separated by commas, one per field, at most {MAX_OPTIONS}",
    "account": "an account id",
    "bought_since": "a day, YYYY-MM-DD: customers whose last purchase is on or after it",
    "lapsed_since": "a day, YYYY-MM-DD: customers who bought, but not on or after it",
    "min_spent": "an amount such as 150 or 150.50 (a point before at most 2 decimals)",
    "created_from": "a day, YYYY-MM-DD: customers created on or after it (the organization's days)",
    "created_to": "a day, YYYY-MM-DD, not before created_from: customers created on or before it",
    "created_by": "a user id",
    "source": "one of " + ", ".join(SOURCES),
    "reach": "none: customers with no phone and no e-mail that accepts mail",
    "sort": "one of " + ", ".join(SORTS),
    "trash": "1 or 0",
}
PARAMS = tuple(HINTS)


@dataclass(frozen=True)
class ListFilters:
    """The list's search, filters, sort and trash, as the address spells them."""

    search: str = ""
    client_type: str = ""
    tags: tuple[str, ...] = ()
    supplier: str = ""  # "1" | "0" | "" (either)
    conflictive: str = ""
    channel: str = ""  # a channel id
    consent: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (custom field id, option id), one per field
    account: str = ""  # an account id: its members only
    bought_since: str = ""  # YYYY-MM-DD
    lapsed_since: str = ""  # YYYY-MM-DD
    min_spent: str = ""  # "150.50"
    created_from: str = ""  # YYYY-MM-DD, a local day of the organization
    created_to: str = ""  # YYYY-MM-DD, included
    created_by: str = ""  # a user id
    source: str = ""  # one of SOURCES
    reach: str = ""  # "none" | ""
    sort: str = "name"
    trash: bool = False

    @property
    def option(self) -> str:
        return ",".join(f"{f}:{o}" for f, o in self.options)

    def params(self) -> dict[str, str]:
        """The address's parameters; empty ones are left out of a link (states/list_query.list_url)."""
        return {
            "q": self.search,
            "type": self.client_type,
            "tags": ",".join(self.tags),
            "supplier": self.supplier,
            "conflictive": self.conflictive,
            "channel": self.channel,
            "consent": self.consent,
            "option": self.option,
            "account": self.account,
            "bought_since": self.bought_since,
            "lapsed_since": self.lapsed_since,
            "min_spent": self.min_spent,
            "created_from": self.created_from,
            "created_to": self.created_to,
            "created_by": self.created_by,
            "source": self.source,
            "reach": self.reach,
            "sort": "" if self.sort == "name" else self.sort,
            "trash": "1" if self.trash else "",
        }

    def query(self, *, after: str = "", limit: int = 50) -> CustomerQuery:
        return CustomerQuery(
            search=self.search,
            client_type=self.client_type,
            tags=self.tags,
            supplier=_tristate(self.supplier),
            conflictive=_tristate(self.conflictive),
            channel_id=int(self.channel) if self.channel else None,
            accepts_email=_tristate(self.consent),
            options=tuple((int(f), int(o)) for f, o in self.options),
            account_id=int(self.account) if self.account else None,
            bought_since=date.fromisoformat(self.bought_since) if self.bought_since else None,
            lapsed_since=date.fromisoformat(self.lapsed_since) if self.lapsed_since else None,
            min_spent=Decimal(self.min_spent) if self.min_spent else None,
            created_from=date.fromisoformat(self.created_from) if self.created_from else None,
            created_to=date.fromisoformat(self.created_to) if self.created_to else None,
            created_by=int(self.created_by) if self.created_by else None,
            source=self.source,
            unreachable=self.reach == "none",
            sort=self.sort,
            trash=self.trash,
            after=after,
            limit=limit,
        )


def _tristate(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


# A day of the address: ``YYYY-MM-DD`` if it is a real day, else "" (shared with the document lists).
read_day = iso_day


def read_amount(raw: str) -> str:
    """An amount as the address spells it ("150", "150.50"), else ""."""
    return raw if _AMOUNT.fullmatch(raw) else ""


def read_options(raw: str) -> tuple[tuple[str, str], ...]:
    """``"<field id>:<option id>,..."``: one option per field (the first), ten fields at most."""
    chosen: dict[str, str] = {}
    for pair in raw.split(",")[:MAX_OPTIONS]:
        if _OPTION.fullmatch(pair) and all(parse_id(part) for part in pair.split(":")):
            field_id, option_id = pair.split(":")
            chosen.setdefault(field_id, option_id)
    return tuple(chosen.items())


def read_created(params: Mapping[str, str]) -> dict[str, str]:
    """The created range's days: a day that does not read is left out, and so is an end before the start
    or more than ten years after it (the list would be empty, or the link mistyped)."""
    start, end = read_day(params.get("created_from", "")), read_day(params.get("created_to", ""))
    if start and end and not (date.fromisoformat(start) <= date.fromisoformat(end)
                              <= date.fromisoformat(start) + timedelta(days=MAX_CREATED_DAYS)):
        end = ""
    return {"created_from": start, "created_to": end}


def read_filters(params: Mapping[str, str]) -> ListFilters:
    """The list the address asks for; a value that does not read is left out, as the page does."""

    def pick(name: str, allowed: tuple[str, ...]) -> str:
        value = params.get(name, "")
        return value if value in allowed else ""

    return ListFilters(
        search=params.get("q", "")[:MAX_SEARCH],
        client_type=pick("type", CLIENT_TYPES),
        tags=tuple(t for t in params.get("tags", "").split(",") if t.strip())[:MAX_TAGS],
        supplier=pick("supplier", _TRISTATE),
        conflictive=pick("conflictive", _TRISTATE),
        channel=params.get("channel", "") if parse_id(params.get("channel", "")) else "",
        consent=pick("consent", _TRISTATE),
        options=read_options(str(params.get("option", ""))),
        account=params.get("account", "") if parse_id(params.get("account", "")) else "",
        bought_since=read_day(params.get("bought_since", "")),
        lapsed_since=read_day(params.get("lapsed_since", "")),
        min_spent=read_amount(params.get("min_spent", "")),
        **read_created(params),
        created_by=params.get("created_by", "") if parse_id(params.get("created_by", "")) else "",
        source=pick("source", SOURCES),
        reach=pick("reach", REACH),
        sort=params.get("sort", "name") if params.get("sort") in SORTS else "name",
        trash=params.get("trash") == "1",
    )


# ``ids=1,2,3``: the customers ticked on the list, for the export of a selection. Not one of the list's
# filters (PARAMS): a segment, the API's list or a bulk action's "all that match" never reads it, so it
# can never narrow (or be mistaken for) what they select.
MAX_IDS = 100  # one page of the list
IDS_HINT = f"at most {MAX_IDS} customer ids separated by commas"


def read_ids(raw: str) -> tuple[int, ...] | None:
    """The ids of ``ids=1,2,3`` (each once, in the given order), or None when a part is no id or there
    are more than MAX_IDS."""
    parts = [part.strip() for part in (raw or "").split(",") if part.strip()]
    ids = [parse_id(part) for part in parts]
    if not ids or len(ids) > MAX_IDS or None in ids:
        return None
    return tuple(dict.fromkeys(ids))


def bad_params(params: Mapping[str, str]) -> dict[str, str]:
    """{parameter: what it should hold} for each given parameter that :func:`read_filters` would leave
    out or read otherwise; empty when the address reads exactly as given."""
    read = read_filters(params).params()
    read["sort"] = read["sort"] or "name"
    bad = {}
    for name in PARAMS:
        given = params.get(name, "")
        if not given or given == read[name] or (name == "trash" and given == "0"):
            continue
        if name == "tags" and ",".join(t for t in given.split(",") if t.strip()) == read[name]:
            continue  # an empty item between commas ("vip,,nuevo") is no tag
        bad[name] = HINTS[name]
    return bad
