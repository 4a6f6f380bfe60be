"""A customer input as JSON and back: an import keeps what a customer was before it changed him, so that
a revert can save him as he was."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput

_DECIMALS = ("latitude", "longitude", "credit_limit", "discount_percent")


def input_to_json(data: CustomerInput) -> str:
    values = dataclasses.asdict(data)
    values["custom"] = {str(k): v for k, v in data.custom.items()}
    return json.dumps(values, default=str, ensure_ascii=False)


def input_from_json(text: str) -> CustomerInput:
    values = json.loads(text)
    for name in _DECIMALS:
        if values.get(name) is not None:
            values[name] = Decimal(values[name])
    if values.get("birthday"):
        values["birthday"] = date.fromisoformat(values["birthday"])
    values["phones"] = tuple(PhoneInput(**p) for p in values.get("phones", ()))
    values["emails"] = tuple(EmailInput(**e) for e in values.get("emails", ()))
    values["tags"] = tuple(values.get("tags", ()))
    values["custom"] = {int(k): v for k, v in values.get("custom", {}).items()}
    known = {f.name for f in dataclasses.fields(CustomerInput)}
    return CustomerInput(**{k: v for k, v in values.items() if k in known})
