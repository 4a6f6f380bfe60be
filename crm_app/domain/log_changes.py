"""The activity log's before/after snapshots (JSON text) as one readable line per changed value."""

from __future__ import annotations

import json

NOTHING = "—"


def _value(value: object) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value) or NOTHING
    return json.dumps(value, ensure_ascii=False, default=str)


def _flat(snapshot: dict, prefix: str = "") -> dict:
    """Nested objects as dotted keys: {"person": {"kind": "choice"}} -> {"person.kind": "choice"}."""
    flat = {}
    for key, value in snapshot.items():
        if isinstance(value, dict) and value:
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _parse(text: str) -> dict | None:
    """The snapshot as a dict; None when it is not one (or was cut short by the log's length limit)."""
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return _flat(found) if isinstance(found, dict) else None


def change_lines(before: str, after: str) -> list[str]:
    """``"country: EC → PE"`` for each value that differs; a created value reads ``"name: Acme"``,
    a removed one ``"name: Acme → —"``; nested objects read ``"person.kind: choice"``. Snapshots that are not
    objects (or were cut short) are shown whole, ``before → after``."""
    old, new = _parse(before), _parse(after)
    if old is None or new is None:
        return [f"{before or NOTHING} → {after or NOTHING}"] if (before or after) else []
    lines = []
    for key in [*old, *(k for k in new if k not in old)]:
        was, now = _value(old.get(key)), _value(new.get(key))
        if was == now:  # unchanged, or empty on both sides (an empty value of a new item)
            continue
        lines.append(f"{key}: {now}" if not before else f"{key}: {was} → {now}")
    return lines
