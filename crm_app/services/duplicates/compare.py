"""Blocking and comparing: which pairs of customers the scan scores, never all pairs.

The full scan puts every customer under his blocking keys in memory (domain.duplicates.block_keys)
and compares the pairs of each block. The changed scan and the live check take a few customers and
find the others sharing a key through indexed lookups (:func:`neighbour_ids`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.duplicates import (
    Profile,
    block_keys,
    block_limit,
    block_pairs,
    fold_street,
    ordered,
    reason_bits,
    score_pair,
)
from crm_app.models import Customer, CustomerEmail, CustomerPhone
from crm_app.services.duplicates.reading import active, profiles_of
from crm_app.services.panel.birthdays import birthday_key, key_of

Pair = tuple[int, int, int, int]  # (a, b, score, reason bits), a < b
TICK_PAIRS = 200_000  # about a second of comparing


class Blocks:
    """Blocking keys -> customer ids, filled a batch at a time; profiles kept for the comparison."""

    def __init__(self) -> None:
        self.keys: dict[str, int | list[int]] = {}
        self.profiles: dict[int, Profile] = {}

    def add(self, profiles: Iterable[Profile]) -> None:
        keys = self.keys
        for p in profiles:
            self.profiles[p.id] = p
            for key in block_keys(p):
                held = keys.get(key)
                if held is None:
                    keys[key] = p.id  # most keys are one customer's: no list for them
                elif isinstance(held, int):
                    keys[key] = [held, p.id]
                else:
                    held.append(p.id)

    def pairs(self, dismissed: set[tuple[int, int]], involving: set[int] | None = None,
              tick: Callable[[], None] | None = None) -> list[Pair]:
        """The scored candidate pairs of every block (``involving``: only pairs with one of these);
        ``tick`` is called every TICK_PAIRS pairs (the job's heartbeat, where a cancel reaches it)."""
        blocks = ((key, held) for key, held in self.keys.items() if not isinstance(held, int))
        found: list[Pair] = []
        for n, (x, y) in enumerate(block_pairs(blocks), 1):
            if tick is not None and n % TICK_PAIRS == 0:
                tick()
            if (x, y) in dismissed or (involving is not None and x not in involving and y not in involving):
                continue
            scored = score_pair(self.profiles[x], self.profiles[y])
            if scored is not None:
                found.append((x, y, scored[0], reason_bits(scored[1])))
        return found


def _name_orders(p: Profile) -> set[str]:
    """The display name's words in each rotation ("juan perez" and "perez juan"): reordered names."""
    if not p.names:
        return set()
    words = p.names[0].split()[:4]
    return {" ".join(words[i:] + words[:i]) for i in range(len(words))}


def neighbour_ids(session: Session, org_id: int, profiles: list[Profile]) -> set[int]:
    """Ids of the active customers sharing a blocking key with any of ``profiles`` (them included).

    A few queries for a whole batch, each answered by an index: phones and e-mails (IN lists), tax and
    loyalty IDs, the sort names of every word order of the names (accents and case are already out of
    a sort name), and for names with a typo, the customers born the same day (the birthday index).
    A typo'd name sharing only an address is left to the full scan: no index finds it."""
    found: set[int] = set()
    base = active(select(Customer.id), org_id)

    def run(query) -> None:
        found.update(session.execute(query).scalars())

    for column, values in (
        (CustomerPhone.e164, {x for p in profiles for x in p.phones}),
        (CustomerEmail.address, {e for p in profiles for e in p.emails}),
    ):
        for chunk in _chunks(sorted(values)):
            table = column.table.c
            run(select(table.customer_id).where(table.organization_id == org_id, column.in_(chunk)))
    for column, values in (
        (Customer.tax_id, {p.tax_id for p in profiles}),
        (Customer.loyalty_id, {p.loyalty_id for p in profiles}),
    ):
        for chunk in _chunks(sorted(values - {""})):
            run(base.where(column.in_(chunk)))
    found |= _namesakes(session, org_id, profiles)
    return found


def _digits(text: str) -> str:
    return "".join(ch for ch in text.partition("|")[0] if ch.isdigit())


def _namesakes(session: Session, org_id: int, profiles: list[Profile]) -> set[int]:
    """Customers named alike (any word order) who could make a name-only pair: only those sharing a
    birthday or an address with one of ``profiles`` (a name-only pair needs one, domain _support), so
    the thousand namesakes of a common name are not read in full."""
    births = {p.birthday for p in profiles} - {""}
    addresses = {p.address for p in profiles} - {""}
    numbers = {_digits(a) for a in addresses}  # folding every namesake's street costs: numbers first
    found: set[int] = set()
    orders = sorted({order for p in profiles for order in _name_orders(p)})
    columns = (Customer.id, Customer.birthday, Customer.street, Customer.city)
    for chunk in _chunks(orders):
        for cid, born, street, city in session.execute(active(select(*columns), org_id)
                                                       .where(Customer.sort_name.in_(chunk))):
            if (born and str(born) in births) or (
                    street and _digits(street) in numbers and fold_street(street, city) in addresses):
                found.add(cid)
    return found | _born_alike(session, org_id, profiles)


def _born_alike(session: Session, org_id: int, profiles: list[Profile]) -> set[int]:
    """Customers born the same day as one of ``profiles`` whose name shares a word with his: the
    name-only pairs with a typo (the birthday index by month and day, then the exact date)."""
    words: dict[str, set[str]] = {}
    for p in profiles:
        if p.birthday:
            words.setdefault(p.birthday, set()).update(p.tokens)
    found: set[int] = set()
    columns = (Customer.id, Customer.birthday, Customer.sort_name)
    for born_text, tokens in words.items():
        born = date.fromisoformat(born_text)
        # The exact date is checked here: "birthday = :day" in SQL would let SQLite fold the index's
        # expression into a constant, and read the whole organization.
        query = active(select(*columns), org_id).where(
            Customer.birthday.is_not(None), birthday_key(session) == key_of(session, born.month, born.day))
        for cid, day, sort_name in session.execute(query):
            if day == born and tokens & set(sort_name.split()):
                found.add(cid)
    return found


def pairs_around(session: Session, org_id: int, profiles: list[Profile],
                 dismissed: Callable[[list[tuple[int, int]]], set[tuple[int, int]]],
                 partners: Iterable[int] = ()) -> list[Pair]:
    """The scored pairs between ``profiles`` and the organization's other active customers;
    ``partners``: customers to compare with them besides those the lookups find (their current pairs'
    other halves, which a name with a typo may have linked in a full scan)."""
    if not profiles:
        return []
    mine = {p.id for p in profiles}
    others = (neighbour_ids(session, org_id, profiles) | set(partners)) - mine
    blocks = Blocks()
    blocks.add(profiles)
    blocks.add(profiles_of(session, org_id, others))
    keys = {k: v for k, v in blocks.keys.items() if not isinstance(v, int) and any(i in mine for i in v)}
    blocks.keys = keys
    candidates = [
        ordered(x, y) for key, held in keys.items() if len(held) <= block_limit(key)
        for x in held if x in mine for y in held if y != x
    ]
    return blocks.pairs(dismissed(sorted(set(candidates))), involving=mine)


def _chunks(values: list, size: int = 500):
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk
