"""Tenant isolation: another organization's ids must behave exactly like ids that do not exist.

Use ``assert_not_found_for_other_org`` for every service that takes an id. Example::

    from crm_app.services import users
    from tests.factories import make_org, make_user
    from tests.isolation import assert_not_found_for_other_org, column_snapshot
    from crm_app.models import User

    def test_set_role_other_org(session):
        _, admin_a = make_org(session, "A")
        victim, _, _ = make_user(session, admin_a)           # org A's user
        _, admin_b = make_org(session, "B")                   # org B's admin attacks

        assert_not_found_for_other_org(
            session,
            lambda: users.set_role(session=session, actor=admin_b, user_id=victim.id, role="admin"),
            column_snapshot(session, User, victim.id),
            what="user",
        )

``call`` runs the service as org B's actor with org A's ids; it must raise
``crm_app.domain.errors.NotFound`` (never Forbidden, which would confirm that the id exists).
``snapshot`` is a no-argument callable returning comparable data read from the database (the victim
row, a count...); it must be equal before and after. The helper also compares the number of rows in
every app table, so a service that writes anything (an activity row, a session) before refusing fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, SQLModel

from crm_app.domain.errors import NotFound
from tests.db import row_counts


def assert_not_found_for_other_org(
    session: Session, call: Callable[[], Any], snapshot: Callable[[], Any], *, what: str | None = None,
    check_row_counts: bool = True,
) -> NotFound:
    """Assert ``call()`` raises NotFound and leaves ``snapshot()`` (and the table sizes) unchanged.

    Pending changes are committed first (the setup is real data); after the refusal the session is
    rolled back, as the app's session_scope does, and the snapshot is read again.
    """
    session.commit()
    before = snapshot()
    counts_before = row_counts(session) if check_row_counts else None
    session.rollback()
    with pytest.raises(NotFound) as refused:
        call()
    session.rollback()
    after = snapshot()
    assert after == before, f"refused call changed the data:\n before={before!r}\n after={after!r}"
    if check_row_counts:
        assert row_counts(session) == counts_before, "refused call wrote rows"
    if what is not None:
        assert refused.value.params.get("what") == what
    session.rollback()
    return refused.value


def column_snapshot(session: Session, model: type[SQLModel], row_id: Any) -> Callable[[], dict[str, Any]]:
    """A snapshot callable: every column of one row, read fresh from the database."""
    table = model.__table__

    def read() -> dict[str, Any]:
        row = session.execute(table.select().where(table.c.id == row_id)).mappings().one_or_none()
        return dict(row) if row is not None else {}

    return read
