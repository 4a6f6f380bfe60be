"""A customer's numbers: credit limit in the decimals of the organization's currency, discount as a
percentage with cents, the map pin's coordinates. Each cleaner returns the value as stored (quantized),
or None / 0 after writing its error."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision

from crm_app.domain.errors import FieldError

_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")
_MAX_CREDIT = Decimal("999999999999.99")  # NUMERIC(14, 2)
_COORDINATE_BOUNDS = {"latitude": 90, "longitude": 180}


def money_places(currency: str | None) -> int:
    """Decimals an amount in ``currency`` may have (CLDR: 2 for USD, 0 for CLP and PYG), at most the
    column's 2; Babel answers 2 for a currency it does not know."""
    return min(get_currency_precision(currency or "XXX"), 2)


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _fits_places(value: Decimal, places: int) -> bool:
    return value == value.quantize(Decimal(1).scaleb(-places))


def clean_credit_limit(
    raw: Decimal | None, currency: str | None, errors: dict[str, FieldError]
) -> Decimal | None:
    credit_limit = _decimal(raw)
    if raw is not None and (credit_limit is None or not Decimal(0) <= credit_limit <= _MAX_CREDIT):
        errors["credit_limit"] = FieldError("credit_limit_invalid")
        return None
    if credit_limit is None:
        return None
    places = money_places(currency)
    if not _fits_places(credit_limit, places):
        # "1500,005" is a typo, not 1500: more decimals than the currency has are refused, not rounded.
        errors["credit_limit"] = (
            FieldError("money_decimals", places=places) if places else FieldError("money_no_decimals")
        )
        return None
    return credit_limit.quantize(_CENT)


def clean_discount(raw: Decimal | None, errors: dict[str, FieldError]) -> Decimal:
    discount = _decimal(raw if raw is not None else Decimal(0))
    if discount is None or not Decimal(0) <= discount <= Decimal(100):
        errors["discount_percent"] = FieldError("discount_range", min=0, max=100)
        return Decimal(0)
    if not _fits_places(discount, 2):
        errors["discount_percent"] = FieldError("discount_decimals")
        return Decimal(0)
    return discount.quantize(_CENT)


def clean_coordinates(
    latitude: Decimal | None, longitude: Decimal | None, errors: dict[str, FieldError]
) -> tuple[Decimal | None, Decimal | None]:
    """The pin's (latitude, longitude) to the micro-degree; both or neither."""
    cleaned: dict[str, Decimal | None] = {}
    for name, raw in (("latitude", latitude), ("longitude", longitude)):
        value, bound = _decimal(raw), _COORDINATE_BOUNDS[name]
        if raw is not None and (value is None or not -bound <= value <= bound):
            errors[name] = FieldError("coordinates_invalid")
            value = None
        cleaned[name] = value.quantize(_MICRO) if value is not None else None
    if (latitude is None) != (longitude is None):  # a point needs both
        errors.setdefault("latitude" if latitude is None else "longitude", FieldError("coordinates_invalid"))
    return cleaned["latitude"], cleaned["longitude"]
