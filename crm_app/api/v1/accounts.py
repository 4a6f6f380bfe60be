"""``/accounts``: the organization's customer accounts (companies) and their members, through the same
services as the app (services/accounts, account_list, account_members): same validation, same feed
events, recorded "via API key <name>"."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crm_app.api.v1.deps import ApiSession, Caller, acting, require
from crm_app.api.v1.paging import Cursor, Limit, Page
from crm_app.api.v1.resource_fields import (
    REFUSALS,
    VERSIONED,
    BodyId,
    IfMatch,
    PathId,
    SearchText,
    api_cursor,
    cursor_refusals,
    etag,
    problems,
    search_words,
    service_cursor,
    stale_is_412,
    version_from,
)
from crm_app.domain.accounts import ACCOUNT_SORTS, MEMBER_ROLES, AccountDTO, AccountInput, AccountQuery
from crm_app.services import account_list, account_members, accounts

router = APIRouter(prefix="/accounts", tags=["accounts"], responses=REFUSALS)

Reader = Annotated[Caller, Depends(require("customers:read"))]
Writer = Annotated[Caller, Depends(require("customers:write"))]
MemberRole = Literal[MEMBER_ROLES]  # the service's roles, listed in the OpenAPI document


class AccountIn(BaseModel):
    """An account as the app's form takes it; the tax ID is checked as a company's of your country."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Ferretería Vera", "city": "Quito", "tags": ["mayorista"]}]},
    )

    name: str = Field(max_length=500)
    tax_id_type: str = Field("", max_length=20, description="Empty: the country's usual company ID.")
    tax_id: str = Field("", max_length=100)
    address: str = Field("", max_length=1000)
    city: str = Field("", max_length=500)
    phone: str = Field("", max_length=100, description="As typed; stored in E.164.")
    email: str = Field("", max_length=500)
    industry: str = Field("", max_length=500)
    owner_id: BodyId | None = Field(None, description="A user of the organization.")
    notes: str = Field("", max_length=20000)
    tags: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)


class AccountPatch(BaseModel):
    """Only the fields sent change; the rest keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=500)
    tax_id_type: str | None = Field(None, max_length=20)
    tax_id: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=1000)
    city: str | None = Field(None, max_length=500)
    phone: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=500)
    industry: str | None = Field(None, max_length=500)
    owner_id: BodyId | None = None
    notes: str | None = Field(None, max_length=20000)
    tags: list[Annotated[str, Field(max_length=200)]] | None = Field(None, max_length=50)


class AccountOut(BaseModel):
    id: int
    version: int
    name: str
    tax_id_type: str
    tax_id: str
    tax_id_formatted: str
    address: str
    city: str
    phone: str = Field(description="As typed.")
    phone_e164: str
    email: str
    industry: str
    owner_id: int | None
    owner_name: str
    notes: str
    tags: list[str]
    created_at: datetime
    updated_at: datetime


class AccountListItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    tax_id_formatted: str
    city: str
    industry: str
    owner_name: str
    member_count: int
    created_at: datetime


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    customer_id: int
    name: str
    client_type: str
    role: MemberRole
    phone: str
    email: str


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: BodyId
    role: MemberRole = "member"


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: MemberRole


class MemberChanged(BaseModel):
    account_id: int
    customer_id: int
    role: MemberRole


def _out(dto: AccountDTO, response: Response) -> AccountOut:
    response.headers["ETag"] = etag(dto.version)
    return AccountOut.model_validate(asdict(dto) | {"phone": dto.phone_raw})


def _input(values: dict) -> AccountInput:
    return AccountInput(**{**values, "tags": tuple(values.get("tags") or ())})


# --------------------------------------------------------------------------- accounts


@router.get("", summary="List accounts", response_model=Page[AccountListItem])
def list_accounts(
    caller: Reader,
    session: ApiSession,
    search: SearchText = "",
    sort: Annotated[
        Literal[ACCOUNT_SORTS],
        Query(description="name: A to Z; created: oldest first; a leading - reverses it."),
    ] = "name",
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[AccountListItem]:
    query = AccountQuery(
        search=search_words(search), sort=sort, after=service_cursor(cursor, "a"), limit=limit
    )
    with acting(caller), cursor_refusals():
        page = account_list.list_accounts(session=session, actor=caller.actor, query=query)
    return Page[AccountListItem](
        items=[AccountListItem.model_validate(row) for row in page.rows],
        next_cursor=api_cursor(page.next_cursor, "a"),
    )


@router.post("", summary="Create an account", status_code=201, response_model=AccountOut)
def create_account(body: AccountIn, caller: Writer, session: ApiSession, response: Response) -> AccountOut:
    with acting(caller):
        dto = accounts.create_account(session=session, actor=caller.actor, data=_input(body.model_dump()))
    response.headers["Location"] = f"/api/v1/accounts/{dto.id}"
    return _out(dto, response)


@router.get("/{account_id}", summary="Get an account", response_model=AccountOut)
def get_account(account_id: PathId, caller: Reader, session: ApiSession, response: Response) -> AccountOut:
    with acting(caller):
        return _out(
            accounts.get_account(session=session, actor=caller.actor, account_id=account_id), response
        )


@router.patch(
    "/{account_id}",
    summary="Change an account",
    response_model=AccountOut,
    responses=VERSIONED,
)
def update_account(
    account_id: PathId,
    body: AccountPatch,
    caller: Writer,
    session: ApiSession,
    response: Response,
    if_match: IfMatch = None,
) -> AccountOut:
    version = version_from(if_match)
    with acting(caller), stale_is_412():
        current = accounts.get_account(session=session, actor=caller.actor, account_id=account_id)
        values = {name: getattr(current, name) for name in AccountIn.model_fields if name != "phone"}
        values["phone"] = current.phone_raw
        # A field sent as null is left as it was, except the owner, which null takes away.
        values.update(
            (k, v) for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k == "owner_id"
        )
        dto = accounts.update_account(
            session=session, actor=caller.actor, account_id=account_id, version=version, data=_input(values)
        )
    return _out(dto, response)


@router.delete(
    "/{account_id}",
    summary="Delete an account",
    status_code=204,
    description="Its members (customers) are not touched.",
)
def delete_account(account_id: PathId, caller: Writer, session: ApiSession) -> Response:
    with acting(caller):
        accounts.delete_account(session=session, actor=caller.actor, account_id=account_id)
    return Response(status_code=204)


# --------------------------------------------------------------------------- members


@router.get("/{account_id}/members", summary="List an account's members", response_model=Page[MemberOut])
def list_members(
    account_id: PathId, caller: Reader, session: ApiSession, cursor: Cursor = None, limit: Limit = 50
) -> Page[MemberOut]:
    with acting(caller), cursor_refusals():
        page = account_members.list_members(
            session=session,
            actor=caller.actor,
            account_id=account_id,
            after=service_cursor(cursor, "m"),
            limit=limit,
        )
    return Page[MemberOut](
        items=[MemberOut.model_validate(m) for m in page.members],
        next_cursor=api_cursor(page.next_cursor, "m"),
    )


@router.post(
    "/{account_id}/members",
    summary="Add a customer to an account",
    status_code=201,
    response_model=MemberChanged,
    responses=problems((409, "Already a member.")),
)
def add_member(account_id: PathId, body: MemberIn, caller: Writer, session: ApiSession) -> MemberChanged:
    with acting(caller):
        account_members.add_member(
            session=session,
            actor=caller.actor,
            account_id=account_id,
            customer_id=body.customer_id,
            role=body.role,
        )
    return MemberChanged(account_id=account_id, customer_id=body.customer_id, role=body.role)


@router.put(
    "/{account_id}/members/{customer_id}", summary="Change a member's role", response_model=MemberChanged
)
def set_member_role(
    account_id: PathId, customer_id: PathId, body: RoleIn, caller: Writer, session: ApiSession
) -> MemberChanged:
    with acting(caller):
        account_members.set_member_role(
            session=session,
            actor=caller.actor,
            account_id=account_id,
            customer_id=customer_id,
            role=body.role,
        )
    return MemberChanged(account_id=account_id, customer_id=customer_id, role=body.role)


@router.delete(
    "/{account_id}/members/{customer_id}",
    summary="Take a customer out of an account",
    status_code=204,
    description="The customer himself stays.",
)
def remove_member(account_id: PathId, customer_id: PathId, caller: Writer, session: ApiSession) -> Response:
    with acting(caller):
        account_members.remove_member(
            session=session, actor=caller.actor, account_id=account_id, customer_id=customer_id
        )
    return Response(status_code=204)
