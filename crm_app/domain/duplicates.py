"""Duplicate customers as plain values: why two customers may be one (the reasons, a bit set in
``duplicate_pair.reasons``), and what the review page shows (groups of candidates with their score).

CONTRACT (issue 16): the DTOs below are shared by the scan (services/duplicates/), the review page
(states/duplicates.py) and the merge; the scan's pure logic (folding, blocking keys, scoring) is added
below them by the scan's owner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rapidfuzz import fuzz

from crm_app.domain.search_text import normalize

# Bit i of ``reasons`` is REASONS[i]. Order fixed: stored in the database.
REASONS = ("phone", "email", "tax_id", "loyalty_id", "name")
SCAN_MODES = ("full", "changed")  # the whole base, or the customers changed since the last scan


def reason_bits(names: Iterable[str]) -> int:
    return sum(1 << REASONS.index(n) for n in set(names) if n in REASONS)


def reason_names(bits: int) -> tuple[str, ...]:
    return tuple(name for i, name in enumerate(REASONS) if bits & (1 << i))


@dataclass(frozen=True)
class GroupMember:
    customer_id: int
    display_name: str
    client_type: str
    phone: str  # primary phone, formatted for the organization's country ("" if none)
    email: str  # primary e-mail ("" if none)
    tax_id: str
    created_at: datetime


@dataclass(frozen=True)
class PairDTO:
    customer_a_id: int  # < customer_b_id
    customer_b_id: int
    score: int  # 0-100
    reasons: tuple[str, ...]  # of REASONS


@dataclass(frozen=True)
class DuplicateGroupDTO:
    id: int
    score: int  # the best pair's
    reasons: tuple[str, ...]  # every pair's
    members: tuple[GroupMember, ...]  # by customer id
    pairs: tuple[PairDTO, ...]  # best score first


@dataclass(frozen=True)
class GroupPage:
    groups: tuple[DuplicateGroupDTO, ...]
    next_cursor: str  # "" on the last page
    total: int  # groups matching the reason filter


@dataclass(frozen=True)
class ScanStatus:
    last_scan_at: datetime | None  # when the last finished scan started (the next "changed" scan's start)
    last_mode: str  # "full" | "changed" | ""
    job_id: int | None  # the scan running or queued now, else the last one
    groups: int  # groups waiting for review


# =========================================================================== the scan's pure logic
# Folding, blocking keys and the score of a pair. The services read customers into ``Profile``s, group
# them by blocking key (never all pairs) and score the pairs of each block with :func:`score_pair`.

_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Words that say nothing about who a customer is: Spanish particles and company forms.
STOP_WORDS = frozenset((
    "de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von", "the",
    "sa", "cia", "ltda", "sas", "srl", "sl", "inc", "llc", "ca", "ec",
))
# Mailboxes many unrelated customers (companies) use: their local part is no blocking key.
GENERIC_LOCALS = frozenset((
    "info", "contacto", "contact", "ventas", "sales", "admin", "administracion", "hola", "gerencia",
    "facturacion", "office", "mail", "correo", "compras", "oficina", "recepcion",
))
MIN_TOKEN = 3  # shorter name words are initials or particles: too common to block on

# Blocks bigger than these are skipped (see block_keys): a key shared by that many customers is no
# evidence that any two of them are one person, and comparing them all is quadratic.
MAX_BLOCK = 200
MAX_NAME_BLOCK = 100

# Name similarity (rapidfuzz, 0-100, on folded names).
NAME_SIMILAR = 85  # typos, accents, reordered words: "juan perez" ~ "jaun perez" (90)
NAME_DIFFERENT = 60  # clearly another person: "juan perez" vs "maria lopez"
NAME_ONLY = 90  # names alone must be this close, and supported (see score_pair)

# What sharing one identifier is worth before the names are looked at. A phone is the weakest (a
# family's home phone, a company's switchboard); a tax ID or a loyalty card the strongest.
ID_WEIGHTS = {"tax_id": 80, "loyalty_id": 80, "email": 75, "phone": 70}
MIN_SCORE = 40  # pairs below are not candidates


def fold_name(text: str) -> str:
    """Accents, case and punctuation out, words kept in order: " Pérez-Núñez, JOSÉ " -> "perez nunez jose"."""
    return _NOT_WORD.sub(" ", normalize(text)).strip()


def name_tokens(folded: str) -> tuple[str, ...]:
    """The words of a folded name worth blocking on (no particles, no initials), sorted, unique."""
    return tuple(sorted({w for w in folded.split() if len(w) >= MIN_TOKEN and w not in STOP_WORDS}))


def compact_tax_id(value: str | None) -> str:
    """A tax ID without its punctuation, upper-cased: "1790.012.345-001" -> "1790012345001"."""
    if not value:
        return ""
    return value.upper() if value.isalnum() else re.sub(r"[^0-9A-Za-z]", "", value).upper()


def fold_email(value: str) -> str:
    return (value or "").strip().lower()


def email_local(address: str) -> str:
    """The mailbox of an address without "+tags"; "" for generic mailboxes (info@, ventas@...)."""
    local = fold_email(address).split("@", 1)[0].split("+", 1)[0]
    return "" if len(local) < 4 or local in GENERIC_LOCALS else local


def distinctive_local(address: str) -> str:
    """The mailbox when it says who its owner is (it has digits: "jperez1985"), else "": "juan.perez"
    at gmail and at hotmail are two people as often as one."""
    local = email_local(address)
    return local if any(ch.isdigit() for ch in local) else ""


@lru_cache(maxsize=1 << 16)
def fold_street(street: str, city: str) -> str:
    """An address as one comparable string ("av amazonas 100|quito"); "" without a street number, which
    alone would put a whole avenue in one block."""
    folded = fold_name(street)
    if not folded or not any(ch.isdigit() for ch in folded):
        return ""
    return f"{folded}|{fold_name(city)}"


@dataclass(frozen=True, slots=True)
class Profile:
    """What the scan compares of one customer, already folded (once: a pair is compared in microseconds)."""

    id: int
    names: tuple[str, ...]  # folded, unique: display name first, then legal / trade names
    phones: frozenset[str] = frozenset()  # E.164
    emails: frozenset[str] = frozenset()  # lower-cased
    tax_id: str = ""  # compacted
    loyalty_id: str = ""
    birthday: str = ""  # ISO date or ""
    address: str = ""  # fold_street
    sorted_names: tuple[str, ...] = ()  # each name's words sorted: token_sort_ratio is then a plain ratio
    mailboxes: frozenset[str] = frozenset()  # distinctive_local of the e-mails
    tails: frozenset[str] = frozenset()  # the phones' last 7 digits

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(sorted({t for n in self.names for t in name_tokens(n)}))


@lru_cache(maxsize=1 << 17)
def _name_forms(name: str) -> tuple[str, str]:
    """(folded, folded with its words sorted); cached: a base repeats its names a lot."""
    folded = fold_name(name)
    return folded, " ".join(sorted(folded.split()))


def make_profile(
    customer_id: int,
    *,
    names: Iterable[str],
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    tax_id: str | None = "",
    loyalty_id: str | None = "",
    birthday: object = None,
    street: str = "",
    city: str = "",
) -> Profile:
    forms = list(dict.fromkeys(_name_forms(n) for n in names if n))
    forms = [f for f in forms if f[0]]
    phones = frozenset(p for p in phones if p)
    emails = frozenset(fold_email(e) for e in emails if e)
    return Profile(
        id=customer_id,
        names=tuple(f[0] for f in forms),
        phones=phones,
        emails=emails,
        tax_id=compact_tax_id(tax_id),
        loyalty_id=compact_tax_id(loyalty_id),
        birthday=str(birthday) if birthday else "",
        address=fold_street(street, city) if street else "",
        sorted_names=tuple(f[1] for f in forms),
        mailboxes=frozenset(m for m in (distinctive_local(e) for e in emails) if m),
        tails=frozenset(p[-7:] for p in phones),
    )


def block_keys(p: Profile) -> list[str]:
    """The blocking keys of a customer: two customers are compared only when they share one.

    Identifiers (phone, e-mail's mailbox, tax ID, loyalty ID) each give a key. Names give one key per
    word ("n:") and, because a name alone is weak evidence, one per word *with* a birthday ("nb:") or
    a street address ("ns:"). Common words ("maria", "garcia") make "n:" blocks of thousands: those are
    skipped above MAX_NAME_BLOCK (a namesake is no evidence, and comparing 50,000 Marías is 1.25e9
    pairs), while their "nb:"/"ns:" blocks stay small and still find the supported name-only pairs.
    """
    keys = [f"p:{phone}" for phone in p.phones]
    # An address's mailbox (any domain); a generic one (info@, ventas@) blocks on the whole address.
    keys += list({f"e:{local}" if (local := email_local(e)) else f"e:{e}" for e in p.emails})
    if p.tax_id:
        keys.append(f"t:{p.tax_id}")
    if p.loyalty_id:
        keys.append(f"l:{p.loyalty_id}")
    for token in p.tokens:
        keys.append(f"n:{token}")
        if p.birthday:
            keys.append(f"nb:{token}|{p.birthday}")
        if p.address:
            keys.append(f"ns:{token}|{p.address}")
    return keys


def block_limit(key: str) -> int:
    return MAX_NAME_BLOCK if key.startswith("n:") else MAX_BLOCK


def name_similarity(a: Profile, b: Profile) -> int:
    """The best rapidfuzz score (0-100) between any name of ``a`` and any of ``b``: token_sort_ratio, so
    word order does not count ("perez juan" = "juan perez"); a missing middle word ("juan carlos perez"
    / "juan perez") counts through token_set_ratio, a little less."""
    best = 0.0
    for x in a.sorted_names:
        for y in b.sorted_names:
            best = max(best, fuzz.ratio(x, y))
    if best < NAME_ONLY:  # the dearer set ratio only when it could change the verdict
        for x in a.names:
            for y in b.names:
                if " " in x and " " in y:
                    best = max(best, 0.9 * fuzz.token_set_ratio(x, y))
    return round(best)


def shared_identifiers(a: Profile, b: Profile) -> list[str]:
    shared = []
    if a.phones & b.phones:
        shared.append("phone")
    if a.emails & b.emails:
        shared.append("email")
    if a.tax_id and a.tax_id == b.tax_id:
        shared.append("tax_id")
    if a.loyalty_id and a.loyalty_id == b.loyalty_id:
        shared.append("loyalty_id")
    return shared


def _support(a: Profile, b: Profile) -> int:
    """How many facts besides the name say two customers are one. A name-only pair needs a strong one:
    the same birthday, or the same street address (with its number and city). Weak ones only add to
    it: the same distinctive mailbox at another domain, phones ending alike (the number typed with
    another area code): handles and numbers are drawn from small sets, so namesakes share them by
    chance (the benchmark's base showed thousands of such namesake pairs)."""
    strong = int(bool(a.birthday) and a.birthday == b.birthday)
    strong += int(bool(a.address) and a.address == b.address)
    if not strong:
        return 0
    return strong + int(not a.mailboxes.isdisjoint(b.mailboxes)) + int(not a.tails.isdisjoint(b.tails))


def score_pair(a: Profile, b: Profile) -> tuple[int, tuple[str, ...]] | None:
    """The pair's score (0-100) and reasons, or None when it is no candidate.

    - A shared identifier starts from its weight (ID_WEIGHTS), +8 per further one. A similar name
      (>= NAME_SIMILAR) adds 15 and the reason "name"; a clearly different name (< NAME_DIFFERENT: the
      family sharing a home phone, a company and its contact) takes 25 off: such pairs sink to the
      bottom of the list, or out of it (a shared phone alone, 45, stays just in).
    - Names alone are weak in a base where namesakes are common (a thousand "José García"): a
      name-only pair needs a near-identical name (>= NAME_ONLY) *and* a fact a careful person would
      check: the same birthday or the same street address (see _support). It scores 50-75, under any
      pair with a shared identifier and a similar name.
    """
    shared = shared_identifiers(a, b)
    support = 0 if shared else _support(a, b)
    if not shared and not support:  # most pairs of a block: no name can make them a candidate
        return None
    similarity = name_similarity(a, b) if a.names and b.names else 0
    if shared:
        score = max(ID_WEIGHTS[r] for r in shared) + 8 * (len(shared) - 1)
        reasons = list(shared)
        if similarity >= NAME_SIMILAR:
            score += 15
            reasons.append("name")
        elif similarity < NAME_DIFFERENT:
            score -= 25
    else:
        if similarity < NAME_ONLY:
            return None
        score = 40 + (similarity - NAME_ONLY) + 10 * support
        score, reasons = min(score, 75), ["name"]
    score = max(0, min(100, score))
    if score < MIN_SCORE:
        return None
    return score, tuple(r for r in REASONS if r in reasons)


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def block_pairs(blocks: Iterable[tuple[str, list[int]]]) -> Iterator[tuple[int, int]]:
    """The pairs (a < b) to compare, each once: every pair inside each block, oversized blocks skipped."""
    seen: set[tuple[int, int]] = set()
    for key, ids in blocks:
        if len(ids) < 2 or len(ids) > block_limit(key):
            continue
        members = sorted(set(ids))
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                if (x, y) not in seen:
                    seen.add((x, y))
                    yield x, y


def groups_of(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Connected components (union-find): the smallest id of each group -> its ids, ascending."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return {root: sorted(ids) for root, ids in groups.items()}
