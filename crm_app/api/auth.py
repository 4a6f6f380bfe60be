"""Who calls an API route: the signed-in user of the ``crm_session`` cookie, checked on every request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Cookie, Depends, HTTPException
from sqlmodel import Session

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.services import auth as auth_service

SESSION_COOKIE = auth_service.SESSION_COOKIE  # HttpOnly, set and cleared by api/session.py


def db_session() -> Iterator[Session]:
    """One transaction per request (tests override this dependency with their own database)."""
    with session_scope() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session)]


def signed_in(session: DbSession, crm_session: Annotated[str, Cookie()] = "") -> Actor:
    """The actor behind the session cookie; 401 when signed out, expired or revoked.

    A user who must still change his temporary password gets 403, as the pages send him to do that
    first.
    """
    actor = auth_service.resolve_session(session=session, token=crm_session)
    if actor is None:
        raise HTTPException(status_code=401, detail="not signed in")
    if actor.must_change_password:
        raise HTTPException(status_code=403, detail="change your password first")
    return actor


CurrentActor = Annotated[Actor, Depends(signed_in)]
