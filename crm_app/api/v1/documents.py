"""``/leads``, ``/orders`` and ``/sales``: the lists with the app's filters, one document, a new one, and a
lead's or an order's status, through the same services as the app (services/leads, orders, sales), so the
numbers, totals, credit rules and feed events are the same, recorded "via API key <name>".

Reading needs ``customers:read``; writing needs ``documents:write``. A credit sale past the client's limit
is refused here: in the app an admin confirms it, a person's decision that a key cannot make.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from crm_app.api.v1 import document_models as m
from crm_app.api.v1.deps import ApiSession, Caller, acting, require
from crm_app.api.v1.paging import Cursor, Limit, Page
from crm_app.api.v1.problems import ApiProblem
from crm_app.api.v1.resource_fields import (
    REFUSALS,
    VERSIONED,
    IfMatch,
    PathId,
    QueryId,
    SearchText,
    api_cursor,
    etag,
    search_words,
    service_id_cursor,
    stale_is_412,
    version_from,
)
from crm_app.domain.documents import DocumentQuery, LineInput
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.leads import LeadInput
from crm_app.domain.orders import OrderInput
from crm_app.domain.sales import SaleInput
from crm_app.services import leads, orders, sales

router = APIRouter(responses=REFUSALS)

Reader = Annotated[Caller, Depends(require("customers:read"))]
Writer = Annotated[Caller, Depends(require("documents:write"))]
DayFilter = Annotated[
    m.Day | None, Query(description="Created on or after / before this day (organization's zone).")
]
# The service's refusals of a credit sale past the client's limit (an admin would be asked to confirm).
CREDIT_REFUSALS = frozenset({"sale_credit_confirm", "sale_credit_over_limit", "sale_credit_no_limit"})


def document_query(
    search: SearchText = "",
    owner_id: Annotated[QueryId, Query(description="Orders: assignee; sales: seller; leads: owner.")] = None,
    customer_id: QueryId = None,
    created_from: DayFilter = None,
    created_to: DayFilter = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> DocumentQuery:
    """The filters every document list shares, as the app's list pages take them."""
    return DocumentQuery(
        search=search_words(search),
        owner_id=owner_id,
        customer_id=customer_id,
        date_from=_day(created_from),
        date_to=_day(created_to),
        after=str(service_id_cursor(cursor, "after") or ""),
        limit=limit,
    )


Filters = Annotated[DocumentQuery, Depends(document_query)]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _page(model: Any, page: Any) -> Any:
    return Page[model](
        items=[model.model_validate(r) for r in page.rows], next_cursor=api_cursor(page.next_cursor, "after")
    )


def _lines(body: m.OrderIn | m.SaleIn) -> tuple[LineInput, ...]:
    return tuple(LineInput(**line.model_dump()) for line in body.lines)


def _versioned(out: Any, response: Response) -> Any:
    response.headers["ETag"] = etag(out.version)
    return out


def _lead(dto: Any, response: Response) -> m.LeadOut:
    return _versioned(m.LeadOut.model_validate(dataclasses.asdict(dto) | {"phone": dto.phone_raw}), response)


def _order(dto: Any, response: Response) -> m.OrderOut:
    return _versioned(m.OrderOut.model_validate(dto), response)


def _sale(dto: Any, response: Response) -> m.SaleOut:
    return _versioned(m.SaleOut.model_validate(dto), response)


# --------------------------------------------------------------------------- leads


@router.get("/leads", tags=["leads"], summary="List leads, newest first", response_model=Page[m.LeadListItem])
def list_leads(
    caller: Reader,
    session: ApiSession,
    query: Filters,
    status: Annotated[m.LeadStatus | None, Query()] = None,
    channel_id: Annotated[QueryId, Query(description="How the lead came.")] = None,
) -> Page[m.LeadListItem]:
    query = dataclasses.replace(query, status=status or "", type_id=channel_id)
    with acting(caller):
        return _page(m.LeadListItem, leads.list_leads(session=session, actor=caller.actor, query=query))


@router.get("/leads/{lead_id}", tags=["leads"], summary="Get a lead", response_model=m.LeadOut)
def get_lead(lead_id: PathId, caller: Reader, session: ApiSession, response: Response) -> m.LeadOut:
    with acting(caller):
        return _lead(leads.get_lead(session=session, actor=caller.actor, lead_id=lead_id), response)


@router.post("/leads", tags=["leads"], summary="Create a lead", status_code=201, response_model=m.LeadOut)
def create_lead(body: m.LeadIn, caller: Writer, session: ApiSession, response: Response) -> m.LeadOut:
    data = LeadInput(**body.model_dump(exclude={"next_step_on"}), next_step_on=_day(body.next_step_on))
    with acting(caller):
        dto = leads.create_lead(session=session, actor=caller.actor, data=data)
    response.headers["Location"] = f"/api/v1/leads/{dto.id}"
    return _lead(dto, response)


@router.post(
    "/leads/{lead_id}/status",
    tags=["leads"],
    summary="Change a lead's status",
    response_model=m.LeadOut,
    responses=VERSIONED,
)
def change_lead_status(
    lead_id: PathId,
    body: m.LeadStatusIn,
    caller: Writer,
    session: ApiSession,
    response: Response,
    if_match: IfMatch = None,
) -> m.LeadOut:
    version = version_from(if_match)
    with acting(caller), stale_is_412():
        dto = leads.change_status(
            session=session,
            actor=caller.actor,
            lead_id=lead_id,
            version=version,
            status=body.status,
            lost_reason=body.lost_reason,
        )
    return _lead(dto, response)


# --------------------------------------------------------------------------- orders


@router.get(
    "/orders", tags=["orders"], summary="List orders, newest first", response_model=Page[m.OrderListItem]
)
def list_orders(
    caller: Reader,
    session: ApiSession,
    query: Filters,
    status: Annotated[m.OrderStatus | None, Query()] = None,
    type_id: Annotated[QueryId, Query(description="The order type.")] = None,
) -> Page[m.OrderListItem]:
    query = dataclasses.replace(query, status=status or "", type_id=type_id)
    with acting(caller):
        return _page(m.OrderListItem, orders.list_orders(session=session, actor=caller.actor, query=query))


@router.get(
    "/orders/{order_id}", tags=["orders"], summary="Get an order with its lines", response_model=m.OrderOut
)
def get_order(order_id: PathId, caller: Reader, session: ApiSession, response: Response) -> m.OrderOut:
    with acting(caller):
        return _order(orders.get_order(session=session, actor=caller.actor, order_id=order_id), response)


@router.post(
    "/orders", tags=["orders"], summary="Create an open order", status_code=201, response_model=m.OrderOut
)
def create_order(body: m.OrderIn, caller: Writer, session: ApiSession, response: Response) -> m.OrderOut:
    data = OrderInput(
        order_type_id=body.order_type_id,
        customer_id=body.customer_id,
        lines=_lines(body),
        discount_percent=body.discount_percent,
        due_date=_day(body.due_date),
        assignee_id=body.assignee_id,
        notes=body.notes,
    )
    with acting(caller):
        dto = orders.create_order(session=session, actor=caller.actor, data=data)
    response.headers["Location"] = f"/api/v1/orders/{dto.id}"
    return _order(dto, response)


@router.post(
    "/orders/{order_id}/status",
    tags=["orders"],
    summary="Change an order's status",
    response_model=m.OrderOut,
    responses=VERSIONED,
)
def change_order_status(
    order_id: PathId,
    body: m.OrderStatusIn,
    caller: Writer,
    session: ApiSession,
    response: Response,
    if_match: IfMatch = None,
) -> m.OrderOut:
    version = version_from(if_match)
    with acting(caller), stale_is_412():
        dto = orders.change_status(
            session=session, actor=caller.actor, order_id=order_id, version=version, status=body.status
        )
    return _order(dto, response)


# --------------------------------------------------------------------------- sales


@router.get("/sales", tags=["sales"], summary="List sales, newest first", response_model=Page[m.SaleListItem])
def list_sales(
    caller: Reader,
    session: ApiSession,
    query: Filters,
    status: Annotated[m.SaleStatus | None, Query()] = None,
    payment_method: Annotated[m.PaymentMethod | None, Query()] = None,
) -> Page[m.SaleListItem]:
    query = dataclasses.replace(query, status=status or "", method=payment_method or "")
    with acting(caller):
        return _page(m.SaleListItem, sales.list_sales(session=session, actor=caller.actor, query=query))


@router.get("/sales/{sale_id}", tags=["sales"], summary="Get a sale with its lines", response_model=m.SaleOut)
def get_sale(sale_id: PathId, caller: Reader, session: ApiSession, response: Response) -> m.SaleOut:
    with acting(caller):
        return _sale(sales.get_sale(session=session, actor=caller.actor, sale_id=sale_id), response)


@router.post(
    "/sales",
    tags=["sales"],
    summary="Record a sale",
    status_code=201,
    response_model=m.SaleOut,
    description="A credit sale that would take the client past his credit limit is refused (422, "
    "`api_sale_credit_needs_admin`): only an admin can confirm one, in the app.",
)
def create_sale(body: m.SaleIn, caller: Writer, session: ApiSession, response: Response) -> m.SaleOut:
    data = SaleInput(
        customer_id=body.customer_id,
        lines=_lines(body),
        discount_percent=body.discount_percent,
        payment_method=body.payment_method,
        notes=body.notes,
    )
    with acting(caller), _credit_needs_the_app():
        dto = sales.create_sale(session=session, actor=caller.actor, data=data)
    response.headers["Location"] = f"/api/v1/sales/{dto.id}"
    return _sale(dto, response)


@contextmanager
def _credit_needs_the_app() -> Iterator[None]:
    """The service asks an admin to confirm a credit sale past the limit (and refuses a sales user); a
    key never confirms, so the API refuses it with the figures and says where it can be done."""
    try:
        yield
    except ValidationFailed as exc:
        refusal = exc.errors.get("payment_method")
        if refusal is None or refusal.code not in CREDIT_REFUSALS:
            raise
        figures = {
            k: str(v) for k, v in refusal.params.items() if k in ("limit", "owed", "available", "total")
        }
        raise ApiProblem(
            422, "api_sale_credit_needs_admin", currency=refusal.params.get("currency", ""), **figures
        ) from None
