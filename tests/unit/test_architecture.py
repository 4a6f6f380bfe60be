"""The layer contracts (pyproject.toml, [tool.importlinter]) hold on the tree, and a module that breaks one
fails `lint-imports`, so CI (`make lint` in .ci/run) refuses it (issue 20).

The breaking modules are written into a copy of the tree in a temporary folder: the real one is never
touched, so other runs on this checkout see nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (module written into the copy, what it imports, the contract it breaks)
PROBES = {
    "crm_app/services/probe_report.py": ("from crm_app.states.session import SessionState", "layers"),
    "crm_app/api/probe_route.py": ("from crm_app.states.my_tasks import MyTasksState", "entry-points"),
    "crm_app/domain/probe_rule.py": ("import sqlmodel", "pure-domain"),
    "crm_app/jobs/probe_job.py": ("import tests.factories", "no-test-code-in-the-app"),
}


def lint_imports(cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    # lint-imports puts its working directory first on sys.path: it reads the tree it runs in.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--cache-dir", str(cache)],
        cwd=cwd,
        env={**os.environ, "COLUMNS": "300"},  # one line per contract, however long its name
        capture_output=True,
        text=True,
        timeout=300,
    )


def contract_names() -> dict[str, str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract["name"] for contract in config["contracts"]}


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on a copy of the tree that holds one probe module per contract."""
    copy = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in ("crm_app", "tests", "bench"):
        ignored = shutil.ignore_patterns("__pycache__", "results")
        shutil.copytree(ROOT / package, copy / package, ignore=ignored)
    for path, (line, _) in PROBES.items():
        (copy / path).write_text(f'"""Breaks a layer contract on purpose."""\n\n{line}\n', encoding="utf-8")
    return lint_imports(copy, tmp_path_factory.mktemp("cache"))


def test_the_tree_keeps_every_contract(tmp_path):
    result = lint_imports(ROOT, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_module_breaking_a_contract_fails_lint_imports(broken_copy):
    assert broken_copy.returncode != 0, broken_copy.stdout


@pytest.mark.parametrize("path", PROBES)
def test_the_report_names_the_contract_and_the_import(broken_copy, path):
    module = path.removesuffix(".py").replace("/", ".")
    imported = PROBES[path][0].split()[1]
    contract = contract_names()[PROBES[path][1]]
    assert f"{contract} BROKEN" in broken_copy.stdout
    assert f"{module} -> {imported}" in broken_copy.stdout
