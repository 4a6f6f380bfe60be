"""Blocking and comparing: which pairs of customers the scan scores, never all pairs.

The full scan puts every customer under his blocking keys in memory (domain.duplicates.block_keys)
and compares the pairs of each block. The changed scan and the live check take a few customers and
find the others sharing a key through indexed lookups: phones and e-mails by their (organization,
value) indexes, tax and loyalty IDs by theirs, and for names two bounded reads: the same sort name in
any word order (the name index's ranges) and the same birthday (the birthday index)."""

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
    email_local,
    ordered,
    reason_bits,
    score_pair,
)
from crm_app.models import Customer, CustomerEmail, CustomerPhone
from crm_app.services.duplicates.reading import active, profiles_of
from crm_app.services.panel.birthdays import birthday_key, key_of

Pair = tuple[int, int, int, int]  # (a, b, score, reason bits), a < b
NAME_LOOKUP = 200  # namesakes read per name order / birthday: enough for a real base, bounded for a big one


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

    def pairs(self, dismissed: set[tuple[int, int]], involving: set[int] | None = None) -> list[Pair]:
        """The scored candidate pairs of every block (``involving``: only pairs with one of these)."""
        seen: set[tuple[int, int]] = set()
        found: list[Pair] = []
        for key, held in self.keys.items():
            if isinstance(held, int) or len(held) > block_limit(key):
                continue
            members = sorted(set(held))
            for i, x in enumerate(members):
                for y in members[i + 1:]:
                    if (x, y) in seen or (x, y) in dismissed:
                        continue
                    if involving is not None and x not in involving and y not in involving:
                        continue
                    seen.add((x, y))
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


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def neighbour_ids(session: Session, org_id: int, profiles: list[Profile]) -> set[int]:
    """Ids of the active customers sharing a blocking key with any of ``profiles`` (them included)."""
    found: set[int] = set()
    base = active(select(Customer.id), org_id)

    def run(query) -> None:
        found.update(session.execute(query).scalars())

    phones = sorted({x for p in profiles for x in p.phones})
    for chunk in _chunks(phones):
        run(select(CustomerPhone.customer_id).where(CustomerPhone.organization_id == org_id,
                                                    CustomerPhone.e164.in_(chunk)))
    # A mailbox at any domain: the (organization, address) index's range "local@" .. "local@\xff".
    for local in sorted({email_local(e) for p in profiles for e in p.emails} - {""}):
        run(select(CustomerEmail.customer_id).where(
            CustomerEmail.organization_id == org_id, CustomerEmail.address >= local + "@",
            CustomerEmail.address < local + "A").limit(NAME_LOOKUP))  # "A" follows "@"
    emails = sorted({e for p in profiles for e in p.emails})  # a mailbox too generic to block on
    for chunk in _chunks(emails):
        run(select(CustomerEmail.customer_id).where(CustomerEmail.organization_id == org_id,
                                                    CustomerEmail.address.in_(chunk)))
    for column, values in ((Customer.tax_id, {p.tax_id for p in profiles}),
                           (Customer.loyalty_id, {p.loyalty_id for p in profiles})):
        for chunk in _chunks(sorted(values - {""})):
            run(base.where(column.in_(chunk)))
    for p in profiles:
        for order in _name_orders(p):
            run(base.where(Customer.sort_name >= order, Customer.sort_name < _next_prefix(order))
                .limit(NAME_LOOKUP))
        if p.birthday:
            born = date.fromisoformat(p.birthday)
            run(base.where(birthday_key(session) == key_of(session, born.month, born.day),
                           Customer.birthday == born).limit(NAME_LOOKUP))
    return found


def pairs_around(session: Session, org_id: int, profiles: list[Profile],
                 dismissed: Callable[[list[tuple[int, int]]], set[tuple[int, int]]]) -> list[Pair]:
    """The scored pairs between ``profiles`` and the organization's other active customers."""
    if not profiles:
        return []
    mine = {p.id for p in profiles}
    others = neighbour_ids(session, org_id, profiles) - mine
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
