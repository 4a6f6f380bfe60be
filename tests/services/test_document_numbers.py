"""Document numbers: per organization and kind, sequential, never the same twice under concurrency."""

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session

from crm_app.services.document_numbers import next_number
from tests.factories import make_org


def test_numbers_are_sequential_per_organization_and_kind(session):
    org_a, _ = make_org(session, "A")
    org_b, _ = make_org(session, "B")
    assert [next_number(session, org_a.id, "order") for _ in range(3)] == [1, 2, 3]
    assert next_number(session, org_a.id, "sale") == 1
    assert next_number(session, org_b.id, "order") == 1


def test_a_rolled_back_number_is_not_lost_to_a_gap_and_committed_ones_are_never_reused(session, engine):
    org, _ = make_org(session, "A")
    assert next_number(session, org.id, "order") == 1
    session.commit()
    assert next_number(session, org.id, "order") == 2
    session.rollback()  # the document was refused: nobody ever saw number 2
    assert next_number(session, org.id, "order") == 2
    session.commit()
    assert next_number(session, org.id, "order") == 3


def test_two_threads_creating_at_once_never_get_the_same_number(session, engine):
    org, _ = make_org(session, "A")

    def take(_: int) -> int:
        with Session(engine) as own:
            number = next_number(own, org.id, "sale")
            own.commit()
            return number

    with ThreadPoolExecutor(2) as pool:
        numbers = list(pool.map(take, range(40)))
    assert sorted(numbers) == list(range(1, 41))
