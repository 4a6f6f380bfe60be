"""A ``# noqa`` silences a rule for one line only with the codes it silences and why, on the same line
(issue 20): ``# noqa: E712 SQL, not Python``. A bare ``# noqa`` or a code list alone hides the reason
from the next reader."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("crm_app", "tests", "bench")

NOQA = re.compile(r"#\s*noqa\b(?P<rest>.*)", re.IGNORECASE)
# ": E712, F401" then the reason: at least one word of letters.
WITH_REASON = re.compile(r"^:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*\s*[-–(:]?\s*.*[A-Za-z]{2,}")


def noqa_without_reason(source: str) -> list[int]:
    """Lines whose ``# noqa`` comment lacks its codes or its reason (comments only, never strings)."""
    lines = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        found = NOQA.search(token.string)
        if found and not WITH_REASON.match(found["rest"]):
            lines.append(token.start[0])
    return lines


@pytest.mark.parametrize(
    "comment",
    ["# noqa", "# noqa: E731", "# noqa: E402, F401", "# NOQA:F401  ", "x  # noqa: F401 ()"],
)
def test_a_noqa_without_its_reason_is_found(comment):
    assert noqa_without_reason(f"x = 1  {comment}\n") == [1]


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa: E712 SQL, not Python",
        "# noqa: F401  (registers every table)",
        "# noqa: BLE001 - re-raised in the caller's thread",
        "# noqa: E402, F401 after the environment is set",
    ],
)
def test_a_noqa_with_its_reason_passes(comment):
    assert noqa_without_reason(f"x = 1  {comment}\n") == []


def test_noqa_in_a_string_is_not_a_comment():
    assert noqa_without_reason('text = "# noqa"\n') == []


def test_every_noqa_in_the_tree_says_why():
    missing = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in noqa_without_reason(path.read_text(encoding="utf-8"))
    ]
    assert missing == [], "a noqa needs its codes and its reason on the same line: " + ", ".join(missing)
