"""deploy/.env.example lists every CRM_* variable the code reads, so an operator filling it in misses none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crm_app.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bCRM_[A-Z0-9_]*[A-Z0-9]\b")
# Read by the test suite only (README's "Tests only" table), never by a production process.
TEST_ONLY = {"CRM_TEST_POSTGRES_URL", "CRM_TEST_REDIS_URL"}


def _read_by_code() -> set[str]:
    sources = [*(ROOT / "crm_app").rglob("*.py"), ROOT / "rxconfig.py"]
    return {name for path in sources for name in NAME.findall(path.read_text(encoding="utf-8"))} - TEST_ONLY


def _listed() -> set[str]:
    # A variable is listed when a line sets it, commented out (an optional default) or not.
    line = re.compile(r"^#?\s*(CRM_[A-Z0-9_]+)=", re.MULTILINE)
    return set(line.findall((ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")))


def test_every_crm_variable_the_code_reads_is_in_env_example() -> None:
    missing = sorted(_read_by_code() - _listed())
    assert not missing, f"add to deploy/.env.example (name, one-line meaning, safe example): {missing}"


def test_the_example_secret_is_refused_until_replaced() -> None:
    # A copied file left unfilled must not start: its placeholder key is too short for production.
    text = (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")
    env = dict(re.findall(r"^(CRM_[A-Z0-9_]+)=(.*)$", text, re.MULTILINE))
    with pytest.raises(SettingsError, match="CRM_SECRET_KEY"):
        load_settings(env)
