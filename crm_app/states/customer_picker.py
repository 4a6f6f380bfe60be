"""A customer picker's results: the first few customers a search finds, as rows to click (the account
page's "add member", the template preview's "render for")."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from crm_app.db import session_scope
from crm_app.domain.customers import CustomerQuery, CustomerRow
from crm_app.domain.dto import Actor
from crm_app.services import customers as customer_service

PICKER_SIZE = 8


@dataclasses.dataclass
class PickerRow:
    id: int
    name: str
    detail: str


def picker_rows(actor: Actor, text: str, detail: Callable[[CustomerRow], str]) -> list[PickerRow]:
    """The actor's customers matching ``text`` (none for a blank one), with ``detail(row)`` beside."""
    if not text.strip():
        return []
    with session_scope() as session:
        page = customer_service.list_customers(
            session=session, actor=actor, query=CustomerQuery(search=text, limit=PICKER_SIZE)
        )
    return [PickerRow(id=r.id, name=r.display_name, detail=detail(r)) for r in page.rows]
