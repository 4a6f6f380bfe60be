"""What every /api/v1 route depends on: the caller (a Bearer API key with a scope) and the session.

    caller: Annotated[Caller, Depends(require("customers:read"))]

``require`` refuses an unknown, revoked or expired key (401 with ``WWW-Authenticate: Bearer``), a key
without the scope (403) and a key over its per-minute limit (429 with ``Retry-After``), and records
the key's last use. Service calls go inside ``with acting(caller):`` so the feed says "via API key".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from crm_app.api.auth import db_session
from crm_app.api.v1.problems import ApiProblem, accepted_language
from crm_app.domain.api_keys import granted
from crm_app.domain.dto import Actor
from crm_app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from crm_app.models import Organization
from crm_app.services import api_auth
from crm_app.services.acting import acting_via

ApiSession = Annotated[Session, Depends(db_session)]

# auto_error off: a missing key is our own 401 problem, not FastAPI's 403. Named so that the OpenAPI
# document (and the docs page's "Authorize") shows the Bearer scheme.
_bearer = HTTPBearer(auto_error=False, scheme_name="ApiKey", description="An API key from /settings/api.")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Caller:
    key_id: int
    key_name: str
    organization_id: int
    scopes: tuple[str, ...]
    actor: Actor
    language: str  # "es" | "en" | "pt": from Accept-Language, else the organization's


def _language(session: Session, request: Request, organization_id: int) -> str:
    chosen = accepted_language(request.headers.get("accept-language"))
    if chosen:
        return chosen
    org = session.get(Organization, organization_id)
    lang = org.language if org is not None else DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def require(scope: str) -> Callable[..., Caller]:
    """A dependency that admits a key holding ``scope`` (or one implying it) and returns its Caller."""

    def caller(
        request: Request,
        session: ApiSession,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    ) -> Caller:
        token = credentials.credentials if credentials is not None else ""
        try:
            use = api_auth.authenticate(session, token)
        except api_auth.KeyRefused as refused:
            raise ApiProblem(401, refused.code, headers=_CHALLENGE) from None
        language = _language(session, request, use.organization_id)
        request.state.api_language = language
        if use.retry_after:
            raise ApiProblem(429, "api_rate_limited", headers={"Retry-After": str(use.retry_after)},
                             seconds=use.retry_after)
        if not granted(use.scopes, scope):
            raise ApiProblem(403, "api_scope_missing", scope=scope)
        actor = api_auth.key_actor(use, language)
        return Caller(use.key_id, use.key_name, use.organization_id, use.scopes, actor, language)

    return caller


@contextmanager
def acting(caller: Caller) -> Iterator[None]:
    """Feed events written inside carry "via API key <name>"."""
    with acting_via("api_key", caller.key_name):
        yield
