"""The security and administration activity log (who, when, what, before -> after)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from crm_app.models import ActivityLog


def record_activity(
    session: Session, *, organization_id: int | None, actor_id: int | None, kind: str,
    detail: dict[str, Any], ip: str = "",
) -> None:
    """Add a log row to the caller's transaction: it commits or rolls back with the change."""
    session.add(ActivityLog(
        organization_id=organization_id, actor_id=actor_id, kind=kind,
        detail=json.dumps(detail, ensure_ascii=False, default=str), ip=ip[:64],
    ))
