"""``/api/v1/customers``: the customer list (the list page's search, filters, sort, cursor), one
customer with its ETag, create (also in batches), update with If-Match, soft delete and restore.

Every call goes through the services the UI uses (services/customers.py), inside ``acting(caller)``
so the feed records "via API key <name>"; their refusals become problem+json (problems.py).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import event

from crm_app.api.params import RowId
from crm_app.api.v1 import _customer_models as models
from crm_app.api.v1._idempotency import IdempotencyKey, idempotent
from crm_app.api.v1.deps import ApiSession, Caller, acting, require
from crm_app.api.v1.paging import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from crm_app.api.v1.problems import ApiProblem, domain_problem, problem
from crm_app.domain.customer_list_params import HINTS, bad_params, read_filters
from crm_app.domain.customers import MAX_PAGE, CustomerDTO
from crm_app.domain.errors import DomainError, ValidationFailed
from crm_app.domain.form_config import input_from_dto
from crm_app.i18n import t
from crm_app.services import customers as service
from crm_app.services import merge as merge_service

router = APIRouter(prefix="/customers", tags=["customers"])
Reader = Annotated[Caller, Depends(require("customers:read"))]
Writer = Annotated[Caller, Depends(require("customers:write"))]
IfMatch = Annotated[str | None, Header(description="The ETag of your last read of the customer.")]
MAX_BATCH = 100
PROBLEM = {"application/problem+json": {}}
ERRORS = {code: {"description": text, "content": PROBLEM} for code, text in (
    (401, "No valid API key"), (403, "The key lacks the scope"), (404, "Not found in your organization"),
    (422, "Invalid data: errors[] names each field"), (429, "Rate limited: see Retry-After"))}


def _q(name: str) -> object:
    return Query(description=HINTS[name])


def etag(version: int) -> str:
    return f'"{version}"'


def _answer(dto: CustomerDTO, status: int = 200, *, created: bool = False) -> JSONResponse:
    headers = {"ETag": etag(dto.version)}
    if created:
        headers["Location"] = f"/api/v1/customers/{dto.id}"
    return JSONResponse(models.customer_out(dto).model_dump(mode="json"), status_code=status, headers=headers)


def _version(if_match: str | None) -> int:
    """The version an update was made on: If-Match is required (428); one that is not ours is stale."""
    if not if_match or not if_match.strip():
        raise ApiProblem(428, "api_if_match_required")
    tag = if_match.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ApiProblem(412, "api_version_stale", by="")
    return int(tag)


# --------------------------------------------------------------------------- list


@router.get("", response_model=Page[models.CustomerListItem], responses=ERRORS)
def list_customers(
    request: Request, caller: Reader, session: ApiSession,
    q: Annotated[str | None, _q("q")] = None,
    type: Annotated[str | None, _q("type")] = None,
    tags: Annotated[str | None, _q("tags")] = None,
    supplier: Annotated[str | None, _q("supplier")] = None,
    conflictive: Annotated[str | None, _q("conflictive")] = None,
    channel: Annotated[str | None, _q("channel")] = None,
    consent: Annotated[str | None, _q("consent")] = None,
    option: Annotated[str | None, _q("option")] = None,
    account: Annotated[str | None, _q("account")] = None,
    bought_since: Annotated[str | None, _q("bought_since")] = None,
    lapsed_since: Annotated[str | None, _q("lapsed_since")] = None,
    min_spent: Annotated[str | None, _q("min_spent")] = None,
    created_from: Annotated[str | None, _q("created_from")] = None,
    created_to: Annotated[str | None, _q("created_to")] = None,
    created_by: Annotated[str | None, _q("created_by")] = None,
    source: Annotated[str | None, _q("source")] = None,
    reach: Annotated[str | None, _q("reach")] = None,
    sort: Annotated[str | None, _q("sort")] = None,
    trash: Annotated[str | None, _q("trash")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> JSONResponse:
    """The customer list page's search (``q``: name, tax ID, phone or e-mail), filters and sort, the
    same parameters as its address. No total count: follow ``next_cursor`` until it is null."""
    params = request.query_params
    bad = bad_params(params)
    if bad:
        details = {name: t("api_field_invalid", caller.language, reason=hint) for name, hint in bad.items()}
        errors = [{"path": name, "code": "invalid", "detail": detail} for name, detail in details.items()]
        return problem(422, "api_validation_failed", caller.language, errors=errors)
    after = ""
    if cursor:
        after = decode_cursor(cursor).get("after")
        if not isinstance(after, str) or not after:
            raise ApiProblem(422, "api_bad_cursor")
    filters = read_filters(params)
    items: list[models.CustomerListItem] = []
    while True:  # the service pages by at most MAX_PAGE: an API page of up to 200 takes two reads
        query = filters.query(after=after, limit=min(MAX_PAGE, limit - len(items)))
        try:
            page = service.list_customers(session=session, actor=caller.actor, query=query)
        except ValidationFailed as failed:
            if "after" in failed.errors:
                raise ApiProblem(422, "api_bad_cursor") from None
            raise
        items += [models.list_item(row) for row in page.rows]
        after = page.next_cursor
        if not after or len(items) >= limit:
            break
    next_cursor = encode_cursor({"after": after}) if after else None
    body = Page[models.CustomerListItem](items=items, next_cursor=next_cursor)
    return JSONResponse(body.model_dump(mode="json"))


# --------------------------------------------------------------------------- one customer


def _refuse_merged(session, caller: Caller, customer_id: int, *, reading: bool = False) -> None:
    """A customer merged into another (services/merge) lives on in the survivor: a read is sent there
    (308 with Location), a write refused (409); both say ``merged_into``."""
    survivor = merge_service.survivor_of(session, caller.actor.organization_id, customer_id)
    if survivor is None:
        return
    if reading:
        raise ApiProblem(308, "api_customer_merged", headers={"Location": f"/api/v1/customers/{survivor}"},
                         merged_into=survivor)
    raise ApiProblem(409, "api_customer_merged", merged_into=survivor)


MERGED = {308: {"description": "Merged into another customer: Location and merged_into name him",
                "content": PROBLEM}}
WRITE_MERGED = {409: {"description": "Merged into another customer (merged_into), or a rule of the data",
                      "content": PROBLEM}}


@router.get("/{customer_id}", response_model=models.CustomerOut, responses={**ERRORS, **MERGED})
def get_customer(customer_id: RowId, caller: Reader, session: ApiSession) -> JSONResponse:
    """One customer (trashed ones too: ``deleted_at`` set), with his version as ETag. A customer merged
    into another answers 308 with the survivor's address (``Location``, and ``merged_into`` in the body)."""
    _refuse_merged(session, caller, customer_id, reading=True)
    return _answer(service.get_customer(session=session, actor=caller.actor, customer_id=customer_id))


@router.post("", status_code=201, response_model=models.CustomerOut, responses=ERRORS)
def create_customer(
    body: models.CustomerIn, caller: Writer, session: ApiSession, idempotency_key: IdempotencyKey = None,
) -> Response:
    """A new customer, checked like the form (the organization's required fields and custom fields,
    duplicate rules). 201 with Location and ETag."""

    def run() -> JSONResponse:
        with acting(caller):
            dto = service.create_customer(session=session, actor=caller.actor, data=models.to_input(body))
        return _answer(dto, 201, created=True)

    return idempotent(session, caller, idempotency_key, "/customers", body.model_dump(mode="json"), run)


@router.put("/{customer_id}", response_model=models.CustomerOut,
            responses={**ERRORS, **WRITE_MERGED, 412: {"description": "Changed since your read"},
                       428: {"description": "If-Match missing"}})
def replace_customer(
    customer_id: RowId, body: models.CustomerIn, caller: Writer, session: ApiSession,
    if_match: IfMatch = None,
) -> JSONResponse:
    """The whole customer replaced (what is left out is emptied; fields the form hides are kept)."""
    _refuse_merged(session, caller, customer_id)
    version = _version(if_match)
    with acting(caller):
        dto = service.update_customer(session=session, actor=caller.actor, customer_id=customer_id,
                                      version=version, data=models.to_input(body))
    return _answer(dto)


@router.patch("/{customer_id}", response_model=models.CustomerOut,
              responses={**ERRORS, **WRITE_MERGED, 412: {"description": "Changed since your read"},
                         428: {"description": "If-Match missing"}})
def patch_customer(
    customer_id: RowId, body: models.CustomerPatch, caller: Writer, session: ApiSession,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Only the fields sent change (lists sent replace the lists)."""
    _refuse_merged(session, caller, customer_id)
    version = _version(if_match)
    current = service.get_customer(session=session, actor=caller.actor, customer_id=customer_id)
    data = models.to_input(body, base=input_from_dto(current))
    with acting(caller):
        dto = service.update_customer(session=session, actor=caller.actor, customer_id=customer_id,
                                      version=version, data=data)
    return _answer(dto)


@router.delete("/{customer_id}", status_code=204, responses={**ERRORS, **WRITE_MERGED})
def delete_customer(customer_id: RowId, caller: Writer, session: ApiSession) -> Response:
    """To the trash (restorable); deleting a trashed customer changes nothing."""
    _refuse_merged(session, caller, customer_id)
    with acting(caller):
        service.delete_customer(session=session, actor=caller.actor, customer_id=customer_id)
    return Response(status_code=204)


@router.post("/{customer_id}/restore", response_model=models.CustomerOut,
             responses={**ERRORS, **WRITE_MERGED})
def restore_customer(customer_id: RowId, caller: Writer, session: ApiSession) -> JSONResponse:
    """Out of the trash; refused (422) when an active customer now holds one of his phones, e-mails,
    tax ID or loyalty ID, and (409) for a customer merged into another."""
    _refuse_merged(session, caller, customer_id)
    with acting(caller):
        dto = service.restore_customer(session=session, actor=caller.actor, customer_id=customer_id)
    return _answer(dto)


# --------------------------------------------------------------------------- batch


@router.post("/batch", response_model=models.BatchOut, responses=ERRORS)
def create_customers(
    body: models.BatchIn, caller: Writer, session: ApiSession, idempotency_key: IdempotencyKey = None,
) -> Response:
    """Up to 100 customers in one call and one transaction; each item's result in order: the customer
    (status 201) or the problem that item alone would have got. Refused items do not stop the others."""
    if len(body.items) > MAX_BATCH:
        raise ApiProblem(422, "api_batch_too_large", limit=MAX_BATCH)

    def run() -> JSONResponse:
        return JSONResponse(_create_each(session, caller, body.items).model_dump(mode="json"))

    return idempotent(session, caller, idempotency_key, "/customers/batch", body.model_dump(mode="json"), run)


def _create_each(session, caller: Caller, items: list[models.CustomerIn]) -> models.BatchOut:
    # A refused item writes nothing (the services check before they write), so no SAVEPOINT is needed.
    # Only a lost race on a unique index rolls the whole transaction back (services/customer_duplicates):
    # then the items already answered 201 are gone too, so the batch is refused whole, to be sent again.
    rollbacks: list[object] = []

    def note_rollback(_session: object) -> None:
        rollbacks.append(_session)

    event.listen(session, "after_soft_rollback", note_rollback)
    results = []
    try:
        with acting(caller):
            for index, item in enumerate(items):
                try:
                    data = models.to_input(item)
                    dto = service.create_customer(session=session, actor=caller.actor, data=data)
                except DomainError as refused:
                    answer = domain_problem(refused, caller.language)
                    results.append(models.BatchResult(index=index, status=answer.status_code,
                                                      problem=_json(answer)))
                else:
                    customer = models.customer_out(dto)
                    results.append(models.BatchResult(index=index, status=201, customer=customer))
                if rollbacks:
                    raise ApiProblem(409, "api_batch_retry")
    finally:
        event.remove(session, "after_soft_rollback", note_rollback)
    return models.BatchOut(items=results)


def _json(answer: JSONResponse) -> dict:
    return json.loads(bytes(answer.body))
