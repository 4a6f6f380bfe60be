"""``/form-config/{client_type}``: the organization's customer form as its admin set it up (read-only), so
an integrator knows which fields a customer must have, which the organization does not use, and the
custom fields with their choices. The API validates a customer against this same configuration."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from crm_app.api.v1.deps import ApiSession, Caller, acting, require
from crm_app.api.v1.resource_fields import REFUSALS
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.form_config import KINDS, CustomFieldDef, FormConfig
from crm_app.services import form_config

router = APIRouter(prefix="/form-config", tags=["form configuration"], responses=REFUSALS)

ClientType = Literal[CLIENT_TYPES]
FieldKind = Literal[KINDS]


class BuiltinFieldOut(BaseModel):
    key: str = Field(description="The form's field: first_name, tax_id, phones, credit_limit...")
    attributes: list[str] = Field(description="The customer's attributes it covers (flags: is_supplier...).")
    visible: bool = Field(description="false: the organization does not use it.")
    required: bool
    position: int
    custom_label: str = Field(description="The admin's own label in your language; empty: the usual one.")


class OptionOut(BaseModel):
    id: int = Field(description="What a customer's value of this field names.")
    label: str
    label_es: str
    label_en: str
    label_pt: str


class CustomFieldOut(BaseModel):
    id: int = Field(description="The key of its value in a customer's custom fields.")
    kind: FieldKind
    label: str = Field(description="In your language (Accept-Language).")
    label_es: str
    label_en: str
    label_pt: str
    help: str
    required: bool
    position: int
    options: list[OptionOut] = Field(description="choice / multi_choice: the options in use.")


class FormConfigOut(BaseModel):
    client_type: ClientType
    builtin: list[BuiltinFieldOut] = Field(description="In the form's order.")
    custom: list[CustomFieldOut] = Field(description="The custom fields in use, in the form's order.")


def _custom(field: CustomFieldDef, lang: str) -> CustomFieldOut:
    return CustomFieldOut(
        id=field.id,
        kind=field.kind,
        label=field.label(lang),
        label_es=field.label_es,
        label_en=field.label_en,
        label_pt=field.label_pt,
        help=field.help(lang),
        required=field.required,
        position=field.position,
        options=[
            OptionOut(id=o.id, label=o.label(lang), label_es=o.label_es, label_en=o.label_en,
                      label_pt=o.label_pt)
            for o in field.active_options
        ],
    )


def _out(config: FormConfig, lang: str) -> FormConfigOut:
    return FormConfigOut(
        client_type=config.client_type,
        builtin=[
            BuiltinFieldOut(
                key=f.key,
                attributes=list(f.attributes),
                visible=f.visible,
                required=f.required,
                position=f.position,
                custom_label=f.own_label(lang),
            )
            for f in config.builtin
        ],
        custom=[_custom(f, lang) for f in config.active_custom],
    )


@router.get("/{client_type}", summary="The customer form of a client type", response_model=FormConfigOut)
def get_form_config(
    client_type: Annotated[ClientType, Path(description="person, company or government")],
    caller: Annotated[Caller, Depends(require("customers:read"))],
    session: ApiSession,
) -> FormConfigOut:
    with acting(caller):
        config = form_config.get_form_config(session=session, actor=caller.actor, client_type=client_type)
    return _out(config, caller.language)
