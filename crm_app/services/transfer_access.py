"""Who may take customers in and out in bulk (import, export): admins always, sales users when an admin
allows it in /settings. One rule for both ways, checked by every import and export entry point."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import Forbidden
from crm_app.models import Organization
from crm_app.services.form_config import log_change
from crm_app.services.tenancy import actor_organization


def may_transfer(session: Session, actor: Actor) -> bool:
    """True when the actor may import and export his organization's customers."""
    return actor.is_admin or actor_organization(session, actor).sales_import_export


def check_transfer(session: Session, actor: Actor) -> Organization:
    """The actor's organization, or Forbidden when he may not import or export."""
    org = actor_organization(session, actor)
    if not (actor.is_admin or org.sales_import_export):
        raise Forbidden()
    return org


def set_sales_transfer(*, session: Session, actor: Actor, allowed: bool) -> bool:
    """Let sales users import and export customers, or not (admins only; written to the activity log)."""
    if not actor.is_admin:
        raise Forbidden()
    org = actor_organization(session, actor)
    before = org.sales_import_export
    org.sales_import_export = bool(allowed)
    session.add(org)
    session.flush()
    if before != org.sales_import_export:
        after = org.sales_import_export
        log_change(session, actor, "settings.import_export", {"sales": before}, {"sales": after})
    return org.sales_import_export
