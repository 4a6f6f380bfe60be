"""``/api/v1/connectors/facebook/<public key>``: Meta's Lead Ads webhook, no API key.

- GET: the subscription handshake. ``hub.mode=subscribe`` with the connector's verify token is answered
  with ``hub.challenge`` as text/plain; anything else 403.
- POST: ``X-Hub-Signature-256`` must be the HMAC-SHA256 of the raw body with the app secret (403
  otherwise); each leadgen change becomes a lead (services/lead_ads.py). Answered 200 quickly, also
  when a lead was skipped, so Meta does not retry a callback forever.
An unknown or disabled connector is a 404 problem.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from crm_app.api.v1.deps import ApiSession
from crm_app.api.v1.problems import ApiProblem
from crm_app.services import lead_ads

router = APIRouter(prefix="/connectors", tags=["connectors"])
MAX_BODY = 256 * 1024


def graph_client() -> lead_ads.GraphClient:
    """The Graph API adapter (tests override this dependency with a local fake)."""
    return lead_ads.HttpxGraphClient()


@router.get("/facebook/{public_key}", response_class=PlainTextResponse,
            summary="Meta's webhook verification (hub.challenge)")
def handshake(
    public_key: str, session: ApiSession,
    mode: Annotated[str | None, Query(alias="hub.mode", max_length=40)] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token", max_length=200)] = None,
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=200)] = "",
) -> Response:
    row = lead_ads.enabled_connector(session, public_key)
    if row is None:
        raise ApiProblem(404, "leadads_not_found")
    if not lead_ads.verify(row, mode, token):
        raise ApiProblem(403, "leadads_verify_refused")
    return PlainTextResponse(challenge)


@router.post("/facebook/{public_key}", summary="Meta's leadgen notifications (signed)")
async def notification(
    public_key: str, request: Request, session: ApiSession,
    graph: Annotated[lead_ads.GraphClient, Depends(graph_client)],
) -> Response:
    row = lead_ads.enabled_connector(session, public_key)
    if row is None:
        raise ApiProblem(404, "leadads_not_found")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ApiProblem(413, "leadads_body_too_large")
    signature = request.headers.get("x-hub-signature-256")
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        payload = None
    try:
        created = lead_ads.receive(session, row, body, signature, payload, graph)
    except lead_ads.SignatureRefused:
        raise ApiProblem(403, "leadads_signature_refused") from None
    return JSONResponse({"received": len(created)})
