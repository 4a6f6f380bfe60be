"""The bodies of ``/leads``, ``/orders`` and ``/sales`` (documents.py): what they take and answer.

Money, quantities and percentages travel as decimal strings in the organization's currency ("1234.50";
a currency without cents takes none). The services check them and answer per field
(``lines[1].unit_price``) in the caller's language.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from crm_app.api.v1.resource_fields import BodyId, DecimalText
from crm_app.domain.documents import LEAD_STATUSES, MAX_LINES, ORDER_STATUSES, PAYMENT_METHODS, SALE_STATUSES

LeadStatus = Literal[LEAD_STATUSES]
OrderStatus = Literal[ORDER_STATUSES]
SaleStatus = Literal[SALE_STATUSES]
PaymentMethod = Literal[PAYMENT_METHODS]
# A day an integrator names: far outside these years it is a typo, not a plan.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
AmountText = Annotated[str, Field(max_length=40, examples=["12.50"])]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --------------------------------------------------------------------------- lines


class LineIn(_Input):
    description: str = Field(max_length=1000)
    quantity: AmountText = "1"
    unit_price: AmountText = Field(description="In the organization's currency, as a decimal string.")
    discount_percent: AmountText = Field("", description="0 to 100; empty for none.")


class LineOut(_Output):
    description: str
    quantity: DecimalText
    unit_price: DecimalText
    discount_percent: DecimalText
    line_total: DecimalText


class _Totals(_Output):
    subtotal: DecimalText
    discount_percent: DecimalText
    discount_amount: DecimalText
    total: DecimalText
    currency: str
    lines: list[LineOut]


Lines = Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]
DiscountText = Annotated[
    str | None, Field(max_length=40, description="The document's discount, 0 to 100; null: the client's own.")
]

# --------------------------------------------------------------------------- leads


_LINE = {"description": "Cambio de pantalla", "quantity": "1", "unit_price": "120.00"}


class LeadIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "Luis Mora", "phone": "0991234567", "next_step_on": "2030-01-15"}]
        },
    )

    name: str = Field(max_length=1000)
    phone: str = Field("", max_length=100)
    email: str = Field("", max_length=500)
    channel_id: BodyId | None = Field(None, description="How the lead came (an acquisition channel).")
    owner_id: BodyId | None = Field(None, description="A user; null: the API key's creator.")
    notes: str = Field("", max_length=20000)
    next_step_on: Day | None = None
    customer_id: BodyId | None = Field(None, description="A lead about an existing customer.")


class LeadStatusIn(_Input):
    status: LeadStatus = Field(
        description='"won" only for a lead about a customer (converting is done in the app).'
    )
    lost_reason: str = Field("", max_length=1000, description="Required for lost.")


class LeadListItem(_Output):
    id: int
    name: str
    phone_e164: str
    email: str
    status: LeadStatus
    channel_name: str
    owner_name: str
    next_step_on: date | None
    customer_id: int | None
    created_at: datetime


class LeadOut(_Output):
    id: int
    version: int
    name: str
    phone: str = Field(description="As typed.")
    phone_e164: str
    email: str
    channel_id: int | None
    channel_name: str
    owner_id: int | None
    owner_name: str
    status: LeadStatus
    lost_reason: str
    notes: str
    next_step_on: date | None
    customer_id: int | None
    customer_name: str
    converted_at: datetime | None
    created_at: datetime
    updated_at: datetime


# --------------------------------------------------------------------------- orders


class OrderIn(_Input):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"order_type_id": 1, "lines": [_LINE]}]}
    )

    order_type_id: BodyId
    customer_id: BodyId | None = Field(None, description="May wait while the order is open.")
    lines: Lines
    discount_percent: DiscountText = None
    due_date: Day | None = None
    assignee_id: BodyId | None = None
    notes: str = Field("", max_length=20000)


class OrderStatusIn(_Input):
    status: OrderStatus


class OrderListItem(_Output):
    id: int
    number: int
    status: OrderStatus
    type_name: str
    customer_id: int | None
    customer_name: str
    assignee_name: str
    due_date: date | None
    total: DecimalText
    currency: str
    created_at: datetime


class OrderOut(_Totals):
    id: int
    version: int
    number: int
    order_type_id: int
    type_name: str
    customer_id: int | None
    customer_name: str
    status: OrderStatus
    due_date: date | None
    assignee_id: int | None
    assignee_name: str
    notes: str
    created_at: datetime
    updated_at: datetime


# --------------------------------------------------------------------------- sales


class SaleIn(_Input):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"lines": [_LINE]}]})

    customer_id: BodyId | None = Field(None, description="Required for a credit sale.")
    lines: Lines
    discount_percent: DiscountText = None
    payment_method: PaymentMethod = "cash"
    notes: str = Field("", max_length=20000)


class SaleListItem(_Output):
    id: int
    number: int
    status: SaleStatus
    payment_method: PaymentMethod
    customer_id: int | None
    customer_name: str
    seller_name: str
    total: DecimalText
    currency: str
    created_at: datetime
    paid_at: datetime | None


class SaleOut(_Totals):
    id: int
    version: int
    number: int
    customer_id: int | None
    customer_name: str
    seller_name: str
    payment_method: PaymentMethod
    status: SaleStatus
    paid_at: datetime | None
    credit_approved_by: int | None
    notes: str
    created_at: datetime
