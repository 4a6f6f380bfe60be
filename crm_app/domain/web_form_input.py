"""What a website form sends, turned into the services' inputs, and the admin's list of allowed origins.

A visitor's form posts flat fields (``name`` or ``first_name``/``last_name``, ``phone``, ``email``,
``message``, the ``consent`` checkbox and the ``website`` honeypot). Unknown fields are ignored, so a
site may add its own; every value is cut to a sane length before the services check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import FieldError
from crm_app.domain.leads import LeadInput, customer_names
from crm_app.domain.text import clean_line, clean_text

HONEYPOT = "website"  # hidden from people; a bot that fills every input fills it too
CONSENT = "consent"
FIELDS = ("name", "first_name", "last_name", "phone", "email", "message")
MAX_VALUE = 2000  # a message; the services refuse what is too long for its own field
MAX_ORIGINS = 20
TICKED = {"1", "on", "true", "yes", "si", "sí"}


def clean_origins(text: str) -> tuple[str, ...]:
    """The allowed origins, one a line, as ``scheme://host[:port]`` in lower case; blank lines are
    skipped, duplicates dropped. Raises FieldError naming the first bad line."""
    origins: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        origin = normalize_origin(line)
        if origin is None:
            raise FieldError("webform_origin_invalid", origin=line[:100])
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise FieldError("webform_origins_too_many", max=MAX_ORIGINS)
    return tuple(origins)


def normalize_origin(value: str) -> str | None:
    """``https://Example.com:443`` -> ``https://example.com``; None when it is not exactly an origin
    (a path, query, user or wildcard makes it something else)."""
    value = (value or "").strip().rstrip("/")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if (parts.scheme not in ("http", "https") or not host or parts.path or parts.query
            or parts.fragment or parts.username or parts.password or "*" in host):
        return None
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def origin_listed(origin: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a browser's ``Origin`` header is one of the form's origins."""
    normalized = normalize_origin(origin or "")
    return normalized is not None and normalized in allowed


def form_fields(raw: Mapping[str, object]) -> dict[str, str]:
    """The known fields as trimmed text (a list value, as from a repeated field, keeps its first)."""
    fields: dict[str, str] = {}
    for key in (*FIELDS, CONSENT, HONEYPOT):
        value = raw.get(key)
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        if isinstance(value, bool):
            value = "1" if value else ""
        if value is None or not isinstance(value, str | int | float):
            continue
        fields[key] = clean_text(str(value))[:MAX_VALUE]
    return fields


def is_bot(fields: Mapping[str, str]) -> bool:
    return bool(fields.get(HONEYPOT))


def consented(fields: Mapping[str, str]) -> bool:
    return fields.get(CONSENT, "").strip().lower() in TICKED


def full_name(fields: Mapping[str, str]) -> str:
    name = clean_line(fields.get("name", ""))
    if name:
        return name
    return clean_line(f"{fields.get('first_name', '')} {fields.get('last_name', '')}")


def lead_input(fields: Mapping[str, str], channel_id: int | None, owner_id: int | None) -> LeadInput:
    return LeadInput(name=full_name(fields), phone=fields.get("phone", ""), email=fields.get("email", ""),
                     channel_id=channel_id, owner_id=owner_id, notes=fields.get("message", ""))


def customer_input(fields: Mapping[str, str], channel_id: int | None, consent: bool) -> CustomerInput:
    """A person; the e-mail's consent is the checkbox (its time is recorded by the customer's rows)."""
    if fields.get("first_name") or fields.get("last_name"):
        names = {"first_name": clean_line(fields.get("first_name", "")),
                 "last_name": clean_line(fields.get("last_name", ""))}
    else:
        names = customer_names(full_name(fields), "person")
    phone = fields.get("phone", "")
    email = fields.get("email", "")
    return CustomerInput(
        client_type="person", **names,
        phones=(PhoneInput(number=phone, primary=True),) if phone else (),
        emails=(EmailInput(address=email, accepts_email=consent, primary=True),) if email else (),
        channel_id=channel_id, notes=fields.get("message", ""), source="web_form",
    )


# The services' error keys -> the form's field names (a customer's "emails.0.address" is "email").
_FIELD_NAMES = {"first_name": "first_name", "last_name": "last_name", "notes": "message"}


def form_field(service_key: str) -> str:
    """The form field a service's error key points at."""
    head = service_key.split(".")[0]
    if head == "phones":
        return "phone"
    if head == "emails":
        return "email"
    return _FIELD_NAMES.get(head, head)
