"""``Idempotency-Key`` on POST routes: a retry within 24 hours gets the first answer again.

The key is per API key. The same key with the same body replays the first answer (status, body,
Location and ETag, plus ``Idempotent-Replayed: true``) without creating anything; with another body
it is a 422 problem. The reply is written in the transaction that creates, so either both are saved
or neither (a failed request may be sent again and runs afresh).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from crm_app.api.v1.deps import Caller
from crm_app.api.v1.problems import ApiProblem
from crm_app.services import api_auth

IdempotencyKey = Annotated[str | None, Header(
    min_length=1, max_length=200,
    description="Any unique string (a UUID): a retry with the same key and body within 24 h "
                "gets the first answer again instead of creating twice.")]
REMEMBERED_HEADERS = ("location", "etag")


def idempotent(
    session: Session, caller: Caller, key: str | None, path: str, payload: Any,
    run: Callable[[], JSONResponse],
) -> Response:
    """``run()``'s answer, remembered under ``key`` when it succeeds; or the remembered one.
    ``payload`` is the request's JSON body as parsed (its canonical form tells a retry apart)."""
    if not key:
        return run()
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    fingerprint = api_auth.request_fingerprint("POST", path, canonical)
    try:
        claimed = api_auth.claim_idempotency(session, caller.key_id, key, fingerprint)
    except api_auth.IdempotencyMismatch:
        raise ApiProblem(422, "api_idempotency_mismatch") from None
    except api_auth.IdempotencyRunning:
        raise ApiProblem(409, "api_idempotency_running", headers={"Retry-After": "1"}) from None
    if isinstance(claimed, api_auth.StoredReply):
        headers = {**claimed.headers, "Idempotent-Replayed": "true"}
        return Response(claimed.body, status_code=claimed.status_code, headers=headers,
                        media_type="application/json")
    response = run()
    if response.status_code >= 400:  # not remembered: a retry runs afresh
        session.delete(claimed)
        return response
    kept = {name: response.headers[name] for name in REMEMBERED_HEADERS if name in response.headers}
    reply = api_auth.StoredReply(response.status_code, bytes(response.body).decode(), kept)
    api_auth.remember(session, claimed, reply)
    return response
