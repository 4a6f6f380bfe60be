"""Facebook Lead Ads: the admin's field mapping (facebook field name -> lead field), a lead's
``field_data`` turned into a LeadInput, and the signature Meta puts on every callback.

``field_data`` is what the Graph API answers for a leadgen id:
``[{"name": "full_name", "values": ["Ana Pérez"]}, {"name": "phone_number", "values": ["+593..."]}]``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping

from crm_app.domain.errors import FieldError
from crm_app.domain.leads import LeadInput
from crm_app.domain.text import clean_line, clean_text

LEAD_FIELDS = ("name", "first_name", "last_name", "phone", "email", "notes")
# What a new connector starts with: Meta's standard lead-form questions.
DEFAULT_MAPPING = {"full_name": "name", "phone_number": "phone", "email": "email"}
MAX_ROWS = 30
MAX_FACEBOOK_NAME = 100
MARKER = "Facebook lead "  # + the leadgen id, the last line of the lead's notes: de-duplicates retries


def clean_mapping(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The editor's rows as a mapping; blank rows skipped. Raises FieldError for an unknown lead field,
    a repeated facebook field or too many rows."""
    mapping: dict[str, str] = {}
    for facebook, lead in rows:
        facebook, lead = clean_line(facebook), clean_line(lead)
        if not facebook and not lead:
            continue
        if not facebook or len(facebook) > MAX_FACEBOOK_NAME:
            raise FieldError("leadads_mapping_name_invalid")
        if lead not in LEAD_FIELDS:
            raise FieldError("leadads_mapping_field_invalid", field=facebook)
        if facebook in mapping:
            raise FieldError("leadads_mapping_repeated", field=facebook)
        mapping[facebook] = lead
    if len(mapping) > MAX_ROWS:
        raise FieldError("too_many", max=MAX_ROWS)
    return mapping


def json_mapping(mapping: Mapping[str, str]) -> str:
    return json.dumps(dict(mapping), ensure_ascii=False)


def load_mapping(text: str) -> dict[str, str]:
    """The stored JSON, with anything that is not a known lead field left out."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if v in LEAD_FIELDS}


def field_values(field_data: object) -> dict[str, str]:
    """``field_data`` as {facebook name: first value} (anything malformed is skipped)."""
    values: dict[str, str] = {}
    for item in field_data if isinstance(field_data, list) else ():
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            continue
        given = item.get("values")
        first = given[0] if isinstance(given, list) and given else ""
        values[item["name"]] = clean_text(str(first))[:2000]
    return values


def marker(leadgen_id: str) -> str:
    return f"{MARKER}{leadgen_id}"


def lead_input(field_data: object, mapping: Mapping[str, str], leadgen_id: str,
               channel_id: int | None, owner_id: int | None) -> LeadInput:
    """A lead from Meta's answer. Several facebook fields may map to notes (each its own line, with the
    question); the leadgen id ends the notes so the same lead is never created twice."""
    found: dict[str, str] = {}
    notes: list[str] = []
    for facebook, value in field_values(field_data).items():
        target = mapping.get(facebook)
        if not value or target is None:
            continue
        if target == "notes":
            notes.append(f"{facebook}: {value}")
        else:
            found.setdefault(target, value)
    name = found.get("name") or clean_line(f"{found.get('first_name', '')} {found.get('last_name', '')}")
    notes.append(marker(leadgen_id))
    return LeadInput(name=name or found.get("email", "") or found.get("phone", ""),
                     phone=found.get("phone", ""), email=found.get("email", ""),
                     channel_id=channel_id, owner_id=owner_id, notes="\n".join(notes))


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def leadgen_changes(payload: object) -> list[dict[str, str]]:
    """The leadgen changes of a callback: [{"leadgen_id", "form_id", "page_id"}], anything else skipped."""
    found: list[dict[str, str]] = []
    entries = payload.get("entry") if isinstance(payload, Mapping) else None
    for entry in entries if isinstance(entries, list) else ():
        changes = entry.get("changes") if isinstance(entry, Mapping) else None
        for change in changes if isinstance(changes, list) else ():
            value = change.get("value") if isinstance(change, Mapping) else None
            if (not isinstance(change, Mapping) or change.get("field") != "leadgen"
                    or not isinstance(value, Mapping)):
                continue
            leadgen_id = str(value.get("leadgen_id") or "")
            if leadgen_id.isdigit() and len(leadgen_id) <= 40:
                found.append({"leadgen_id": leadgen_id, "form_id": str(value.get("form_id") or ""),
                              "page_id": str(value.get("page_id") or "")})
    return found
