"""The plan of one list request: its conditions as SQL terms, its candidate drivers, and what each backend
needs to choose its way through the indexes (see the package docstring). Pure string building: nothing
here reads the database."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from crm_app.domain.customers import CustomerQuery
from crm_app.domain.search_text import (
    CONSENT_FACET,
    MIN_TRIGRAM,
    NAME_KEY_ID_MASK,
    WORD,
    SearchTerms,
    first_word_patterns,
)
from crm_app.services.customer_search import limits
from crm_app.services.customer_search.created_terms import add_created_filters, add_unreachable
from crm_app.services.customer_search.purchase_terms import add_purchase_filters

# Each sort's column, and the keyset index a walk in that order reads (SQLite's INDEXED BY).
SORT_COLUMNS = {
    "name": "c.sort_name",
    "created": "c.created_at",
    "spent": "c.amount_spent",
    "purchase": "c.last_purchase_at",
}
WALK_INDEXES = {
    "name": "ix_customer_org_name",
    "created": "ix_customer_org_created",
    "spent": "ix_customer_org_spent",
    "purchase": "ix_customer_org_last_purchase",
}
BOUGHT = "c.last_purchase_at IS NOT NULL"
NEVER_BOUGHT = "c.last_purchase_at IS NULL"


@dataclass(frozen=True)
class Driver:
    """An indexed list of the ids a query can match (a superset: every term is applied afterwards)."""

    name: str
    sql: str
    params: dict[str, Any]
    cap: int


@dataclass
class Plan:
    dialect: str
    organization_id: int
    sort_field: str  # a key of SORT_COLUMNS
    descending: bool
    trash: bool
    terms: list[str] = field(default_factory=list)  # every condition, as plain row-by-row expressions
    index_terms: list[str] = field(default_factory=list)  # those the walk's index answers itself
    params: dict[str, Any] = field(default_factory=dict)
    drivers: list[Driver] = field(default_factory=list)
    fts_match: str = ""  # SQLite: FTS5 query of the long terms, for the ordered index scan
    # PostgreSQL (see postgresql.split_page): the LIKE patterns of the long terms for the trigram index
    # of the rest, and of the first words they can overlap.
    rest_likes: list[str] = field(default_factory=list)
    word_patterns: list[str] = field(default_factory=list)
    rare: bool = False  # the search terms look like they match few customers
    walk_index: str = ""  # SQLite: the index the walk reads ("" = let the planner choose)
    columns: set[str] = field(default_factory=set)  # columns the non-index terms test (PostgreSQL walk)
    facets: list[int] = field(default_factory=list)  # PostgreSQL: search_facets the rows must hold
    facets_term: str = ""  # PostgreSQL: the condition that the row's search_facets hold ``facets``
    id_terms: list[str] = field(default_factory=list)  # the terms (of ``terms``) testing only ``c.id``
    buyers_only: bool = False  # a purchase filter leaves out those who never bought

    @property
    def sort_column(self) -> str:
        return SORT_COLUMNS[self.sort_field]

    def part(self, term: str) -> Plan:
        """This plan narrowed by ``term``, a condition on the walked index's columns (the buyers or those
        who never bought: services/customer_search/backend.py pages through them one after the other)."""
        return dataclasses.replace(
            self, terms=[*self.terms, term], index_terms=[*self.index_terms, term], columns={*self.columns}
        )

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def id_term(self, term: str) -> None:
        """A term that tests only the customer's id (``c.id``): candidates are filtered by it before
        their rows are read (see candidates.py)."""
        self.terms.append(term)
        self.id_terms.append(term)

    def contains(self, haystack: str, needle: str) -> str:
        function = "instr" if self.dialect == "sqlite" else "strpos"
        return f"{function}({haystack}, {self.param(needle)}) > 0"

    def moment(self, value: datetime) -> str:
        """A UTC time to compare with a time column. SQLite holds times as text, as SQLAlchemy writes them
        ("2026-03-01 05:00:00.000000"): the parameter is spelled the same way, or it compares as text
        with another spelling."""
        utc = value.astimezone(UTC)
        if self.dialect == "sqlite":
            return self.param(utc.replace(tzinfo=None).isoformat(" ", "microseconds"))
        return self.param(utc)

    def amount(self, value: Decimal) -> str:
        # SQLite's NUMERIC column holds a REAL, and its driver takes no Decimal.
        return self.param(float(value) if self.dialect == "sqlite" else value)

    def flag(self, column: str, wanted: bool = True) -> str:
        # Literals, not parameters, so that the partial indexes' conditions are provably implied.
        if self.dialect == "sqlite":
            return f"{column} = {int(wanted)}"
        return column if wanted else f"NOT {column}"

    def driver(self, name: str, sql: str, **params: Any) -> None:
        self.drivers.append(
            Driver(name, sql + " LIMIT :cap", {**params, "cap": limits.PROBE_LIMIT + 1}, limits.PROBE_LIMIT)
        )

    @property
    def active(self) -> str:
        return "deleted_at IS NOT NULL" if self.trash else "deleted_at IS NULL"


def build_plan(
    dialect: str, organization_id: int, query: CustomerQuery, terms: SearchTerms, tag_ids: list[int],
    timezone: str = "UTC",
) -> Plan:
    """The plan for ``query``; its terms are added in a fixed order (their parameters are numbered).
    ``timezone``: the organization's, in which the purchase and created filters' days start."""
    plan = Plan(
        dialect=dialect,
        organization_id=organization_id,
        sort_field=query.sort.lstrip("-"),
        descending=query.sort.startswith("-"),
        trash=query.trash,
    )
    plan.index_terms += [f"c.organization_id = {plan.param(organization_id)}", f"c.{plan.active}"]
    plan.rare = _looks_rare(terms)
    plan.terms += plan.index_terms
    if dialect == "postgresql":  # what the trigram index can check with the terms (migration 0008)
        plan.facets = sorted(tag_ids) + ([CONSENT_FACET] if query.accepts_email else [])
    if query.trash:  # the trash is usually small: listed whole, first
        # A merged customer is not in the trash: he lives on in his survivor (services/merge).
        plan.terms.append("c.merged_into_id IS NULL")
        plan.driver(
            "trash",
            "SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NOT NULL "
            "AND merged_into_id IS NULL",
            org=organization_id,
        )
    _add_long_terms(plan, terms)
    _add_short_terms(plan, terms)
    _add_tags(plan, tag_ids)
    walk_index = _add_keyset_filters(plan, query)
    _add_id_filters(plan, query)
    _add_consent(plan, query.accepts_email)
    add_purchase_filters(plan, query, timezone)
    add_created_filters(plan, query, timezone)
    add_unreachable(plan, query)
    # The trash has no keyset index of its own (it is small): the planner sorts it.
    plan.walk_index = "" if query.trash else walk_index
    return plan


def _add_long_terms(plan: Plan, terms: SearchTerms) -> None:
    """Terms of 3 characters or more: each tested on the search text, and listed by the trigram index."""
    for term in terms.long:
        plan.terms.append(plan.contains("c.search_text", term))
    if terms.long and plan.dialect == "sqlite":
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


def _add_short_terms(plan: Plan, terms: SearchTerms) -> None:
    short = list(terms.short)
    if short and not terms.long:
        # 1-2 characters cannot use trigrams: the start of the name (or of the tax ID, for digits).
        prefix = short.pop(0)
        column, value = ("tax_id", prefix.upper()) if prefix.isdigit() else ("sort_name", prefix)
        low, high = plan.param(value), plan.param(_next_string(value))
        condition = f"c.{column} >= {low} AND c.{column} < {high}"
        plan.terms.append(condition)
        plan.columns.add(f"c.{column}")
        if column == "sort_name" and plan.sort_field == "name":  # a range of the name indexes
            plan.index_terms.append(condition)
        plan.driver(
            "prefix",
            f"SELECT id FROM customer WHERE organization_id = :org AND {plan.active} "
            f"AND {column} >= :low AND {column} < :high",
            org=plan.organization_id,
            low=value,
            high=_next_string(value),
        )
    for word in short:  # further short terms: the start of any word ("ana m" -> "ana martinez")
        plan.terms.append(plan.contains("' ' || c.search_text", " " + word))


def _add_tags(plan: Plan, tag_ids: list[int]) -> None:
    if plan.dialect == "postgresql" and plan.facets:
        # The row's copy of its tags and consent (kept by triggers; in the keyset indexes too, 0009).
        plan.facets_term = facets_term(plan.param(plan.facets))
        plan.terms.append(plan.facets_term)
        plan.columns.add("c.search_facets")
    for tag_id in tag_ids if plan.dialect == "sqlite" else ():
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
            org=plan.organization_id,
            **{f"tag{i}": tag_id for i, tag_id in enumerate(tag_ids)},
        )


def _add_keyset_filters(plan: Plan, query: CustomerQuery) -> str:
    """The flags and the client type, which have keyset indexes of their own: the index the walk reads."""
    by_name = plan.sort_field == "name"
    walk_index = WALK_INDEXES[plan.sort_field]
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
                org=plan.organization_id,
            )
            if by_name and walk_index == "ix_customer_org_name":
                walk_index = f"ix_customer_org_{column.removeprefix('is_')}_name"
                plan.index_terms.append(plan.flag(f"c.{column}"))
    if query.client_type:
        condition = f"c.client_type = {plan.param(query.client_type)}"
        plan.terms.append(condition)
        plan.columns.add("c.client_type")
        if by_name and walk_index == "ix_customer_org_name":
            walk_index = "ix_customer_org_type_name"
            plan.index_terms.append(condition)
    return walk_index


def _add_id_filters(plan: Plan, query: CustomerQuery) -> None:
    """The channel, the custom field options and the account: each lists its customers from an index."""
    org = plan.organization_id
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


def _add_consent(plan: Plan, accepts_email: bool | None) -> None:
    if accepts_email is False and plan.dialect == "postgresql":  # (True is one of the facets)
        plan.terms.append(f"NOT {facets_term(plan.param([CONSENT_FACET]))}")
        plan.columns.add("c.search_facets")
    elif accepts_email is not None and plan.dialect == "sqlite":
        consent = (
            f"EXISTS (SELECT 1 FROM customer_email e WHERE e.customer_id = c.id "
            f"AND {plan.flag('e.accepts_email')})"
        )
        plan.id_term(consent if accepts_email else f"NOT {consent}")


def facets_term(array_param: str) -> str:
    """PostgreSQL: the row's search facets hold all of these (tag ids, CONSENT_FACET)."""
    return f"c.search_facets @> CAST({array_param} AS integer[])"


def _next_string(prefix: str) -> str:
    """Smallest string greater than every string starting with ``prefix`` (for a range scan)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


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
