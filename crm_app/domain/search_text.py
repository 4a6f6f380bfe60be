"""Search text: one normalized string per customer, and the same normalization for queries.

Stored text and typed queries go through :func:`normalize`, so "perez" finds "Pérez" and "PEREZ".
The customer's text holds his names, tax ID, loyalty ID, e-mails and phone numbers as digit strings
(E.164 and national form), so a substring of any of them finds him: "rez", "0991", "9912", "@gmail".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from crm_app.domain.phones import phone_digits

_SPACES = re.compile(r"\s+")
# What people type between the digits of a phone or an ID number: "+593 (99) 123-4567", "12.531.909-2".
_NUMBER_LIKE = re.compile(r"[\d\s().+\-/]*\d[\d\s().+\-/]*")
_NUMBER_PUNCTUATION = re.compile(r"[\s().+\-/]")

# Trigram indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm) need terms of at least this many characters.
MIN_TRIGRAM = 3


def normalize(text: str) -> str:
    """NFKD, combining marks and control characters removed, lower-cased, white space collapsed:
    "  José  PÉREZ " -> "jose perez"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(
        ch for ch in decomposed if (not unicodedata.combining(ch) and ch >= " ") or ch in "\t\n\r"
    )
    return _SPACES.sub(" ", stripped.lower()).strip()


def customer_search_text(
    *,
    names: Iterable[str],
    tax_id: str = "",
    loyalty_id: str = "",
    emails: Iterable[str] = (),
    phones_e164: Iterable[str] = (),
    region: str = "",
) -> str:
    """The text indexed for one customer (names, IDs, e-mails, phone digit strings), normalized.

    ``region`` is the organization's country: national forms of its numbers ("0991234567") are
    indexed besides E.164 ("593991234567").
    """
    parts: list[str] = [normalize(n) for n in names]
    parts.append(normalize(tax_id))
    parts.append(normalize(loyalty_id))
    parts.extend(normalize(e) for e in emails)
    parts.extend(phone_digits(p, region) for p in phones_e164)
    seen: set[str] = set()
    unique = []
    for part in parts:
        if part and part not in seen:
            seen.add(part)
            unique.append(part)
    return " ".join(unique)


def sort_key(display_name: str) -> str:
    """The normalized display name customers are ordered by ("Álvarez" sorts with "alvarez")."""
    return normalize(display_name)[:200]


@dataclass(frozen=True)
class SearchTerms:
    """A query split for the search plans.

    ``long`` terms (>= 3 characters) can use the trigram indexes; ``short`` ones (1-2 characters)
    cannot, they are matched as the start of a word. ``text`` is the whole normalized query.
    """

    text: str
    long: tuple[str, ...]
    short: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.long or self.short)


def parse_query(query: str) -> SearchTerms:
    """Normalize a typed query and split it into terms (all must match, in any order).

    A query made only of digits and phone/ID punctuation ("+593 99 123-4567", "12.531.909-2") is
    one term of its digits, because that is how phones and tax IDs are indexed.
    """
    text = normalize(query)[:200]
    if not text:
        return SearchTerms("", (), ())
    if _NUMBER_LIKE.fullmatch(text):
        digits = _NUMBER_PUNCTUATION.sub("", text)
        return _split(digits, [digits])
    words: list[str] = []
    for word in text.split(" "):
        if word not in words:
            words.append(word)
    return _split(text, words)


def _split(text: str, words: list[str]) -> SearchTerms:
    # A term contained in another long term adds nothing ("per perez" == "perez").
    long = [w for w in words if len(w) >= MIN_TRIGRAM]
    long = [w for w in long if not any(w != other and w in other for other in long)]
    short = [w for w in words if len(w) < MIN_TRIGRAM and not any(w in other for other in long)]
    return SearchTerms(text=text, long=tuple(long), short=tuple(short))


# --------------------------------------------------------------------------- first words
# PostgreSQL (migration 0009). A first name ("lorena") matches thousands of customers that sit together
# in name order, under their first word, and a trigram index (no order) would read every one of them
# to sort a page. So its trigram index holds the *rest* of the search text: the text without whole-word
# occurrences of the customer's first word (the first word of his sort name). A term then matches
#   - customers whose first word the term can overlap: ranges of the name index, read in order, and
#   - customers whose rest contains it: the trigram index, usually few rows.
# A word is a run of a-z and 0-9 (normalized text); only first words made of such characters are taken
# out. The same definition lives in the migration's trigger (SQL) and here (the seed writes the column).

WORD = re.compile(r"[a-z0-9]+")  # a word of normalized text


def first_word(sort_name: str) -> str:
    """The first word of a sort name when it is one run of a-z and 0-9, else "" (nothing taken out)."""
    word = sort_name.split(" ", 1)[0]
    return word if WORD.fullmatch(word) else ""


def search_rest(search_text: str, sort_name: str) -> str:
    """The search text without the whole-word occurrences of the sort name's first word."""
    word = first_word(sort_name)
    if not word:
        return search_text
    return _whole_word(word).sub("", search_text)


@lru_cache(maxsize=4096)
def _whole_word(word: str) -> re.Pattern[str]:
    # The migration's SQL keeps the character before the word with a group, (^|[^a-z0-9])word(?=...)
    # -> \1: the same matches as this look-behind, which needs no replacement template (faster).
    return re.compile(rf"(?<![a-z0-9]){word}(?![a-z0-9])")


def first_word_patterns(term: str) -> list[str]:
    """LIKE patterns of the first words an occurrence of ``term`` can overlap.

    Where the term overlaps a whole word of the text, the overlap is one of the term's runs of a-z0-9:
    all of the word unless the run touches an end of the term ("diana." overlaps the word "diana"
    itself; "ana" any word containing "ana"; "a.lop" a word ending in "a" or one starting with "lop").
    """
    return [
        ("%" if run.start() == 0 else "") + run.group() + ("%" if run.end() == len(term) else "")
        for run in WORD.finditer(term)
    ]


# --------------------------------------------------------------------------- name keys
# SQLite's search index (FTS5) lists its matches in rowid order and can start at any rowid. Its rowid
# is the customer's *name key*: the first NAME_KEY_CHARS characters of the sort name, 5 bits each, in
# an order-preserving code, then the customer id. So a search sorted by name reads the index from the
# cursor on and stops after a page, whatever the number of matches; only rows sharing the code of the
# page's last row need sorting by their full name.

# PostgreSQL's customer.search_facets (migration 0008) holds the customer's tag ids and this value
# when one of his e-mails accepts messages: the trigram index answers both filters with the terms.
CONSENT_FACET = -1

NAME_KEY_CHARS = 7
NAME_KEY_ID_BITS = 28  # customer ids below 2**28 (268 million); 7 x 5 + 28 = 63 bits, a positive int64
NAME_KEY_ID_MASK = (1 << NAME_KEY_ID_BITS) - 1


def _char_code(ch: str) -> int:
    # Non-decreasing with the byte-wise order of (normalized) text: "" < " " < punctuation < digits < ...
    if ch == " ":
        return 1
    if ch < "0":
        return 2
    if ch <= "9":
        return 3
    if ch < "a":
        return 4
    if ch <= "z":
        return 5 + ord(ch) - 97
    return 31


def name_code(sort_name: str) -> int:
    """Order-preserving code of the start of a sort name: a < b implies name_code(a) <= name_code(b).

    Space and a-z have codes of their own; other characters share a code per range, so after one of
    them the following characters cannot count (they would break the order) and are left out.
    """
    value, exact = 0, True
    for i in range(NAME_KEY_CHARS):
        code = _char_code(sort_name[i]) if exact and i < len(sort_name) else 0
        exact = code == 1 or 5 <= code <= 30
        value = value * 32 + code
    return value


def name_key(sort_name: str, customer_id: int) -> int:
    """The search index rowid of a customer: name code, then id (unique because the id is)."""
    if not 0 < customer_id <= NAME_KEY_ID_MASK:
        raise ValueError(f"customer id {customer_id} does not fit a name key")
    return (name_code(sort_name) << NAME_KEY_ID_BITS) | customer_id


def name_key_group(code: int) -> tuple[int, int]:
    """First and last name key of the rows whose sort names share ``code``."""
    return code << NAME_KEY_ID_BITS, (code << NAME_KEY_ID_BITS) | NAME_KEY_ID_MASK


# Characters sharing a code, as [low, high) ranges (high None: no upper bound).
_CLASS_RANGES = {2: ("!", "0"), 3: ("0", ":"), 4: (":", "a"), 31: ("{", None)}


def name_code_range(code: int) -> tuple[str, str | None]:
    """The sort names whose code is ``code``, as a range [low, high) (high None: unbounded).

    They form one range because the code preserves order: a prefix of exact characters, then either
    the end of the name, a character class, or (all seven exact) anything.
    """
    prefix = ""
    for position in range(NAME_KEY_CHARS):
        digit = (code >> (5 * (NAME_KEY_CHARS - 1 - position))) & 31
        if digit == 0:  # the name ends here: that very name only
            return prefix, prefix + "\x00"
        if digit == 1 or 5 <= digit <= 30:
            prefix += " " if digit == 1 else chr(92 + digit)
            continue
        low, high = _CLASS_RANGES[digit]
        return prefix + low, (prefix + high) if high else (_after(prefix) if prefix else None)
    return prefix, _after(prefix)


def _after(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
