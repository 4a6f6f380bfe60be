"""Facebook Lead Ads: the organization's connector (set by an admin in /settings/api) and Meta's calls to
``/api/v1/connectors/facebook/<public key>``.

Meta's callback only names the new lead (its leadgen id); its answers are fetched from the Graph API
through a :class:`GraphClient` (the real one needs the internet, tests pass a local fake). Each lead
is created through services/leads.py as the connector's creator, recorded "via Facebook Lead Ads",
with the connector's channel and owner. A leadgen id already turned into a lead is skipped, so Meta's
retries never make two.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain import lead_ads_mapping as mapping_rules
from crm_app.domain.api_keys import new_public_key
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.models import User
from crm_app.models.integrations import LeadAdsConnector
from crm_app.models.lead import Lead
from crm_app.models.types import utcnow
from crm_app.services import leads
from crm_app.services.acting import acting_via
from crm_app.services.tenancy import channel_and_owner_errors, staff_organization

_log = logging.getLogger(__name__)
GRAPH_URL = "https://graph.facebook.com/v19.0/{leadgen_id}"
VIA_NAME = "Facebook"


class GraphClient(Protocol):
    def lead_fields(self, leadgen_id: str, access_token: str) -> list[dict[str, Any]]:
        """The lead's ``field_data``; raises on a network or Graph API error."""


class HttpxGraphClient:
    """The Graph API over the internet (never called in tests)."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout

    def lead_fields(self, leadgen_id: str, access_token: str) -> list[dict[str, Any]]:
        answer = httpx.get(GRAPH_URL.format(leadgen_id=leadgen_id),
                           params={"access_token": access_token, "fields": "field_data"},
                           timeout=self.timeout)
        answer.raise_for_status()
        data = answer.json()
        return data.get("field_data", []) if isinstance(data, dict) else []


@dataclass(frozen=True)
class ConnectorDraft:
    """What the admin saves; an empty ``app_secret``/``page_token`` keeps the saved one."""

    mapping_rows: tuple[tuple[str, str], ...]
    app_secret: str = ""
    page_token: str = ""
    channel_id: int | None = None
    owner_id: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class ConnectorDTO:
    public_key: str
    verify_token: str
    has_app_secret: bool
    page_token_hint: str  # the last 4 characters, never the token
    mapping: tuple[tuple[str, str], ...]
    channel_id: int | None
    owner_id: int | None
    enabled: bool


class SignatureRefused(Exception):
    """X-Hub-Signature-256 missing or not the app secret's."""


def _to_dto(row: LeadAdsConnector) -> ConnectorDTO:
    hint = f"…{row.page_token[-4:]}" if row.page_token else ""
    return ConnectorDTO(row.public_key, row.verify_token, bool(row.app_secret), hint,
                        tuple(mapping_rules.load_mapping(row.field_mapping).items()),
                        row.channel_id, row.owner_id, row.enabled)


def _admin(session: Session, actor: Actor) -> int:
    org = staff_organization(session, actor)
    if not actor.is_admin:
        raise Forbidden()
    return org.id


def _row(session: Session, org_id: int) -> LeadAdsConnector | None:
    return session.execute(
        select(LeadAdsConnector).where(LeadAdsConnector.organization_id == org_id)
    ).scalar_one_or_none()


def get_connector(*, session: Session, actor: Actor) -> ConnectorDTO | None:
    row = _row(session, _admin(session, actor))
    return _to_dto(row) if row is not None else None


def save_connector(*, session: Session, actor: Actor, draft: ConnectorDraft) -> ConnectorDTO:
    """Create the organization's connector (with its public key and verify token) or change it."""
    org_id = _admin(session, actor)
    errors: dict[str, FieldError] = {}
    try:
        mapping = mapping_rules.clean_mapping(draft.mapping_rows)
    except FieldError as refused:
        errors["field_mapping"], mapping = refused, {}
    errors.update(channel_and_owner_errors(session, org_id, draft.channel_id, draft.owner_id))
    secret, token = draft.app_secret.strip(), draft.page_token.strip()
    if len(secret) > 200:
        errors["app_secret"] = FieldError("too_long", max=200)
    if len(token) > 1000:
        errors["page_token"] = FieldError("too_long", max=1000)
    row = _row(session, org_id)
    if draft.enabled and not secret and not (row and row.app_secret):
        errors["app_secret"] = FieldError("leadads_secret_required")
    if errors:
        raise ValidationFailed(errors)
    if row is None:
        row = LeadAdsConnector(organization_id=org_id, public_key=new_public_key("la"),
                               verify_token=secrets.token_urlsafe(24), created_by=actor.user_id)
    row.field_mapping = mapping_rules.json_mapping(mapping)
    row.app_secret = secret or row.app_secret
    row.page_token = token or row.page_token
    row.channel_id, row.owner_id, row.enabled = draft.channel_id, draft.owner_id, draft.enabled
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _to_dto(row)


# --------------------------------------------------------------------------- Meta's calls


def enabled_connector(session: Session, public_key: str) -> LeadAdsConnector | None:
    if not isinstance(public_key, str) or not 3 <= len(public_key) <= 40:
        return None
    row = session.execute(
        select(LeadAdsConnector).where(LeadAdsConnector.public_key == public_key)
    ).scalar_one_or_none()
    return row if row is not None and row.enabled else None


def verify(row: LeadAdsConnector, mode: str | None, token: str | None) -> bool:
    """Meta's subscription handshake: ``hub.mode=subscribe`` with our verify token."""
    return mode == "subscribe" and secrets.compare_digest((token or "").encode(), row.verify_token.encode())


def _already(session: Session, org_id: int, leadgen_id: str) -> bool:
    found = session.execute(
        select(Lead.id).where(Lead.organization_id == org_id,
                              Lead.notes.endswith(mapping_rules.marker(leadgen_id))).limit(1)
    ).first()
    return found is not None


def _actor(session: Session, row: LeadAdsConnector) -> Actor:
    user = session.get(User, row.created_by)
    if user is None or not user.is_active:
        raise NotFound("lead_ads_connector")
    return Actor(user_id=user.id, organization_id=row.organization_id, role=user.role, name=user.name,
                 email=user.email, language=user.language)


def receive(session: Session, row: LeadAdsConnector, body: bytes, signature: str | None,
            payload: object, graph: GraphClient) -> list[int]:
    """Create a lead for each new leadgen change of a signed callback; the new leads' ids.

    Raises SignatureRefused. A lead Meta's answer can't make (no name, a bad e-mail...) or that the
    Graph API won't give is logged and skipped: Meta would retry the whole callback otherwise.
    """
    if not mapping_rules.signature_valid(body, signature, row.app_secret):
        raise SignatureRefused()
    actor = _actor(session, row)
    mapping = mapping_rules.load_mapping(row.field_mapping)
    created: list[int] = []
    for change in mapping_rules.leadgen_changes(payload):
        leadgen_id = change["leadgen_id"]
        if _already(session, row.organization_id, leadgen_id):
            continue
        try:
            field_data = graph.lead_fields(leadgen_id, row.page_token)
        except Exception:
            _log.warning("lead ads: could not fetch leadgen %s", leadgen_id, exc_info=True)
            continue
        data = mapping_rules.lead_input(field_data, mapping, leadgen_id, row.channel_id, row.owner_id)
        try:
            with session.begin_nested(), acting_via("lead_ads", VIA_NAME):
                created.append(leads.create_lead(session=session, actor=actor, data=data).id)
        except ValidationFailed as refused:
            _log.warning("lead ads: leadgen %s refused: %s", leadgen_id, sorted(refused.errors))
    return created
