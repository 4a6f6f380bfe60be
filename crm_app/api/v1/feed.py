"""``/customers/{id}/feed`` and ``/customers/{id}/comments``: a customer's history, newest first, and a
comment written into it (services/feed, services/comments), recorded "via API key <name>"; and
``/accounts/{id}/feed``, an account's activity (its own events and its members'), as in the app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from crm_app.api.v1.deps import ApiSession, Caller, acting, require
from crm_app.api.v1.paging import Cursor, Limit, Page
from crm_app.api.v1.resource_fields import REFUSALS, PathId, api_cursor, service_id_cursor
from crm_app.services import comments, feed

router = APIRouter(tags=["feed"], responses=REFUSALS)
Reader = Annotated[Caller, Depends(require("customers:read"))]

Category = Literal[feed.CATEGORIES]  # the app's feed filter


class FeedEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str = Field(description="What happened: customer_updated, comment, sale_recorded, member_added...")
    category: str = Field(description="The feed filter it belongs to.")
    created_at: datetime
    actor_id: int | None = Field(description="The user who did it; null for the system.")
    actor_name: str
    data: dict[str, Any] = Field(
        description="What the event recorded (changes before -> after, numbers, totals...). `via` names "
        "the API key, website form or connector it came through."
    )
    ref: dict[str, Any] | None = Field(
        description="The comment, task, file or message the event points at, as it is now."
    )
    ref_id: int | None
    customer_id: int | None = Field(description="Whose feed it is in.")
    customer_name: str = Field(description="Filled in an account's feed, which holds its members' events.")


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"body": "Llamar el lunes."}]})

    body: str = Field(max_length=20000, description="Up to 5000 characters once trimmed.")


class CommentCreated(BaseModel):
    id: int
    customer_id: int


def _page(page: feed.FeedPage) -> Page[FeedEntryOut]:
    return Page[FeedEntryOut](
        items=[FeedEntryOut.model_validate(entry) for entry in page.entries],
        next_cursor=api_cursor(page.next_before, "before"),
    )


@router.get(
    "/customers/{customer_id}/feed",
    summary="A customer's feed, newest first",
    response_model=Page[FeedEntryOut],
)
def list_feed(
    customer_id: PathId,
    caller: Reader,
    session: ApiSession,
    category: Annotated[Category | None, Query(description="Only this kind of event.")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[FeedEntryOut]:
    with acting(caller):
        page = feed.list_feed(
            session=session,
            actor=caller.actor,
            customer_id=customer_id,
            category=category or "",
            before=service_id_cursor(cursor, "before"),
            limit=limit,
        )
    return _page(page)


@router.get(
    "/accounts/{account_id}/feed",
    summary="An account's activity, newest first: its own events and its members'",
    response_model=Page[FeedEntryOut],
)
def list_account_feed(
    account_id: PathId, caller: Reader, session: ApiSession, cursor: Cursor = None, limit: Limit = 50
) -> Page[FeedEntryOut]:
    with acting(caller):
        page = feed.list_account_feed(
            session=session,
            actor=caller.actor,
            account_id=account_id,
            before=service_id_cursor(cursor, "before"),
            limit=limit,
        )
    return _page(page)


@router.post(
    "/customers/{customer_id}/comments",
    summary="Comment on a customer",
    status_code=201,
    response_model=CommentCreated,
)
def add_comment(
    customer_id: PathId,
    body: CommentIn,
    caller: Annotated[Caller, Depends(require("customers:write"))],
    session: ApiSession,
) -> CommentCreated:
    with acting(caller):
        comment_id = comments.add_comment(
            session=session, actor=caller.actor, customer_id=customer_id, body=body.body
        )
    return CommentCreated(id=comment_id, customer_id=customer_id)
