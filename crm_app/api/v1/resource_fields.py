"""What the accounts, feed, documents and form-configuration routes share: id and money shapes, the
services' own page cursors inside the API's opaque ones, and a version in ``ETag`` / ``If-Match``.

A service pages with its own key (a name cursor, an event id, a document id); the API wraps it in its
opaque cursor (paging.encode_cursor), so an integrator never depends on what is inside.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated

from fastapi import Header, Path, Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from crm_app.api.v1.paging import decode_cursor, encode_cursor
from crm_app.api.v1.problems import MEDIA_TYPE, ApiProblem
from crm_app.domain.errors import Conflict, ValidationFailed
from crm_app.domain.ids import MAX_ROW_ID
from crm_app.domain.text import strip_unsafe

# Ids in a path, a query or a body: what a row id can be (domain/ids), so a larger number is a clear
# 422 rather than a database overflow.
PathId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
SearchText = Annotated[
    str, Query(max_length=200, description="Words to look for, as in the app's search box.")
]


def _decimal_text(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


# Money, quantities and percentages leave the API as decimal strings ("1234.50"): never a float.
DecimalText = Annotated[str, BeforeValidator(_decimal_text), Field(examples=["1234.50"])]


def search_words(text: str) -> str:
    """A list's search as the app's search box takes it (control characters dropped)."""
    return strip_unsafe(text).strip()


# --------------------------------------------------------------------------- refusals


class Problem(BaseModel):
    """An RFC 9457 answer (problems.py); a refusal may add members of its own (``changed_by``...)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str = Field(description="In the language of Accept-Language.")
    code: str
    errors: list[dict[str, str]] | None = Field(None, description="422: one {path, code, detail} a field.")


def problems(*statuses: tuple[int, str]) -> dict[int | str, dict]:
    """OpenAPI ``responses`` for these refusals, each a problem+json the schema tests hold them to."""
    content = {MEDIA_TYPE: {"schema": Problem.model_json_schema()}}
    return {status: {"description": text, "content": content} for status, text in statuses}


# Every route of these routers may answer these.
REFUSALS = problems(
    (401, "No valid API key."),
    (403, "The key lacks the scope."),
    (404, "Not found in your organization."),
    (422, "Invalid request: `errors` names each field."),
    (429, "Over the key's rate limit: see Retry-After."),
)


# --------------------------------------------------------------------------- cursors


def service_cursor(cursor: str | None, key: str) -> str:
    """The service's own cursor inside the API's opaque one ("" for the first page)."""
    if not cursor:
        return ""
    inner = decode_cursor(cursor).get(key)
    if not isinstance(inner, str | int) or isinstance(inner, bool):
        raise ApiProblem(422, "api_bad_cursor")
    return str(inner)


def service_id_cursor(cursor: str | None, key: str) -> int | None:
    """A service cursor that is a row id (the feed's ``before``, the documents' ``after``)."""
    inner = service_cursor(cursor, key)
    if not inner:
        return None
    if not (inner.isascii() and inner.isdigit() and len(inner) <= 12):
        raise ApiProblem(422, "api_bad_cursor")
    return int(inner)


def api_cursor(inner: str | int | None, key: str) -> str | None:
    """The opaque cursor of the next page, or None on the last one."""
    return encode_cursor({key: inner}) if inner not in (None, "") else None


@contextmanager
def cursor_refusals() -> Iterator[None]:
    """A service refuses a cursor that is not its own as its field "after": the API's bad cursor."""
    try:
        yield
    except ValidationFailed as exc:
        if "after" in exc.errors:
            raise ApiProblem(422, "api_bad_cursor") from None
        raise


# --------------------------------------------------------------------------- versions


def etag(version: int) -> str:
    return f'"{version}"'


IfMatch = Annotated[
    str | None,
    Header(
        max_length=100,
        description="The `ETag` of your last read. Required: a change made since is refused with 412.",
    ),
]
VERSIONED = problems((412, "Changed since the version of your `If-Match`."), (428, "`If-Match` missing."))


def version_from(if_match: str | None) -> int:
    """The version an ``If-Match`` names: missing -> 428; not one of our ETags -> 412."""
    if not if_match:
        raise ApiProblem(428, "api_if_match_required")
    text = if_match.strip().removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise ApiProblem(412, "api_version_stale")
    return int(text)


@contextmanager
def stale_is_412() -> Iterator[None]:
    """A service's "changed since you read it" (Conflict ``*_stale_version``, naming who) is the 412."""
    try:
        yield
    except Conflict as exc:
        if not exc.code.endswith("_stale_version"):
            raise
        raise ApiProblem(412, "api_version_stale", changed_by=str(exc.params.get("by", ""))) from None
