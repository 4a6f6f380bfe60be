"""Turn a customer's field-by-field diff into the feed's JSON change entries (pure, no database).

An entry is a small dict the feed stores and the profile renders:

* ``{"field": "discount_percent", "before": "5", "after": "10", "highlight": true}`` — a value changed
  (discount and credit-limit changes carry ``highlight`` so they stand out);
* ``{"field": "phone", "op": "added" | "removed" | "changed", "value": "+593991234567"}`` — and for
  e-mails ``"op": "consent_given" | "consent_withdrawn"`` as well; tags ``"op": "added" | "removed"``.

Values are strings (dates ISO, decimals as written, flags "true"/"false") so JSON keeps them exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm_app.domain.custom_values import display_value

HIGHLIGHTED_FIELDS = frozenset({"discount_percent", "credit_limit"})
FLAG_FIELDS = frozenset({"is_supplier", "is_conflictive"})


def plain(value: object) -> str:
    """A value as the feed stores it: "" for nothing, ISO dates, decimals without exponent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _phone_entries(before: tuple, after: tuple) -> list[dict]:
    # Phones are (e164, kind, label, whatsapp, viber, sms, primary) tuples (domain.customers._comparable).
    old = {p[0]: p for p in before}
    new = {p[0]: p for p in after}
    entries = [{"field": "phone", "op": "added", "value": e164} for e164 in new if e164 not in old]
    entries += [{"field": "phone", "op": "removed", "value": e164} for e164 in old if e164 not in new]
    entries += [
        {"field": "phone", "op": "changed", "value": e164}
        for e164, phone in new.items()
        if e164 in old and old[e164] != phone
    ]
    return entries


def _email_entries(before: tuple, after: tuple) -> list[dict]:
    # E-mails are (address, accepts_email, primary) tuples.
    old = {e[0]: e for e in before}
    new = {e[0]: e for e in after}
    entries: list[dict] = []
    for address, email in new.items():
        if address not in old:
            entries.append({"field": "email", "op": "added", "value": address})
            if email[1]:
                entries.append({"field": "email", "op": "consent_given", "value": address})
        elif old[address][1] != email[1]:
            op = "consent_given" if email[1] else "consent_withdrawn"
            entries.append({"field": "email", "op": op, "value": address})
        elif old[address][2] != email[2]:
            entries.append({"field": "email", "op": "changed", "value": address})
    entries += [{"field": "email", "op": "removed", "value": a} for a in old if a not in new]
    return entries


def _tag_entries(before: tuple, after: tuple) -> list[dict]:
    entries = [{"field": "tags", "op": "added", "value": t} for t in after if t not in before]
    return entries + [{"field": "tags", "op": "removed", "value": t} for t in before if t not in after]


_COLLECTIONS = {"phones": _phone_entries, "emails": _email_entries, "tags": _tag_entries}


def change_entries(changes: list[tuple[str, object, object]]) -> list[dict]:
    """Feed entries for ``diff_customers`` output, in its order (``channel_id`` is expected renamed
    to ``channel`` with names as values by the caller, who knows the names)."""
    entries: list[dict] = []
    for field, before, after in changes:
        collection = _COLLECTIONS.get(field)
        if collection is not None:
            entries += collection(before or (), after or ())
            continue
        entry = {"field": field, "before": plain(before), "after": plain(after)}
        if field in HIGHLIGHTED_FIELDS:
            entry["highlight"] = True
        entries.append(entry)
    return entries


def custom_entries(fields: list, before: dict, after: dict) -> list[dict]:
    """Entries for changed custom values. ``fields`` are the form's CustomFieldDef; ``before``/``after``
    map field id -> stored rows. Labels and choice texts are kept in both languages, so each reader
    sees them in his own: ``{"field": "custom", "label": {"es", "en"}, "before": {...}, "after": {...}}``."""
    entries: list[dict] = []
    for field in fields:
        old, new = tuple(before.get(field.id, ())), tuple(after.get(field.id, ()))
        if old == new:
            continue
        entries.append({
            "field": "custom",
            "label": {lang: field.label(lang) for lang in ("es", "en")},
            "before": {lang: display_value(field, old, lang) for lang in ("es", "en")},
            "after": {lang: display_value(field, new, lang) for lang in ("es", "en")},
        })
    return entries


def initial_entries(email_consents: list[str]) -> list[dict]:
    """Entries of a new customer worth their own line: consent given at creation, per address."""
    return [{"field": "email", "op": "consent_given", "value": address} for address in email_consents]
