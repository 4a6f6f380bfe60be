"""A date range of the document lists is paged through its (organization, created_at, id) index: every
document of the range once, newest first, ties in time broken by id, across pages of any size."""

from datetime import UTC, datetime, timedelta

import pytest

from crm_app.domain.documents import DocumentQuery
from crm_app.models import Sale
from crm_app.services.document_pages import document_page
from tests.factories import make_org

# Ecuador (UTC-5): the organization's day 2026-03-10 runs from 05:00 UTC to 05:00 UTC the next day.
DAY_START = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)


def _sales(session, org_id: int, times: list[datetime]) -> list[int]:
    rows = [Sale(organization_id=org_id, number=n + 1, payment_method="cash", currency="USD", created_at=t,
                 updated_at=t) for n, t in enumerate(times)]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def _all_pages(session, actor, query: DocumentQuery) -> list[list[int]]:
    pages, after = [], ""
    while True:
        rows, after = document_page(session, actor, Sale, DocumentQuery(**{**query.__dict__, "after": after}))
        pages.append([r.id for r in rows])
        if not after:
            return pages


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_a_date_range_pages_every_document_once_newest_first(session, limit):
    org, admin = make_org(session, country="EC")
    tie = DAY_START + timedelta(hours=6)
    times = [DAY_START - timedelta(minutes=1), DAY_START, tie, tie, tie, DAY_START + timedelta(hours=20),
             DAY_START + timedelta(days=1) - timedelta(microseconds=1), DAY_START + timedelta(days=1)]
    ids = _sales(session, org.id, times)
    inside = sorted(zip(times[1:7], ids[1:7], strict=True), reverse=True)
    day = DocumentQuery(date_from="2026-03-10", date_to="2026-03-10", limit=limit)
    pages = _all_pages(session, admin, day)
    assert [i for page in pages for i in page] == [i for _, i in inside]
    assert all(len(page) <= limit for page in pages)
    # Open-ended ranges keep their one bound.
    since = _all_pages(session, admin, DocumentQuery(date_from="2026-03-11", limit=limit))
    assert [i for page in since for i in page] == [ids[7]]
    until = _all_pages(session, admin, DocumentQuery(date_to="2026-03-09", limit=limit))
    assert [i for page in until for i in page] == [ids[0]]


def test_a_cursor_of_another_organization_gives_an_empty_page(session):
    org, admin = make_org(session, "A", country="EC")
    other, _ = make_org(session, "B", country="EC")
    mine = _sales(session, org.id, [DAY_START + timedelta(hours=1)])
    theirs = _sales(session, other.id, [DAY_START + timedelta(hours=2)])
    query = DocumentQuery(date_from="2026-03-10", date_to="2026-03-10")
    assert [r.id for r in document_page(session, admin, Sale, query)[0]] == mine
    forged = DocumentQuery(date_from="2026-03-10", date_to="2026-03-10", after=str(theirs[0]))
    assert document_page(session, admin, Sale, forged) == ([], "")
