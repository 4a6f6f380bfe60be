"""The customer list: search, filters and keyset pages that stay fast at a million customers.

Rows come in (sort_name, id) or (created_at, id) order, ascending or descending, or (amount_spent, id)
or (last_purchase_at, id) descending, ``limit + 1`` at a time (the extra row says whether there is a
next page); the cursor holds the last row's key. By last purchase, the customers who bought come first
and those who never did after them (by id, newest first): backend.find pages through the two parts
one after the other, each an explicit condition, since SQLite and PostgreSQL put NULLs at opposite
ends of an index. There is
no OFFSET and no count of all matches. The trap at a million rows: a common term ("ma") matches
300,000 customers, which must not be sorted; a rare one matches 5, which must not be looked for by
reading the whole name index; and search terms *cluster* in name order (every "Ferretería ..." sits
under F, every "Ximena ..." under X), so even a medium term can sit behind 900,000 rows. So the plan is
chosen per request, cheapest first, each one able to give up early:

1. **ordered index scan** (SQLite, search sorted by name) - the FTS5 table's rowid is the customer's
   *name key* (first 7 characters of the sort name, order-preserving, then the id), so matches come
   out of the trigram index already in name order from the cursor on. Once a page of matches is seen,
   the groups before the last row's are complete and the last row's group (same 7 characters) is
   finished from the index if it has few more matches, else by walking the name index over its
   range. Cost ~ one page whether the term matches 5 or 300,000 customers; filters rejecting most
   matches make it read on, so it gives up after ``SCAN_BUDGET`` index rows and comes back last,
   unbounded (still never reading a non-matching row).
2. **candidates** - a *driver* (the trigram index for the search terms, the trash, the smallest tag, a
   flag's or a channel's index, a name/tax-ID prefix) lists the ids it matches, up to its cap. Fewer
   than the cap is the complete candidate set: those rows are read by primary key, filtered, sorted and
   cut at the cursor in one query - a few thousand rows at most, whatever the table size.
3. **walk** - read a keyset index in order from the cursor (by name: the type's or a flag's own index
   when filtered on them; by creation: the creation index) testing each row with plain expressions
   (``instr``/``strpos``, not the trigram index) until a page is full. Cost ~ page size / share of rows
   that match: a common term ("ma", "0991") fills a page within a few hundred rows and its 300,000
   matches are never sorted. First tried on a bounded window (``WALK_WINDOW`` index rows), and run
   unbounded only when nothing else applies.

Every plan returns the same rows in the same order (the tests force each one).

The plan is built in plan.py; sqlite.py and postgresql.py choose among the plans in their own
order (each module's docstring says which), behind backend.find; sql.py and candidates.py hold what
both share, limits.py every budget.

Both dialects' search structures are created by migration 0002 (SQLite: FTS5 ``customer_fts``,
PostgreSQL: ``ix_customer_search_trgm``); 0008 adds the facets to PostgreSQL's, 0009 the split.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session

from crm_app.domain.customers import (
    CLIENT_TYPES,
    MAX_PAGE,
    SORTS,
    SOURCES,
    CustomerPage,
    CustomerQuery,
    CustomerRow,
)
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.phones import format_phone
from crm_app.domain.search_text import normalize, parse_query
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import Organization, Tag
from crm_app.services.customer_search import backend, limits
from crm_app.services.customer_search.cursor import decode_cursor, encode_cursor
from crm_app.services.customer_search.plan import build_plan
from crm_app.services.customer_search.sql import among

__all__ = ["decode_cursor", "encode_cursor", "search", "search_ids"]

SPENT_CAP = Decimal(10) ** 14  # amount_spent is NUMERIC(16, 2)


def _validate(query: CustomerQuery) -> None:
    errors: dict[str, FieldError] = {}
    if query.sort not in SORTS:
        errors["sort"] = FieldError("sort_invalid")
    if query.client_type and query.client_type not in CLIENT_TYPES:
        errors["client_type"] = FieldError("client_type_invalid", client_type=query.client_type)
    if any(type(f) is not int or type(o) is not int for f, o in query.options):
        errors["options"] = FieldError("option_invalid")
    spent = query.min_spent
    if spent is not None and not (isinstance(spent, Decimal) and spent.is_finite()
                                  and 0 <= spent < SPENT_CAP):
        errors["min_spent"] = FieldError("min_spent_invalid")
    for name in ("bought_since", "lapsed_since", "created_from", "created_to"):
        day = getattr(query, name)
        if day is not None and not isinstance(day, date):
            errors[name] = FieldError("date_invalid")
    if query.created_by is not None and type(query.created_by) is not int:
        errors["created_by"] = FieldError("listf_created_by_invalid")
    if query.source and query.source not in SOURCES:
        errors["source"] = FieldError("listf_source_invalid")
    if errors:
        raise ValidationFailed(errors)


def _tag_ids(session: Session, organization_id: int, names: tuple[str, ...]) -> list[int] | None:
    """Ids of the named tags, smallest first, or None when one does not exist (nothing can match)."""
    keys = sorted({normalize(n) for n in names if normalize(n)})
    if not keys:
        return []
    found = dict(
        session.execute(
            select(Tag.normalized, Tag.id).where(
                Tag.organization_id == organization_id, Tag.normalized.in_(keys)
            )
        ).all()
    )
    if len(found) != len(keys):
        return None
    ids = [found[k] for k in keys]
    if len(ids) > 1:  # counted on the index only, up to a cap

        def size(tag_id: int) -> int:
            return session.execute(
                text(
                    "SELECT count(*) FROM (SELECT 1 FROM customer_tag "
                    "WHERE organization_id = :org AND tag_id = :tag LIMIT :cap) AS capped"
                ),
                {"org": organization_id, "tag": tag_id, "cap": limits.TAG_COUNT_CAP},
            ).scalar_one()

        ids.sort(key=size)
    return ids


def search(
    session: Session, organization_id: int, country: str, query: CustomerQuery, *, force_plan: str = ""
) -> CustomerPage:
    """One page for ``query`` (see the module docstring). ``force_plan`` ("scan" | "candidates" | "walk")
    is for tests: every plan must give the same pages."""
    rows, next_cursor = _find_page(session, organization_id, query, max(1, min(int(query.limit), MAX_PAGE)),
                                   force_plan)
    return CustomerPage(rows=_to_rows(session, country, rows), next_cursor=next_cursor)


# An internal walk over every match (a bulk action's selection) reads pages this large: the ids only.
WALK_PAGE = 1000


def search_ids(
    session: Session, organization_id: int, query: CustomerQuery, *, limit: int = WALK_PAGE
) -> tuple[list[int], str]:
    """The ids of one page of ``query``'s matches, up to WALK_PAGE of them, and the cursor after them
    (the same order and cursor as :func:`search`): an internal walk over every match, without building
    the list's rows and in fewer, larger pages."""
    rows, next_cursor = _find_page(session, organization_id, query, max(1, min(int(limit), WALK_PAGE)), "")
    return [row.id for row in rows], next_cursor


def _find_page(
    session: Session, organization_id: int, query: CustomerQuery, limit: int, force_plan: str
) -> tuple[list[Any], str]:
    _validate(query)
    sort_field = query.sort.lstrip("-")
    after = decode_cursor(query.after, sort_field) if query.after else None
    tag_ids = _tag_ids(session, organization_id, query.tags)
    if tag_ids is None:
        return [], ""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # psycopg prepares a statement run 5 times; PostgreSQL then plans it once for any values, and a
        # generic plan for "LIKE $1 LIMIT n" is a sequential scan, fatal for a rare term.
        # And with no sequential scans: the planner would rather scan the table for the trigram page's
        # "LIKE ... LIMIT 20000" when it expects many matches; every plan here reads an index. One
        # statement for both (a round trip each costs more than the settings).
        session.execute(
            text(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                "set_config('enable_seqscan', 'off', true)"
            )
        )
    plan = build_plan(dialect, organization_id, query, parse_query(query.search), tag_ids,
                      _timezone(session, organization_id, query))
    rows = backend.find(session, plan, after, limit + 1, force_plan)
    next_cursor = ""
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(sort_field, getattr(last, plan.sort_column.removeprefix("c.")), last.id)
    return rows[:limit], next_cursor


def _timezone(session: Session, organization_id: int, query: CustomerQuery) -> str:
    """The organization's time zone, where the purchase and created filters' days start (its row is
    usually in the session already: the caller checked the actor's organization)."""
    if all(day is None for day in (query.bought_since, query.lapsed_since, query.created_from,
                                   query.created_to)):
        return "UTC"
    org = session.get(Organization, organization_id)
    return org.timezone if org is not None else "UTC"


@lru_cache(maxsize=16384)
def _national(e164: str, region: str) -> str:
    return format_phone(e164, "national", region) if e164 else ""


@dataclass
class _Reach:
    """A row's one-tap actions besides the call: the first phone flagged WhatsApp or SMS, the map point."""

    whatsapp: str = ""
    sms: str = ""
    map_point: str = ""


def _reach(session: Session, ids: list[Any]) -> dict[int, _Reach]:
    """One query for the page: kept out of the search's own columns, which its indexes carry."""
    reach = {i: _Reach() for i in ids}
    listed, ids_param = among(session.get_bind().dialect.name, "c.id", ids)
    for customer_id, latitude, longitude, e164, whatsapp, sms in session.execute(
        text(
            "SELECT c.id, c.latitude, c.longitude, p.e164, p.whatsapp, p.sms FROM customer c "
            "LEFT JOIN customer_phone p ON p.customer_id = c.id AND (p.whatsapp OR p.sms) "
            f"WHERE {listed} ORDER BY c.id, p.is_primary DESC, p.position"
        ),
        {"ids": ids_param},
    ):
        row = reach[customer_id]
        if latitude is not None and longitude is not None:
            row.map_point = f"{latitude},{longitude}"
        row.whatsapp = row.whatsapp or (e164 if whatsapp else "")
        row.sms = row.sms or (e164 if sms else "")
    return reach


def _to_rows(session: Session, country: str, rows: list[Any]) -> tuple[CustomerRow, ...]:
    """List rows with their tags and one-tap actions: two more queries for the whole page (the ids as one
    parameter, not 50)."""
    ids = [r.id for r in rows]
    tags: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return ()
    listed, ids_param = among(session.get_bind().dialect.name, "t.customer_id", ids)
    for customer_id, name in session.execute(
        text(
            f"SELECT t.customer_id, g.name FROM customer_tag t JOIN tag g ON g.id = t.tag_id "
            f"WHERE {listed} ORDER BY g.normalized"
        ),
        {"ids": ids_param},
    ):
        tags[customer_id].append(name)
    reach = _reach(session, ids)
    return tuple(
        CustomerRow(
            id=r.id,
            display_name=r.display_name,
            client_type=r.client_type,
            primary_phone=_national(r.primary_phone_e164, country),
            primary_email=r.primary_email,
            tax_id_formatted=format_tax_id(country, r.tax_id_type, r.tax_id or ""),
            tags=tuple(tags[r.id]),
            is_supplier=bool(r.is_supplier),
            is_conflictive=bool(r.is_conflictive),
            created_at=r.created_at,
            amount_spent=r.amount_spent,
            last_purchase_at=r.last_purchase_at,
            call_e164=r.primary_phone_e164 or "",
            whatsapp_e164=reach[r.id].whatsapp,
            sms_e164=reach[r.id].sms,
            map_point=reach[r.id].map_point,
        )
        for r in rows
    )
