"""A campaign's segment in words: the customer list's filters (``tags=vip&consent=1``) as a reader says
them ("Etiquetas: vip · Aceptan correos"), and the link to see that list.

Pure: the state resolves the ids the address holds (channel, user, account) into ``names`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from crm_app.domain.customer_list_params import ListFilters, read_filters
from crm_app.domain.local_time import local_date
from crm_app.domain.locale_format import format_money

Translate = Callable[..., str]
# The parameters a segment keeps: the list's filters, not its sort, page or trash.
NOT_FILTERS = ("sort", "after", "trash")


def segment_filters(query: str) -> ListFilters:
    """The filters of a list address's query (what the list page would read from it)."""
    return read_filters(dict(parse_qsl(query or "", keep_blank_values=False)))


def segment_query(query: str) -> str:
    """The query reduced to the filters the list reads, in the list's own spelling (a hand-edited
    address keeps only what reads, as on the list)."""
    params = segment_filters(query).params()
    return urlencode({k: v for k, v in params.items() if v and k not in NOT_FILTERS})


def customers_link(query: str) -> str:
    """The customer list showing the segment."""
    query = segment_query(query)
    return "/customers" + (f"?{query}" if query else "")


def _day(raw: str, lang: str) -> str:
    return local_date(date.fromisoformat(raw), lang)


def _created(f: ListFilters, tr: Translate, lang: str) -> str:
    start, end = (_day(d, lang) if d else "" for d in (f.created_from, f.created_to))
    if start and end:
        return tr("campaign_seg_created_between", start=start, end=end)
    if start or end:
        return tr("campaign_seg_created_from", day=start) if start else tr("campaign_seg_created_to", day=end)
    return ""


def _yes_no(key: str, value: str, tr: Translate) -> str:
    """A filter that is "1", "0" or "" (either)."""
    return tr(f"{key}_{'yes' if value == '1' else 'no'}") if value else ""


def segment_summary(query: str, tr: Translate, lang: str, *, names: Mapping[str, str] | None = None,
                    currency: str = "USD", country: str = "") -> str:
    """The segment's filters, one phrase each, joined by " · "; "All customers" for none.

    ``names`` maps ``channel:<id>``, ``user:<id>`` and ``account:<id>`` to what to call them."""
    f, names = segment_filters(query), names or {}

    def named(kind: str, value: str) -> str:
        return names.get(f"{kind}:{value}", f"#{value}")

    def day(raw: str) -> str:
        return _day(raw, lang)

    parts = [
        tr("campaign_seg_search", text=f.search) if f.search else "",
        tr(f"client_type_{f.client_type}") if f.client_type else "",
        tr("campaign_seg_tags", tags=", ".join(f.tags)) if f.tags else "",
        _yes_no("campaign_seg_consent", f.consent, tr),
        tr("campaign_seg_channel", name=named("channel", f.channel)) if f.channel else "",
        tr("campaign_seg_source", source=tr(f"source_{f.source}")) if f.source else "",
        _yes_no("campaign_seg_supplier", f.supplier, tr),
        _yes_no("campaign_seg_conflictive", f.conflictive, tr),
        tr("campaign_seg_account", name=named("account", f.account)) if f.account else "",
        tr("campaign_seg_options", count=len(f.options)) if f.options else "",
        tr("campaign_seg_bought_since", day=day(f.bought_since)) if f.bought_since else "",
        tr("campaign_seg_lapsed_since", day=day(f.lapsed_since)) if f.lapsed_since else "",
        tr("campaign_seg_min_spent", amount=format_money(Decimal(f.min_spent), currency, lang, country))
        if f.min_spent else "",
        _created(f, tr, lang),
        tr("campaign_seg_created_by", name=named("user", f.created_by)) if f.created_by else "",
        tr("campaign_seg_reach_none") if f.reach else "",
    ]
    return " · ".join(p for p in parts if p) or tr("campaign_seg_everyone")
