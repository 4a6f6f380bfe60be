"""The customers tile: new customers per bucket over the range against the previous period, and the
range's split by client type, acquisition channel, source and tag (the ten biggest), each figure a link
to the customer list filtered the same way."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.panel import Count, CustomersTile, PanelRange, Point, bucket_label
from crm_app.i18n import t
from crm_app.models import AcquisitionChannel, Tag
from crm_app.models.customer import CLIENT_TYPES
from crm_app.services.panel.context import Reader, href, reader
from crm_app.services.panel.counts import range_counts, summary_of

SPLITS = ("type", "channel", "source", "tag")
TOP_TAGS = 10


def _by_bucket(rng: PanelRange, per_day: Counter) -> list[int]:
    totals: Counter = Counter()
    for day, count in per_day.items():
        if rng.start <= day <= rng.end:
            totals[rng.bucket_of(day)] += count
    return [totals[first] for first in rng.buckets()]


def _names(session: Session, model, org_id: int, ids: set[str]) -> dict[str, str]:
    wanted = [int(i) for i in ids if i.isdigit()]
    if not wanted:
        return {}
    rows = session.execute(select(model.id, model.name).where(model.organization_id == org_id,
                                                             model.id.in_(wanted)))
    return {str(row_id): name for row_id, name in rows}


def _split(per_key: dict[tuple[str, str], int], dimension: str) -> list[tuple[str, int]]:
    """The dimension's keys, biggest first (ties by key, so the order is stable)."""
    found = [(key, count) for (dim, key), count in per_key.items() if dim == dimension and count]
    return sorted(found, key=lambda item: (-item[1], item[0]))


def customers(*, session: Session, actor: Actor, rng: PanelRange) -> CustomersTile:
    who = reader(session, actor)
    summary = summary_of(session, who.organization_id)
    now = range_counts(session, who, rng.start, rng.end, SPLITS, summary=summary)
    before = range_counts(session, who, rng.previous.start, rng.previous.end, summary=summary)
    current, previous = _by_bucket(rng, now.per_day), _by_bucket(rng.previous, before.per_day)
    series = tuple(
        Point(bucket=first, label=bucket_label(first, rng.bucket, who.lang), count=count,
              previous=previous[i] if i < len(previous) else 0)
        for i, (first, count) in enumerate(zip(rng.buckets(), current, strict=True)))
    # Newest first: a created range is then a walk of the creation index, whatever else is filtered.
    listed = {"created_from": rng.start, "created_to": rng.end, "sort": "-created"}
    return CustomersTile(
        total=sum(current), previous_total=sum(previous), series=series,
        by_type=_types(now.per_key, who, listed),
        by_channel=_channels(session, now.per_key, who, listed),
        by_source=tuple(
            Count(key, t(f"source_{key}", who.lang), count, href("/customers", **listed, source=key))
            for key, count in _split(now.per_key, "source")),
        by_tag=_tags(session, now.per_key, who, listed),
        href=href("/customers", **listed),
        as_of=summary.refreshed_at if summary is not None else None,
    )


def _types(per_key, who: Reader, listed: dict) -> tuple[Count, ...]:
    counts = dict(_split(per_key, "type"))
    return tuple(Count(kind, t(f"client_type_{kind}", who.lang), counts.get(kind, 0),
                       href("/customers", **listed, type=kind)) for kind in CLIENT_TYPES)


def _channels(session: Session, per_key, who: Reader, listed: dict) -> tuple[Count, ...]:
    found = _split(per_key, "channel")
    names = _names(session, AcquisitionChannel, who.organization_id, {key for key, _ in found})
    # Customers without a channel: no list filter says "none", so that figure links nowhere.
    return tuple(
        Count(key, names.get(key, t("pdata_no_channel", who.lang)), count,
              href("/customers", **listed, channel=key) if key in names else "")
        for key, count in found if key == "" or key in names)


def _tags(session: Session, per_key, who: Reader, listed: dict) -> tuple[Count, ...]:
    found = _split(per_key, "tag")
    names = _names(session, Tag, who.organization_id, {key for key, _ in found[: TOP_TAGS * 2]})
    kept = [(key, count) for key, count in found if key in names][:TOP_TAGS]
    return tuple(Count(key, names[key], count, href("/customers", **listed, tags=names[key]))
                 for key, count in kept)
