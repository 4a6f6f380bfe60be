"""The customer list: search, filters and keyset pages that stay fast at a million customers.

Rows come in (sort_name, id) or (created_at, id) order, ascending or descending, ``limit + 1`` at a
time (the extra row says whether there is a next page); the cursor holds the last row's key. There is
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

SQLite order: [trash driver] -> ordered index scan (by name) or search-index driver (by creation) ->
walk window -> candidates from the drivers (the smallest list, or the ids common to several), when
fewer than the unbounded plans are expected to read -> the scan resumed, or the unbounded walk.

PostgreSQL has no index that lists trigram matches in name order, but its keyset indexes carry the
search text and the filtered columns, tag and consent facets included (INCLUDE), so a walk reads the
index only (0.3 us a row). The trap left is the first name: "lorena" matches 7,000 customers, nearly
all of them together under "lorena ..." in name order, and a trigram index (no order) would read all
of them to sort a page. So its trigram index covers the *rest* of the search text, without the
customer's first word (``search_rest``, migration 0009), and the **split page** lists a search's
matches as the ranges of the first words its terms can overlap (``customer_first_word``; each range
read in order from the name index, a page at most) plus the trigram index's matches of the rest
(usually a few hundred), filtered and sorted in one statement. Order: [trash driver] -> the split
page when the search looks rare (an ID, a phone, an e-mail, a full name) or has a tag or consent
filter -> a walk window -> the walk goes on if it is nearly done, else the split page (the trigram
index listing up to ``GIN_CAP``) -> the unbounded walk. The GIN index also holds the customer's tag
ids and e-mail consent (``search_facets``, kept by triggers), so a term with a tag or the consent
filter is intersected in the index and only the rows having both are read.

Both dialects' search structures are created by migration 0002 (SQLite: FTS5 ``customer_fts``,
PostgreSQL: ``ix_customer_search_trgm``); 0008 adds the facets to PostgreSQL's, 0009 the split.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, bindparam, select, text
from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES, MAX_PAGE, SORTS, CustomerPage, CustomerQuery, CustomerRow
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.phones import format_phone
from crm_app.domain.search_text import (
    CONSENT_FACET,
    MIN_TRIGRAM,
    NAME_KEY_ID_BITS,
    NAME_KEY_ID_MASK,
    WORD,
    SearchTerms,
    name_code,
    name_code_range,
    name_key_group,
    normalize,
    first_word_patterns,
    parse_query,
)
from crm_app.domain.tax_ids import format_tax_id
from crm_app.models import Tag
from crm_app.models.types import UTCDateTime

# Candidates: a driver listing at most this many ids at once gives the complete candidate set.
PROBE_LIMIT = 2_000
# The walk first reads at most this many index rows (then candidates, then the unbounded walk).
WALK_WINDOW = 2_500
# The ordered index scan reads the index in batches (the first one at least SCAN_BATCH) and gives up
# after SCAN_BUDGET index rows the first time round.
SCAN_BATCH = 64
SCAN_BUDGET = 4_000
# The page's last name-key group is finished from the index when it has fewer further matches than
# this, else by walking the name index over the group's range.
GROUP_READ = 400
# When the bounded plans give up: candidates from drivers listing at most these many ids (and fewer
# than the unbounded plans are expected to read).
CANDIDATE_CAP = 40_000
CANDIDATE_SEARCH_CAP = 20_000
# PostgreSQL: the trigram index's matches (of the rest, see _split_page) read back and sorted in one
# query, when at most this many; but a walk expected to read at most PG_WALK_ON more index rows (0.3 us
# each, index-only) just goes on. Past the cap only the unbounded walk is left (up to 860,000 index
# rows when a filter rejects every match); reading 20,000 rows back costs far less than that walk.
GIN_CAP = 20_000
# 10,000 rather than 100,000: matches are not spread evenly over the name order (a window over the
# "a" names finds many "mamani pena"), so the extrapolation undercounts; the walk then read 300,000
# rows (80-130 ms) where the trigram index listed those 171 customers in 10 ms.
PG_WALK_ON = 10_000
# 5,000 rather than 20,000: since the split page answers first names in a few ms, a longer window
# mostly read index pages (20,000 rows are 470 pages of 8 KB) before handing over to it.
PG_WALK_WINDOW = 5_000
# A driver listing at most this many ids, and at most NARROW_RATIO times as many as the lead driver,
# narrows down the lead's candidates (intersected in the database).
INTERSECT_CAP = 200_000
NARROW_RATIO = 4
# Several tags: the one with fewest customers (counted up to this) drives the candidates.
TAG_COUNT_CAP = 50_000

_ROW_COLUMNS = (
    "c.id, c.display_name, c.client_type, c.primary_phone_e164, c.primary_email, c.tax_id_type, "
    "c.tax_id, c.is_supplier, c.is_conflictive, c.created_at, c.sort_name"
)
# What the walk's window passes on: the list columns and those the conditions test.
_WALK_COLUMNS = _ROW_COLUMNS + ", c.organization_id, c.deleted_at, c.search_text, c.channel_id"
_TYPED_COLUMNS = {"is_supplier": Boolean(), "is_conflictive": Boolean(), "created_at": UTCDateTime()}


# --------------------------------------------------------------------------- cursor


def encode_cursor(sort: str, key: str | datetime, row_id: int) -> str:
    """Opaque cursor: base64url of {"s": sort field, "k": key, "i": id} (JSON), without padding."""
    value = key.astimezone(timezone.utc).isoformat() if isinstance(key, datetime) else key
    raw = json.dumps({"s": sort, "k": value, "i": row_id}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[str | datetime, int]:
    """(key, id) of a cursor made by :func:`encode_cursor` for the same sort field; else ValidationFailed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
        key, row_id = data["k"], data["i"]
        if data["s"] != sort or not isinstance(key, str) or type(row_id) is not int or len(key) > 400:
            raise ValueError(cursor)
        if sort == "created":
            parsed = datetime.fromisoformat(key)
            if parsed.tzinfo is None:
                raise ValueError(cursor)
            return parsed.astimezone(timezone.utc), row_id
        return key, row_id
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationFailed({"after": FieldError("cursor_invalid")}) from None


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class _Driver:
    """An indexed list of the ids a query can match (a superset: every term is applied afterwards)."""

    name: str
    sql: str
    params: dict[str, Any]
    cap: int


@dataclass
class _Plan:
    dialect: str
    organization_id: int
    sort_field: str  # "name" | "created"
    descending: bool
    trash: bool
    terms: list[str] = field(default_factory=list)  # every condition, as plain row-by-row expressions
    index_terms: list[str] = field(default_factory=list)  # those the walk's index answers itself
    params: dict[str, Any] = field(default_factory=dict)
    drivers: list[_Driver] = field(default_factory=list)
    fts_match: str = ""  # SQLite: FTS5 query of the long terms, for the ordered index scan
    # PostgreSQL (see _split_page): the LIKE patterns of the long terms for the trigram index of the
    # rest, and of the first words they can overlap.
    rest_likes: list[str] = field(default_factory=list)
    word_patterns: list[str] = field(default_factory=list)
    rare: bool = False  # the search terms look like they match few customers
    walk_index: str = ""  # SQLite: the index the walk reads ("" = let the planner choose)
    columns: set[str] = field(default_factory=set)  # columns the non-index terms test (PostgreSQL walk)
    facets: list[int] = field(default_factory=list)  # PostgreSQL: search_facets the rows must hold
    facets_term: str = ""  # PostgreSQL: the condition that the row's search_facets hold ``facets``
    id_terms: list[str] = field(default_factory=list)  # the terms (of ``terms``) testing only ``c.id``

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def id_term(self, term: str) -> None:
        """A term that tests only the customer's id (``c.id``): candidates are filtered by it before
        their rows are read (see _candidates)."""
        self.terms.append(term)
        self.id_terms.append(term)

    def contains(self, haystack: str, needle: str) -> str:
        function = "instr" if self.dialect == "sqlite" else "strpos"
        return f"{function}({haystack}, {self.param(needle)}) > 0"

    def flag(self, column: str, wanted: bool = True) -> str:
        # Literals, not parameters, so that the partial indexes' conditions are provably implied.
        if self.dialect == "sqlite":
            return f"{column} = {int(wanted)}"
        return column if wanted else f"NOT {column}"

    def driver(self, name: str, sql: str, **params: Any) -> None:
        self.drivers.append(
            _Driver(name, sql + " LIMIT :cap", {**params, "cap": PROBE_LIMIT + 1}, PROBE_LIMIT)
        )


def _next_string(prefix: str) -> str:
    """Smallest string greater than every string starting with ``prefix`` (for a range scan)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _plan(
    dialect: str, organization_id: int, query: CustomerQuery, terms: SearchTerms, tag_ids: list[int]
) -> _Plan:
    sort_field = query.sort.lstrip("-")
    plan = _Plan(
        dialect=dialect,
        organization_id=organization_id,
        sort_field=sort_field,
        descending=query.sort.startswith("-"),
        trash=query.trash,
    )
    org = organization_id
    active = "deleted_at IS NOT NULL" if query.trash else "deleted_at IS NULL"
    plan.index_terms += [f"c.organization_id = {plan.param(org)}", f"c.{active}"]
    plan.rare = _looks_rare(terms)
    plan.terms += plan.index_terms
    if dialect == "postgresql":  # what the trigram index can check with the terms (migration 0008)
        plan.facets = sorted(tag_ids) + ([CONSENT_FACET] if query.accepts_email else [])

    if query.trash:  # the trash is usually small: listed whole, first
        plan.driver(
            "trash",
            "SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NOT NULL",
            org=org,
        )

    for term in terms.long:
        plan.terms.append(plan.contains("c.search_text", term))
    if terms.long and dialect == "sqlite":
        plan.fts_match = " ".join(_fts_phrase(term) for term in terms.long)
        plan.driver(
            "fts",
            f"SELECT rowid & {NAME_KEY_ID_MASK} AS id FROM customer_fts WHERE customer_fts MATCH :q",
            q=plan.fts_match,
        )
    elif terms.long:
        # No candidate driver: the split page is PostgreSQL's way to list a search's matches. It
        # splits on the terms whose first words are few (a term's short run such as the "s" of
        # "s.a." overlaps every first word ending in "s"); the other terms are tested on its rows.
        # The two longest such terms are enough to make the rest's matches few; each further one
        # would add its first words' ranges ("maría" in a full name: 25,000 customers).
        keys = sorted((_split_key(term) for term in terms.long), key=len, reverse=True)
        split = [key for key in keys if _splits_well(key)][:2] or keys[:1]
        plan.rest_likes = ["%" + _like_escape(key) + "%" for key in split]
        plan.word_patterns = sorted({pattern for key in split for pattern in first_word_patterns(key)})

    short = list(terms.short)
    if short and not terms.long:
        # 1-2 characters cannot use trigrams: the start of the name (or of the tax ID, for digits).
        prefix = short.pop(0)
        column, value = ("tax_id", prefix.upper()) if prefix.isdigit() else ("sort_name", prefix)
        low, high = plan.param(value), plan.param(_next_string(value))
        condition = f"c.{column} >= {low} AND c.{column} < {high}"
        plan.terms.append(condition)
        plan.columns.add(f"c.{column}")
        if column == "sort_name" and sort_field == "name":  # a range of the name indexes
            plan.index_terms.append(condition)
        plan.driver(
            "prefix",
            f"SELECT id FROM customer WHERE organization_id = :org AND {active} "
            f"AND {column} >= :low AND {column} < :high",
            org=org,
            low=value,
            high=_next_string(value),
        )
    for word in short:  # further short terms: the start of any word ("ana m" -> "ana martinez")
        plan.terms.append(plan.contains("' ' || c.search_text", " " + word))

    if dialect == "postgresql" and plan.facets:
        # The row's copy of its tags and consent (kept by triggers; in the keyset indexes too, 0009).
        plan.facets_term = _facets_term(plan.param(plan.facets))
        plan.terms.append(plan.facets_term)
        plan.columns.add("c.search_facets")
    for tag_id in tag_ids if dialect == "sqlite" else ():
        plan.id_term(
            f"EXISTS (SELECT 1 FROM customer_tag t WHERE t.customer_id = c.id "
            f"AND t.tag_id = {plan.param(tag_id)})"
        )
    if tag_ids:  # the first tag's customers (the caller puts the smallest first) having the others
        others = "".join(
            f" AND EXISTS (SELECT 1 FROM customer_tag o{i} WHERE o{i}.customer_id = t.customer_id"
            f" AND o{i}.tag_id = :tag{i})"
            for i in range(1, len(tag_ids))
        )
        plan.driver(
            "tag",
            f"SELECT t.customer_id AS id FROM customer_tag t WHERE t.organization_id = :org "
            f"AND t.tag_id = :tag0{others}",
            org=org,
            **{f"tag{i}": tag_id for i, tag_id in enumerate(tag_ids)},
        )

    walk_index = "ix_customer_org_name" if sort_field == "name" else "ix_customer_org_created"
    for column, wanted in (("is_conflictive", query.conflictive), ("is_supplier", query.supplier)):
        if wanted is None:
            continue
        plan.terms.append(plan.flag(f"c.{column}", wanted))
        plan.columns.add(f"c.{column}")
        if wanted and not query.trash:  # the flags' partial indexes hold active customers, by name
            plan.driver(
                column,
                f"SELECT id FROM customer WHERE organization_id = :org "
                f"AND {plan.flag(column)} AND deleted_at IS NULL",
                org=org,
            )
            if sort_field == "name" and walk_index == "ix_customer_org_name":
                walk_index = f"ix_customer_org_{column.removeprefix('is_')}_name"
                plan.index_terms.append(plan.flag(f"c.{column}"))
    if query.client_type:
        condition = f"c.client_type = {plan.param(query.client_type)}"
        plan.terms.append(condition)
        plan.columns.add("c.client_type")
        if sort_field == "name" and walk_index == "ix_customer_org_name":
            walk_index = "ix_customer_org_type_name"
            plan.index_terms.append(condition)
    if query.channel_id is not None:
        plan.terms.append(f"c.channel_id = {plan.param(query.channel_id)}")
        plan.columns.add("c.channel_id")
        plan.driver(
            "channel",
            "SELECT id FROM customer WHERE organization_id = :org AND channel_id = :channel",
            org=org,
            channel=query.channel_id,
        )
    for i, (field_id, option_id) in enumerate(query.options):
        plan.id_term(
            f"EXISTS (SELECT 1 FROM customer_field_value v WHERE v.customer_id = c.id "
            f"AND v.field_id = {plan.param(field_id)} AND v.option_id = {plan.param(option_id)})"
        )
        if i == 0:  # the option's customers, from (organization_id, field_id, option_id, customer_id)
            plan.driver(
                "option",
                "SELECT customer_id AS id FROM customer_field_value WHERE organization_id = :org "
                "AND field_id = :field AND option_id = :option",
                org=org, field=field_id, option=option_id,
            )
    if query.account_id is not None:  # the account's members: few, listed by the membership index
        plan.id_term(
            f"EXISTS (SELECT 1 FROM account_member m WHERE m.customer_id = c.id "
            f"AND m.account_id = {plan.param(query.account_id)})"
        )
        plan.driver(
            "account",
            "SELECT customer_id AS id FROM account_member "
            "WHERE organization_id = :org AND account_id = :account",
            org=org,
            account=query.account_id,
        )
    if query.accepts_email is False and dialect == "postgresql":  # (True is one of the facets)
        plan.terms.append(f"NOT {_facets_term(plan.param([CONSENT_FACET]))}")
        plan.columns.add("c.search_facets")
    elif query.accepts_email is not None and dialect == "sqlite":
        consent = (
            f"EXISTS (SELECT 1 FROM customer_email e WHERE e.customer_id = c.id "
            f"AND {plan.flag('e.accepts_email')})"
        )
        plan.id_term(consent if query.accepts_email else f"NOT {consent}")
    # The trash has no keyset index of its own (it is small): the planner sorts it.
    plan.walk_index = "" if query.trash else walk_index
    return plan


def _facets_term(array_param: str) -> str:
    """PostgreSQL: the row's search facets hold all of these (tag ids, CONSENT_FACET)."""
    return f"c.search_facets @> CAST({array_param} AS integer[])"


def _distinctive(term: str) -> str:
    """The part of a term worth looking up in a trigram index (any row containing the term contains it).

    Long digit strings and e-mails are cut: trigrams such as "593" (every Ecuadorian phone) or those of
    "@gmail.com" are in so many rows that reading them costs more than the rest of the query. The rows
    found are tested against the whole term anyway.
    """
    if "@" in term:
        local, _, domain = term.partition("@")
        return local if len(local) >= 3 else (domain if len(domain) >= 3 else term)
    if term.isdigit() and len(term) > 9:
        return term[-9:]
    return term


def _split_key(term: str) -> str:
    """The part of a term the split page looks up (every row containing the term contains it): its
    distinctive part without a short word at either end, which would overlap too many first words
    ("jose.d" -> "jose.", "a.lopez" -> ".lopez")."""
    key = _distinctive(term)
    words = list(WORD.finditer(key))
    if words and words[-1].end() == len(key) and len(words[-1].group()) < MIN_TRIGRAM:
        key = key[: words[-1].start()]
    if words and words[0].start() == 0 and len(words[0].group()) < MIN_TRIGRAM and len(words) > 1:
        key = key[words[0].end() :]
    return key if len(key) >= MIN_TRIGRAM else _distinctive(term)


def _splits_well(key: str) -> bool:
    """Every first word the key can overlap shares at least a trigram with it."""
    return all(len(pattern.strip("%")) >= MIN_TRIGRAM for pattern in first_word_patterns(key))


def _looks_rare(terms: SearchTerms) -> bool:
    """A search most likely matching few customers: an ID or phone number, an e-mail, several words."""
    return any(sum(ch.isdigit() for ch in t) >= 6 or "@" in t or "." in t for t in terms.long) or (
        sum(len(t) for t in terms.long) >= 12
    )


def _fts_phrase(term: str) -> str:
    """FTS5 phrase (= substring, with the trigram tokenizer) that finds every row containing ``term``."""
    return '"' + _distinctive(term).replace('"', '""') + '"'


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --------------------------------------------------------------------------- SQL


def _order_by(plan: _Plan) -> str:
    column = "c.sort_name" if plan.sort_field == "name" else "c.created_at"
    direction = " DESC" if plan.descending else ""
    return f"ORDER BY {column}{direction}, c.id{direction}"


def _keyset(plan: _Plan, after: tuple[Any, int] | None, scalar: bool = False) -> list[str]:
    """The rows after the cursor: a row comparison, or (``scalar``) a bound on the sort column and a
    filter, which an index scan combines with other bounds on that column."""
    if after is None:
        return []
    column = "c.sort_name" if plan.sort_field == "name" else "c.created_at"
    beyond = "<" if plan.descending else ">"
    if scalar:
        tie = f"({column} {beyond} :after_key OR c.id {beyond} :after_id)"
        return [f"{column} {beyond}= :after_key", tie]
    return [f"({column}, c.id) {beyond} (:after_key, :after_id)"]


def _run(
    session: Session, plan: _Plan, sql_text: str, after: tuple[Any, int] | None, **params: Any
) -> list[Any]:
    statement = text(sql_text).columns(**_TYPED_COLUMNS)
    if after is not None and plan.sort_field == "created":
        statement = statement.bindparams(bindparam("after_key", type_=UTCDateTime()))
    if after is not None:
        params.update(after_key=after[0], after_id=after[1])
    return list(session.execute(statement, {**plan.params, **params}))


def _hint(plan: _Plan) -> str:
    # SQLite would otherwise choose a filter's index (say the channel's) and sort all its rows.
    return f" INDEXED BY {plan.walk_index}" if plan.dialect == "sqlite" and plan.walk_index else ""


def _walk(
    session: Session,
    plan: _Plan,
    after: tuple[Any, int] | None,
    n: int,
    *,
    window: int | None = None,
    extra_terms: tuple[str, ...] = (),
    **params: Any,
) -> tuple[list[Any], bool]:
    """Rows read in index order from the cursor: (page, complete). With ``window``, at most that many
    index rows are read; ``complete`` is False when that gave less than a page.

    On PostgreSQL the index holds the search text: the walk selects ids from the index alone (an
    index-only scan) and reads only the page's rows from the table.
    """
    keyset = _keyset(plan, after)
    order_by = _order_by(plan)
    index_where = plan.index_terms + keyset + list(extra_terms)
    other_terms = [t for t in plan.terms if t not in plan.index_terms]
    sort_key = "c.sort_name" if plan.sort_field == "name" else "c.created_at"
    if plan.dialect == "postgresql":
        columns = ", ".join(sorted({"c.id", "c.organization_id", sort_key, "c.search_text"} | plan.columns))
        if window is None:
            ids = (
                f"SELECT c.id FROM customer c WHERE {' AND '.join(index_where + other_terms)} "
                f"{order_by} LIMIT :n"
            )
        else:
            inner = (
                f"SELECT {columns} FROM customer c WHERE {' AND '.join(index_where)} {order_by} LIMIT :window"
            )
            rest = " AND ".join(other_terms) or "TRUE"
            ids = f"SELECT c.id FROM ({inner}) AS c WHERE {rest} {order_by} LIMIT :n"
        sql_text = f"SELECT {_ROW_COLUMNS} FROM customer c JOIN ({ids}) AS w ON w.id = c.id {order_by}"
    elif window is None:
        where = " AND ".join(plan.terms + keyset + list(extra_terms))
        sql_text = f"SELECT {_ROW_COLUMNS} FROM customer c{_hint(plan)} WHERE {where} {order_by} LIMIT :n"
    else:
        inner = (
            f"SELECT {_WALK_COLUMNS} FROM customer c{_hint(plan)} WHERE {' AND '.join(index_where)} "
            f"{order_by} LIMIT :window"
        )
        sql_text = (
            f"SELECT {_ROW_COLUMNS} FROM ({inner}) AS c WHERE {' AND '.join(other_terms) or '1'} "
            f"{order_by} LIMIT :n"
        )
    rows = _run(session, plan, sql_text, after, n=n, window=window, **params)
    # Short of a page, a window may just have reached the end of the rows; telling would cost another
    # read of the window, so the caller goes on with its next plan, which finds the same rows.
    return rows, window is None or len(rows) >= n


def _from_candidates(
    session: Session, plan: _Plan, ids: list[int], after: tuple[Any, int] | None, n: int | None
) -> list[Any]:
    """The rows among ``ids`` passing every term after the cursor: the first ``n`` in list order, or all
    of them (unordered) when ``n`` is None."""
    if not ids:
        return []
    source, ids_param = _among(plan.dialect, "c.id", ids)
    where = " AND ".join([source] + plan.terms + _keyset(plan, after))
    tail = f"{_order_by(plan)} LIMIT :n" if n is not None else ""
    return _run(
        session,
        plan,
        f"SELECT {_ROW_COLUMNS} FROM customer c WHERE {where} {tail}",
        after,
        ids=ids_param,
        n=n,
    )


def _among(dialect: str, column: str, ids: list[int]) -> tuple[str, Any]:
    """``column`` is one of ``ids``, passed as one parameter ``:ids``: (condition, parameter value)."""
    if dialect == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(:ids))", json.dumps(ids)
    return f"{column} = ANY(:ids)", ids


def _try_driver(
    session: Session, plan: _Plan, driver: _Driver, after: tuple[Any, int] | None, n: int, force: bool = False
) -> list[Any] | None:
    ids = list(session.execute(text(driver.sql), driver.params).scalars())
    if len(ids) > driver.cap and not force:
        return None
    return _from_candidates(session, plan, ids, after, n)


@dataclass
class _Scan:
    """Progress of an ordered index scan, so that a scan that gave up can be resumed later."""

    bound: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    matched: list[tuple[int, Any]] = field(default_factory=list)  # (name code, row) in index order
    batch: int = 0
    read: int = 0


def _ordered_scan(
    session: Session,
    plan: _Plan,
    after: tuple[Any, int] | None,
    n: int,
    budget: int | None,
    scan: _Scan | None = None,
) -> tuple[list[Any] | None, _Scan]:
    """SQLite, by name: read the FTS index in name-key order (see the module docstring).

    Matches come grouped by name code (the first characters of the name), the groups in order. Once
    ``n`` matches are seen, the groups before the n-th one's are complete and sorted exactly; the
    n-th one's group, whose rows the index lists by id, is finished from the index if it has few more
    matches, else by walking the name index over that group's name range. Returns (None, progress)
    after reading ``budget`` index rows without filling the page; pass the progress back to go on.
    """
    descending = plan.descending
    order = "DESC" if descending else "ASC"
    if scan is None:
        scan = _Scan(params={"q": plan.fts_match}, batch=max(2 * n, SCAN_BATCH))
        if after is not None:  # start at the cursor's name-key group; rows up to the cursor are filtered
            low, high = name_key_group(name_code(after[0]))
            scan.bound, scan.params["bound"] = (
                ("AND rowid <= :bound", high) if descending else ("AND rowid >= :bound", low)
            )
    matched, read = scan.matched, 0
    keys: list[int] = []
    while len(matched) < n:
        keys = list(
            session.execute(
                text(
                    f"SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q {scan.bound} "
                    f"ORDER BY rowid {order} LIMIT :batch"
                ),
                {**scan.params, "batch": scan.batch},
            ).scalars()
        )
        read += len(keys)
        matched += _fetch_matches(session, plan, keys, after)
        if len(keys) < scan.batch:  # the index has no more matches: all of them are known
            return sorted((row for _, row in matched), key=_name_order, reverse=descending)[:n], scan
        scan.bound = "AND rowid < :bound" if descending else "AND rowid > :bound"
        scan.params["bound"] = keys[-1]
        scan.batch = min(scan.batch * 4, 2000)
        if budget is not None and read >= budget and len(matched) < n:
            return None, scan
    code = matched[n - 1][0]
    past = (lambda c: c < code) if descending else (lambda c: c > code)  # groups after the n-th row's
    last = keys[-1] if keys else scan.params["bound"]
    complete = past(last >> NAME_KEY_ID_BITS)  # the index already moved on to a later group
    if not complete:  # the rest of the group from the index, when it has few more matches
        low, high = name_key_group(code)
        beyond, within = ("<", ">=") if descending else (">", "<=")
        rest = list(
            session.execute(
                text(
                    f"SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q "
                    f"AND rowid {beyond} :last AND rowid {within} :edge ORDER BY rowid {order} LIMIT :batch"
                ),
                {"q": plan.fts_match, "last": last, "edge": low if descending else high, "batch": GROUP_READ},
            ).scalars()
        )
        matched += _fetch_matches(session, plan, rest, after)
        complete = len(rest) < GROUP_READ
    if complete:
        return sorted((row for c, row in matched if not past(c)), key=_name_order, reverse=descending)[
            :n
        ], scan
    # A big group: walk the name index over its range instead (by name, so it stops after the page).
    before = sorted(
        (row for c, row in matched if c != code and not past(c)), key=_name_order, reverse=descending
    )
    low_name, high_name = name_code_range(code)
    group = ("c.sort_name >= :group_low",) + (("c.sort_name < :group_high",) if high_name is not None else ())
    rows, _ = _walk(
        session, plan, after, n - len(before), extra_terms=group, group_low=low_name, group_high=high_name
    )
    return before + rows, scan


def _fetch_matches(
    session: Session,
    plan: _Plan,
    keys: list[int],
    after: tuple[Any, int] | None,
) -> list[tuple[int, Any]]:
    """The rows behind search-index keys that pass every term, as (name code, row), in key order."""
    ids = [key & NAME_KEY_ID_MASK for key in keys]
    rows = {row.id: row for row in _from_candidates(session, plan, ids, after, None)}
    return [(key >> NAME_KEY_ID_BITS, rows[i]) for key, i in zip(keys, ids, strict=True) if i in rows]


def _name_order(row: Any) -> tuple[str, int]:
    return row.sort_name, row.id


def _find(session: Session, plan: _Plan, after: tuple[Any, int] | None, n: int, force_plan: str) -> list[Any]:
    if force_plan == "walk":
        return _walk(session, plan, after, n)[0]
    if force_plan == "scan":
        return _ordered_scan(session, plan, after, n, budget=None)[0] or []
    if force_plan == "candidates":
        if not plan.drivers:
            raise ValueError("no candidate driver for this query")
        rows = _try_driver(session, plan, plan.drivers[0], after, n, force=True)
        assert rows is not None
        return rows
    drivers = list(plan.drivers)
    if plan.trash:  # usually a handful of rows
        rows = _try_driver(session, plan, drivers.pop(0), after, n)
        if rows is not None:
            return rows
    if plan.rest_likes:  # PostgreSQL searches have a plan of their own
        return _find_postgresql(session, plan, after, n)
    scan: _Scan | None = None
    if plan.fts_match and plan.sort_field == "name":
        rows, scan = _ordered_scan(session, plan, after, n, budget=SCAN_BUDGET)
        if rows is not None:
            return rows
    elif drivers and drivers[0].name == "fts":  # a rare term: its few matches, at once
        rows = _try_driver(session, plan, drivers[0], after, n)
        if rows is not None:
            return rows
    # PostgreSQL's walk reads its index only (see _walk): a larger window costs less than SQLite's.
    window = PG_WALK_WINDOW if plan.dialect == "postgresql" else WALK_WINDOW
    rows, complete = _walk(session, plan, after, n, window=window)
    if complete:
        return rows
    # Rows the unbounded plans would still read, extrapolated from what the bounded ones found.
    remaining = (n - len(rows)) * window / max(len(rows), 0.5)
    if scan is not None:
        remaining = min(remaining, (n - len(scan.matched)) * scan.read / max(len(scan.matched), 0.5))
    rows = _candidates(session, plan, drivers, after, n, int(remaining))
    if rows is not None:
        return rows
    if scan is not None:  # go on where the scan stopped: it never reads a row that does not match
        return _ordered_scan(session, plan, after, n, budget=None, scan=scan)[0] or []
    return _walk(session, plan, after, n)[0]


def _find_postgresql(session: Session, plan: _Plan, after: tuple[Any, int] | None, n: int) -> list[Any]:
    """PostgreSQL, with search terms (see the module docstring): the walk on a window, its
    continuation when nearly done, else the split page; the unbounded walk last. The window is larger
    than SQLite's: the walk reads the index only (see _walk). A search that looks rare (an ID, a
    phone, an e-mail, a full name) or has a tag or consent filter goes to the split page first.
    """
    # A rare-looking search, or one with a tag or the consent (which the trigram index intersects):
    # its matches at once; past GIN_CAP of them the search is common enough for the walk.
    if plan.rare or plan.facets:
        rows, complete = _split_page(session, plan, after, n, cap=GIN_CAP)
        return rows if complete else _walk(session, plan, after, n)[0]
    rows, complete = _walk(session, plan, after, n, window=PG_WALK_WINDOW)
    if complete:
        return rows
    # Index rows the walk would still read (extrapolated from the window): few, and it just goes on.
    if (n - len(rows)) * PG_WALK_WINDOW / max(len(rows), 0.5) <= PG_WALK_ON:
        return _walk(session, plan, after, n)[0]
    rows, complete = _split_page(session, plan, after, n, cap=GIN_CAP)
    return rows if complete else _walk(session, plan, after, n)[0]


def _split_page(
    session: Session, plan: _Plan, after: tuple[Any, int] | None, n: int, cap: int
) -> tuple[list[Any], bool]:
    """PostgreSQL: the page among the search terms' matches, in one query: (rows, complete).

    The matches are those under the first words a term can overlap - ranges of the name index, each
    read in order, at most a page from each - and the others, whose rest (the search text without
    the first word, migration 0009) then holds every term: the trigram index lists those, with the
    tag and consent facets, and they are read and sorted. Incomplete when the trigram index listed
    more than ``cap``: the page would be among only some of them.
    """
    facets = [plan.facets_term] if plan.facets_term else []
    sort_key = "c.sort_name" if plan.sort_field == "name" else "c.created_at"
    # Only what the terms, the keyset and the sort test: the rest's matches are kept once, counted
    # and sorted; the page's full rows are then read by primary key.
    needed = {"c.id", "c.organization_id", "c.deleted_at", "c.search_text", "c.sort_name", sort_key}
    columns = ", ".join(sorted(needed | plan.columns))
    patterns = {f"w{i}": pattern for i, pattern in enumerate(plan.word_patterns)}
    words = " OR ".join(f"word LIKE :{name}" for name in patterns) or "FALSE"
    rest_likes = [f"c.search_rest LIKE {plan.param(like)} ESCAPE '\\'" for like in plan.rest_likes]
    rest_terms = [*plan.index_terms[:2], *rest_likes, *facets]
    where = " AND ".join(plan.terms + _keyset(plan, after))
    # In a first word's range, the cursor as a plain bound on the name: the index then starts at the
    # later of the two (a row comparison would make it start at the cursor, maybe 200,000 rows before).
    in_range = " AND ".join(plan.terms + _keyset(plan, after, scalar=plan.sort_field == "name"))
    order_by = _order_by(plan)
    sql_text = (
        f"WITH words AS MATERIALIZED (SELECT word FROM customer_first_word "
        f"WHERE organization_id = :org AND ({words})), "
        f"rest AS MATERIALIZED (SELECT {columns} FROM customer c "
        f"WHERE {' AND '.join(rest_terms)} "
        f"LIMIT :gin_cap), "
        f"hits AS (SELECT c.id, {sort_key} FROM rest AS c WHERE {where} "
        f"AND NOT EXISTS (SELECT 1 FROM words w WHERE w.word = split_part(c.sort_name, ' ', 1)) "
        f"UNION ALL SELECT p.* FROM words w CROSS JOIN LATERAL (SELECT c.id, {sort_key} FROM customer c "
        f"WHERE {in_range} AND c.sort_name >= w.word AND c.sort_name < w.word || '!' "
        f"{order_by} LIMIT :n) AS p), "
        f"page AS (SELECT c.id FROM hits AS c {order_by} LIMIT :n) "
        # One row even when nothing passes: how many the index listed tells whether all were seen.
        f"SELECT c.*, l.listed FROM (SELECT count(*) AS listed FROM rest) AS l LEFT JOIN "
        f"(SELECT {_ROW_COLUMNS} FROM customer c JOIN page AS p ON p.id = c.id) AS c ON TRUE {order_by}"
    )
    found = _run(session, plan, sql_text, after, n=n, gin_cap=cap + 1, org=plan.organization_id, **patterns)
    rows = [row for row in found if row.id is not None]
    return rows, found[0].listed <= cap


def _candidates(
    session: Session, plan: _Plan, drivers: list[_Driver], after: tuple[Any, int] | None, n: int, worth: int
) -> list[Any] | None:
    """Candidates from the driver listing fewest ids, narrowed down to the ids the other drivers list
    too, if fewer than ``worth`` (what the unbounded plans are expected to read) and within the
    drivers' caps. The lists are counted and intersected in the database: "Lucía" and tag "Moroso"
    list 7,000 and 15,000 ids, 90 in common, and only those 90 customer rows are read."""
    sized: list[tuple[int, int, int, _Driver]] = []  # (ids listed, cap as the driver, position, driver)
    for position, driver in enumerate(drivers):
        cap = min(CANDIDATE_SEARCH_CAP if driver.name in ("fts", "trgm") else CANDIDATE_CAP, worth)
        listed = session.execute(
            text(f"SELECT count(*) FROM ({driver.sql}) AS d"), {**driver.params, "cap": cap + 1}
        ).scalar_one()
        sized.append((listed, cap, position, driver))
    within = sorted(s for s in sized if s[0] <= s[1])
    if not within:
        return None
    lead = within[0]
    # Intersecting with a much longer list costs more than testing the lead's rows for its term.
    most = min(INTERSECT_CAP, NARROW_RATIO * lead[0])
    narrowing = [s for s in within if s is not lead and s[0] <= most]
    parts, params = [], {}
    for listed, _, position, driver in [lead, *narrowing]:
        prefix = f"d{position}_"
        parts.append(f"SELECT id FROM ({_prefixed(driver.sql, prefix)}) AS d{position}")
        params.update({prefix + k: v for k, v in driver.params.items()}, **{prefix + "cap": listed})
    # The tag, consent, option and account tests on the ids alone: only the rows passing them are read
    # ("Mariana" by creation with tag VIP: 7,000 ids, 250 rows).
    on_ids = " AND ".join(term.replace("c.id", "k.id") for term in plan.id_terms)
    ids = f"SELECT k.id FROM ({' INTERSECT '.join(parts)}) AS k" + (f" WHERE {on_ids}" if on_ids else "")
    where = " AND ".join([f"c.id IN ({ids})"] + plan.terms + _keyset(plan, after))
    return _run(
        session,
        plan,
        f"SELECT {_ROW_COLUMNS} FROM customer c WHERE {where} {_order_by(plan)} LIMIT :n",
        after,
        n=n,
        **params,
    )


def _prefixed(sql_text: str, prefix: str) -> str:
    """A driver's SQL with its parameters renamed, so that several drivers share one statement."""
    return re.sub(r":(\w+)", lambda m: f":{prefix}{m.group(1)}", sql_text)


# --------------------------------------------------------------------------- entry point


def _validate(query: CustomerQuery) -> None:
    errors: dict[str, FieldError] = {}
    if query.sort not in SORTS:
        errors["sort"] = FieldError("sort_invalid")
    if query.client_type and query.client_type not in CLIENT_TYPES:
        errors["client_type"] = FieldError("client_type_invalid", client_type=query.client_type)
    if any(type(f) is not int or type(o) is not int for f, o in query.options):
        errors["options"] = FieldError("option_invalid")
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
                {"org": organization_id, "tag": tag_id, "cap": TAG_COUNT_CAP},
            ).scalar_one()

        ids.sort(key=size)
    return ids


def search(
    session: Session, organization_id: int, country: str, query: CustomerQuery, *, force_plan: str = ""
) -> CustomerPage:
    """One page for ``query`` (see the module docstring). ``force_plan`` ("scan" | "candidates" | "walk")
    is for tests: every plan must give the same pages."""
    _validate(query)
    limit = max(1, min(int(query.limit), MAX_PAGE))
    sort_field = query.sort.lstrip("-")
    after = decode_cursor(query.after, sort_field) if query.after else None
    tag_ids = _tag_ids(session, organization_id, query.tags)
    if tag_ids is None:
        return CustomerPage(rows=(), next_cursor="")
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
    plan = _plan(dialect, organization_id, query, parse_query(query.search), tag_ids)
    rows = _find(session, plan, after, limit + 1, force_plan)
    next_cursor = ""
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(
            sort_field, last.sort_name if sort_field == "name" else last.created_at, last.id
        )
    return CustomerPage(rows=_to_rows(session, country, rows[:limit]), next_cursor=next_cursor)


@lru_cache(maxsize=16384)
def _national(e164: str, region: str) -> str:
    return format_phone(e164, "national", region) if e164 else ""


def _to_rows(session: Session, country: str, rows: list[Any]) -> tuple[CustomerRow, ...]:
    """List rows with their tags: one more query for the whole page (the ids as one parameter, not 50)."""
    ids = [r.id for r in rows]
    tags: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        listed, ids_param = _among(session.get_bind().dialect.name, "t.customer_id", ids)
        for customer_id, name in session.execute(
            text(
                f"SELECT t.customer_id, g.name FROM customer_tag t JOIN tag g ON g.id = t.tag_id "
                f"WHERE {listed} ORDER BY g.normalized"
            ),
            {"ids": ids_param},
        ):
            tags[customer_id].append(name)
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
        )
        for r in rows
    )
