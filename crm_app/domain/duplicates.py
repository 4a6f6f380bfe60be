"""Duplicate customers as plain values: why two customers may be one (the reasons, a bit set in
``duplicate_pair.reasons``), and what the review page shows (groups of candidates with their score).

CONTRACT (issue 16): the DTOs below are shared by the scan (services/duplicates/), the review page
(states/duplicates.py) and the merge; the scan's pure logic (folding, blocking keys, scoring) is added
below them by the scan's owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
