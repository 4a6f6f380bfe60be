"""Every date and time a user sees goes through crm_app.domain.local_time (the organization's zone, the
reader's language, one date format per language). This test reads the code of the layers that build
screen text and fails on any other way of turning a date or a time into text, naming file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("crm_app/states", "crm_app/components", "crm_app/pages", "crm_app/services")

# Machine text, never shown to a user: (file, the line's code) -> why it may stay.
ALLOWED = {
    ("crm_app/services/customer_search/cursor.py", "value = key.astimezone(UTC).isoformat() if isinstance("
     "key, datetime) else key"): "a keyset cursor the browser hands back, parsed by fromisoformat",
    ("crm_app/services/customer_search/plan.py", 'return self.param(utc.replace(tzinfo=None).isoformat(" ", '
     '"microseconds"))'): "a time as SQLite's text column holds it, for a comparison in SQL",
    ("crm_app/services/seed.py", "return date.fromordinal(_EPOCH_ORDINAL + day_number).isoformat()"):
        "a date as the database's text, for COPY",
    ("crm_app/services/webhook_events.py", 'return value.isoformat().replace("+00:00", "Z")'):
        "a time in a webhook's JSON body, for the receiving program",
}


def _findings(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "isoformat", "strftime"):
            found.append((node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None and any(
                isinstance(part, ast.Constant) and "%" in str(part.value)
                for part in node.format_spec.values):
            found.append((node.lineno, "an f-string date format"))  # f"{moment:%Y-%m-%d %H:%M}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("babel"):
            found.append((node.lineno, f"from {node.module} import"))  # Babel belongs to local_time
        elif isinstance(node, ast.Import) and any(a.name.startswith("babel") for a in node.names):
            found.append((node.lineno, "import babel"))
    return found


def raw_date_formatting(root: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """(problems as "file:line: what: code", allow-list entries that were used)."""
    problems, used = [], set()
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for line, what in sorted(_findings(ast.parse(source))):
                code = lines[line - 1].strip()
                if (relative, code) in ALLOWED:
                    used.add((relative, code))
                else:
                    problems.append(f"{relative}:{line}: {what}: {code}")
    return problems, used


def test_dates_and_times_become_text_only_through_local_time():
    problems, _ = raw_date_formatting(ROOT)
    assert problems == [], (
        "Format dates and times for the screen with crm_app.domain.local_time (a Clock from "
        "crm_app.states.clock), or add a machine use to ALLOWED with the reason:\n" + "\n".join(problems))


def test_the_allow_list_names_lines_that_still_exist():
    _, used = raw_date_formatting(ROOT)
    assert set(ALLOWED) - used == set()


def test_the_check_sees_the_ways_it_forbids(tmp_path):
    states = tmp_path / "crm_app" / "states"
    states.mkdir(parents=True)
    for folder in SCANNED:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (states / "x.py").write_text(
        "from babel.dates import format_date\n"
        "a = f'{moment:%Y-%m-%d %H:%M} UTC'\n"
        "b = moment.strftime('%d/%m')\n"
        "c = day.isoformat()\n"
        "d = f'{amount:,.2f}'\n",  # not a date: allowed
        encoding="utf-8")
    problems, _ = raw_date_formatting(tmp_path)
    assert [p.split(":")[1] for p in problems] == ["1", "2", "3", "4"]
