"""Writing candidate pairs and their groups.

A group is a connected component of the pairs (union-find, domain.duplicates.groups_of), keyed by its
smallest customer id (``group_key``, also on each pair). Whatever changes pairs (a scan, a dismissal,
a merge forgetting customers) calls :func:`regroup` with the customers it touched: only their groups
are rebuilt."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, insert, or_, select, update
from sqlmodel import Session

from crm_app.domain.duplicates import groups_of
from crm_app.models import DuplicateDismissal, DuplicateGroup, DuplicatePair
from crm_app.models.types import utcnow
from crm_app.services.duplicates.compare import Pair

WRITE_BATCH = 2_000
_P = DuplicatePair.__table__.c


def _chunks(values: list, size: int = 400):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def dismissed_all(session: Session, org_id: int) -> set[tuple[int, int]]:
    query = select(DuplicateDismissal.customer_a_id, DuplicateDismissal.customer_b_id).where(
        DuplicateDismissal.organization_id == org_id)
    return {(a, b) for a, b in session.execute(query)}


def dismissed_among(session: Session, org_id: int, pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The dismissed ones among ``pairs`` (a < b)."""
    wanted, found = set(pairs), set()
    for chunk in _chunks(sorted({a for a, _ in wanted})):
        query = select(DuplicateDismissal.customer_a_id, DuplicateDismissal.customer_b_id).where(
            DuplicateDismissal.organization_id == org_id, DuplicateDismissal.customer_a_id.in_(chunk))
        found.update(p for p in map(tuple, session.execute(query)) if p in wanted)
    return found


def _group_rows(org_id: int, pairs: list[Pair]) -> tuple[dict[tuple[int, int], int], list[dict]]:
    """Each pair's group key, and the groups' rows."""
    groups = groups_of((a, b) for a, b, _, _ in pairs)
    key_of = {cid: root for root, ids in groups.items() for cid in ids}
    best: dict[int, list[int]] = {}  # root -> [score, reasons]
    for a, _, score, reasons in pairs:
        held = best.setdefault(key_of[a], [0, 0])
        held[0], held[1] = max(held[0], score), held[1] | reasons
    now = utcnow()
    rows = [{"organization_id": org_id, "group_key": root, "score": best[root][0], "reasons": best[root][1],
             "size": len(ids), "customer_ids": json.dumps(ids), "found_at": now}
            for root, ids in groups.items()]
    return {(a, b): key_of[a] for a, b, _, _ in pairs}, rows


def _insert(session: Session, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), WRITE_BATCH):
        session.execute(insert(table), rows[start:start + WRITE_BATCH])


def replace_all(session: Session, org_id: int, pairs: list[Pair]) -> int:
    """A full scan's result replaces the organization's pairs and groups; returns the groups' count."""
    session.execute(delete(DuplicatePair).where(DuplicatePair.organization_id == org_id))
    session.execute(delete(DuplicateGroup).where(DuplicateGroup.organization_id == org_id))
    keys, groups = _group_rows(org_id, pairs)
    now = utcnow()
    _insert(session, DuplicatePair.__table__, [
        {"organization_id": org_id, "customer_a_id": a, "customer_b_id": b, "score": s, "reasons": r,
         "group_key": keys[(a, b)], "found_at": now} for a, b, s, r in pairs])
    _insert(session, DuplicateGroup.__table__, groups)
    return len(groups)


def _touching(org_id: int, ids: list[int]):
    return (DuplicatePair.organization_id == org_id,
            or_(DuplicatePair.customer_a_id.in_(ids), DuplicatePair.customer_b_id.in_(ids)))


def group_keys_of(session: Session, org_id: int, customer_ids: Iterable[int]) -> set[int]:
    keys: set[int] = set()
    for chunk in _chunks(sorted(set(customer_ids))):
        query = select(DuplicatePair.group_key).where(*_touching(org_id, chunk))
        keys.update(session.execute(query).scalars())
    return keys


def partners_of(session: Session, org_id: int, customer_ids: Iterable[int]) -> set[int]:
    """The other halves of these customers' current pairs."""
    ids, found = sorted(set(customer_ids)), set()
    for chunk in _chunks(ids):
        query = select(_P.customer_a_id, _P.customer_b_id).where(*_touching(org_id, chunk))
        found.update(x for pair in session.execute(query) for x in pair)
    return found - set(ids)


def delete_pairs_of(session: Session, org_id: int, customer_ids: Iterable[int]) -> None:
    for chunk in _chunks(sorted(set(customer_ids))):
        session.execute(delete(DuplicatePair).where(*_touching(org_id, chunk))
                        .execution_options(synchronize_session=False))


def add_pairs(session: Session, org_id: int, pairs: list[Pair]) -> None:
    """New pairs (none of them stored: the caller deleted its customers' pairs first), group key 0
    until :func:`regroup`."""
    now = utcnow()
    _insert(session, DuplicatePair.__table__, [
        {"organization_id": org_id, "customer_a_id": a, "customer_b_id": b, "score": s, "reasons": r,
         "group_key": 0, "found_at": now} for a, b, s, r in pairs])


def regroup(session: Session, org_id: int, old_keys: set[int]) -> None:
    """Rebuild the groups ``old_keys`` and those of the new pairs (group key 0): their pairs' components
    become groups again; a group left without pairs disappears."""
    keys = sorted(old_keys | {0})
    pairs: list[Pair] = []
    current: dict[tuple[int, int], int] = {}
    for chunk in _chunks(keys):
        for a, b, score, reasons, key in session.execute(
                select(_P.customer_a_id, _P.customer_b_id, _P.score, _P.reasons, _P.group_key)
                .where(_P.organization_id == org_id, _P.group_key.in_(chunk))):
            pairs.append((a, b, score, reasons))
            current[(a, b)] = key
    pair_keys, groups = _group_rows(org_id, pairs)
    stale = sorted(set(keys) | {g["group_key"] for g in groups})
    for chunk in _chunks(stale):
        session.execute(delete(DuplicateGroup).where(DuplicateGroup.organization_id == org_id,
                                                     DuplicateGroup.group_key.in_(chunk))
                        .execution_options(synchronize_session=False))
    for (a, b), key in pair_keys.items():
        if current[(a, b)] != key:  # new pairs, and groups that split or joined
            session.execute(update(DuplicatePair).where(
                DuplicatePair.organization_id == org_id, DuplicatePair.customer_a_id == a,
                DuplicatePair.customer_b_id == b).values(group_key=key)
                .execution_options(synchronize_session=False))
    _insert(session, DuplicateGroup.__table__, groups)


def forget(session: Session, org_id: int, customer_ids: Iterable[int]) -> None:
    """These customers leave every pair, and their groups are rebuilt without them."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    keys = group_keys_of(session, org_id, ids)
    delete_pairs_of(session, org_id, ids)
    if keys:
        regroup(session, org_id, keys)
