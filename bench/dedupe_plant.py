"""bench/dedupe.py's planted duplicates: copies of existing customers, each changed the way people
re-enter a customer, each keeping at least one piece of evidence a careful person would use.

KINDS: (name, share of the planted, what changes in the name, the evidence kept)."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from crm_app.domain.emails import normalize_email
from crm_app.domain.search_text import name_key, normalize
from crm_app.models import Customer, CustomerEmail, CustomerPhone

KINDS = (
    ("typo", 0.20, "one typo (two letters swapped or one dropped)", "same phone, typed nationally"),
    ("typo_birthday", 0.05, "one typo", "same birthday (no shared identifier)"),
    ("accents", 0.15, "accents dropped, upper-cased", "same e-mail"),
    ("reordered", 0.15, "surnames first ('Pérez García Juan')", "same tax ID"),
    ("phone_format", 0.15, "none", "same phone typed '+593 99 ...' (same E.164)"),
    ("email_case", 0.10, "accents dropped", "same e-mail typed in capitals (stored lower-cased)"),
    ("name_birthday", 0.10, "accents dropped, lower-cased", "same birthday (no shared identifier)"),
    ("name_street", 0.10, "surnames first", "same street address and city (no shared identifier)"),
)
NEEDS = {"typo": "phone", "phone_format": "phone", "accents": "email", "email_case": "email",
         "reordered": "tax_id"}


@dataclass(frozen=True)
class Planted:
    original: int
    copy: int
    kind: str


def strip_accents(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))


def typo(value: str, rng: random.Random) -> str:
    """Two letters of the longest word swapped, or one dropped."""
    words = value.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) >= 4:
        i = rng.randrange(1, len(word) - 2)
        swapped, dropped = word[:i] + word[i + 1] + word[i] + word[i + 2:], word[:i] + word[i + 1:]
        word = swapped if rng.random() < 0.5 else dropped
    words[longest] = word
    return " ".join(words)


def rename(kind: str, first: str, last: str, rng: random.Random) -> tuple[str, str]:
    if kind in ("typo", "typo_birthday"):
        return (typo(first, rng), last) if rng.random() < 0.3 else (first, typo(last, rng))
    if kind == "accents":
        return strip_accents(first).upper(), strip_accents(last).upper()
    if kind in ("reordered", "name_street"):
        return last, first
    if kind == "email_case":
        return strip_accents(first), strip_accents(last)
    if kind == "name_birthday":
        return strip_accents(first).lower(), strip_accents(last).lower()
    return first, last


def _national(e164: str) -> str:
    """An Ecuadorian number as people type it at home: "0991234567"."""
    return "0" + e164[4:] if e164.startswith("+593") else e164


class _Originals:
    """The sampled people's rows, first phone and first e-mail."""

    def __init__(self, conn: Connection, ids: list[int]) -> None:
        self.rows: dict[int, dict] = {}
        self.phones: dict[int, str] = {}
        self.emails: dict[int, str] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for r in conn.execute(select(Customer.__table__).where(Customer.id.in_(chunk))):
                self.rows[r.id] = dict(r._mapping)
            for cid, e164 in conn.execute(select(CustomerPhone.customer_id, CustomerPhone.e164).where(
                    CustomerPhone.customer_id.in_(chunk), CustomerPhone.position == 0)):
                self.phones[cid] = e164
            for cid, address in conn.execute(select(CustomerEmail.customer_id, CustomerEmail.address)
                                             .where(CustomerEmail.customer_id.in_(chunk))):
                self.emails.setdefault(cid, address)

    def fits(self, cid: int, kind: str) -> bool:
        need = NEEDS.get(kind)
        has = {"phone": cid in self.phones, "email": cid in self.emails,
               "tax_id": bool(self.rows[cid]["tax_id"])}
        return need is None or has[need]


class _Writer:
    """The copies' rows, gathered, then written with a few executemany."""

    def __init__(self, org_id: int, now) -> None:
        self.org, self.now = org_id, now
        self.customers: list[dict] = []
        self.phones: list[dict] = []
        self.emails: list[dict] = []
        self.updates: list[dict] = []

    def copy(self, original: dict, new_id: int, first: str, last: str) -> dict:
        row = dict(original)
        for pg_only in ("search_rest", "search_facets"):  # PostgreSQL's triggers compute them
            row.pop(pg_only, None)
        display = f"{first} {last}"
        sort_name = normalize(display)[:200]
        row.update(id=new_id, tax_id=None, tax_id_type="", loyalty_id=None, birthday=None, street="", city="",
                   address_country="", primary_phone_e164="", primary_email="", created_at=self.now,
                   updated_at=self.now, first_name=first, last_name=last, display_name=display,
                   sort_name=sort_name, name_key=name_key(sort_name, new_id),
                   search_text=" ".join(dict.fromkeys(x for x in (normalize(first), normalize(last)) if x)))
        self.customers.append(row)
        return row

    def phone(self, row: dict, raw: str, e164: str) -> None:
        self.phones.append({"organization_id": self.org, "customer_id": row["id"], "raw": raw, "e164": e164,
                            "kind": "mobile", "label": "", "whatsapp": False, "viber": False, "sms": False,
                            "is_primary": True, "position": 0})
        row["primary_phone_e164"] = e164
        row["search_text"] += " " + e164[1:]

    def email(self, row: dict, address: str) -> None:
        self.emails.append({"organization_id": self.org, "customer_id": row["id"], "address": address,
                            "accepts_email": False, "consent_at": None, "consent_source": "",
                            "is_primary": True, "position": 0})
        row["primary_email"] = address
        row["search_text"] += " " + address

    def write(self, conn: Connection) -> None:
        for table, rows in ((Customer.__table__, self.customers), (CustomerPhone.__table__, self.phones),
                            (CustomerEmail.__table__, self.emails)):
            if rows:
                conn.execute(insert(table), rows)
        for values in self.updates:  # an original gets the evidence he lacked (as if typed in since)
            sets = ", ".join(f"{k} = :{k}" for k in values if k != "cid")
            conn.execute(text(f"UPDATE customer SET {sets} WHERE id = :cid"), values)


def _evidence(kind: str, cid: int, found: _Originals, row: dict, out: _Writer, rng: random.Random) -> None:
    original = found.rows[cid]
    if kind in ("typo", "phone_format"):
        e164 = found.phones[cid]
        raw = _national(e164) if kind == "typo" else f"{e164[:4]} {e164[4:6]} {e164[6:9]} {e164[9:]}"
        out.phone(row, raw, e164)
    elif kind in ("accents", "email_case"):
        out.email(row, found.emails[cid] if kind == "accents" else normalize_email(found.emails[cid].upper()))
    elif kind == "reordered":
        row.update(tax_id=original["tax_id"], tax_id_type=original["tax_id_type"])
        row["search_text"] += " " + original["tax_id"].lower()
    elif kind in ("name_birthday", "typo_birthday"):
        born = original["birthday"]
        if not born:
            born = date(rng.randrange(1950, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
            out.updates.append({"cid": cid, "birthday": born})
        row["birthday"] = born
    elif kind == "name_street":
        street, city = original["street"], original["city"]
        if not street:
            street, city = f"Av. Amazonas {rng.randrange(1, 3000)}", "Quito"
            out.updates.append({"cid": cid, "street": street, "city": city})
        row.update(street=street, city=city, address_country="EC")


def plant(conn: Connection, org_id: int, count: int, rng: random.Random, *, now,
          first_id: int) -> list[Planted]:
    """Plant ``count`` duplicates of distinct random people of the organization; ids from ``first_id``."""
    people = list(conn.execute(select(Customer.id).where(Customer.organization_id == org_id,
                                                         Customer.client_type == "person")).scalars())
    pool = rng.sample(people, min(count * 2, len(people)))  # spares for the kinds' needs
    found, out = _Originals(conn, pool), _Writer(org_id, now)
    plan = [kind for kind, share, _, _ in KINDS for _ in range(round(count * share))][:count]
    rng.shuffle(plan)
    planted: list[Planted] = []
    for kind in plan:
        cid = next((c for c in pool if found.fits(c, kind)), None)
        if cid is None:
            continue
        pool.remove(cid)
        new_id = first_id + len(planted)
        first, last = rename(kind, found.rows[cid]["first_name"], found.rows[cid]["last_name"], rng)
        row = out.copy(found.rows[cid], new_id, first, last)
        _evidence(kind, cid, found, row, out, rng)
        planted.append(Planted(cid, new_id, kind))
    out.write(conn)
    return planted


def accidental_shared(conn: Connection, org_id: int) -> dict[str, int]:
    """Identifier values held by more than one active customer: a seeded base should have none besides
    the planted ones (the bench counts those it finds as truth, not as errors)."""
    queries = {
        "phone": "SELECT count(*) FROM (SELECT e164 FROM customer_phone WHERE organization_id = :o "
                 "GROUP BY e164 HAVING count(DISTINCT customer_id) > 1) x",
        "email": "SELECT count(*) FROM (SELECT address FROM customer_email WHERE organization_id = :o "
                 "GROUP BY address HAVING count(DISTINCT customer_id) > 1) x",
        "tax_id": "SELECT count(*) FROM (SELECT tax_id FROM customer WHERE organization_id = :o AND tax_id "
                  "IS NOT NULL GROUP BY tax_id HAVING count(*) > 1) x",
    }
    return {k: conn.execute(text(q), {"o": org_id}).scalar() for k, q in queries.items()}
