"""What the gettext catalogues cost a page, against the Python dicts they replaced (issue 21: "compiled
catalogues must not slow page loads; measure it").

    .venv/bin/python bench/i18n_catalogues.py               # before = the last commit with the dicts
    .venv/bin/python bench/i18n_catalogues.py --before REV --runs 15

Each figure comes from fresh Python processes (the catalogues are built once per process, at import):
- build: ``import crm_app.i18n`` (every language's catalogue built), median of --runs processes, after
  what the app imports anyway (crm_app.domain.local_time, with Babel's date and number modules); for
  gettext with the .mo compiled (make compile-messages) and without them (compiled at import, once);
- t(): one call, without and with a parameter, in Portuguese (timeit, best of 5);
- tr: the catalogue a page's state holds (SessionState.tr), as JSON bytes, raw and gzip-compressed.
"Before" runs the old crm_app/i18n from ``git archive`` in a temporary directory. Prints the machine's load
average over the measured phase: the machine is shared; compare runs at similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child process with the tree under test first on sys.path.
PROBE = r"""
import gzip, json, sys, time, timeit
sys.path.insert(0, sys.argv[1])
# Not the catalogues' cost: the app imports these anyway (Babel's dates and numbers for local_time).
import crm_app.domain.errors, crm_app.domain.local_time
start = time.perf_counter()
import crm_app.i18n as i18n
build = time.perf_counter() - start
out = {"build_ms": build * 1000, "file": i18n.__file__}
if sys.argv[2] == "full":
    t = i18n.t
    out["t_ns"] = min(timeit.repeat(lambda: t("save", "pt"), number=200_000, repeat=5)) / 200_000 * 1e9
    out["t_params_ns"] = min(timeit.repeat(lambda: t("account_created", "pt", name="Ana"), number=200_000,
                                           repeat=5)) / 200_000 * 1e9
    out["keys"] = len(i18n.catalogue("en"))
    out["tr"] = {lang: [len(raw := json.dumps(i18n.catalogue(lang), ensure_ascii=False).encode()),
                        len(gzip.compress(raw))] for lang in i18n.LANGUAGES}
print(json.dumps(out))
"""


def before_revision() -> str:
    """The last commit whose catalogues were Python dicts (crm_app/i18n/es.py present)."""
    last = subprocess.run(["git", "rev-list", "-1", "HEAD", "--", "crm_app/i18n/es.py"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()
    present = subprocess.run(["git", "cat-file", "-e", f"{last}:crm_app/i18n/es.py"], cwd=ROOT,
                             capture_output=True)
    revision = last if present.returncode == 0 else f"{last}^"  # the commit that removed it: its parent
    return subprocess.run(["git", "rev-parse", revision], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def export(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "crm_app", "docs/translations"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def probe(tree: Path, mode: str = "build") -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(tree), mode], capture_output=True, text=True,
                          cwd=tempfile.gettempdir(), check=True)
    result = json.loads(done.stdout)
    assert result["file"].startswith(str(tree)), result["file"]  # the tree under test, not another
    return result


def median_build(tree: Path, runs: int, before_each=None) -> float:
    times = []
    for _ in range(runs):
        if before_each:
            before_each()
        times.append(probe(tree)["build_ms"])
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="revision with the dict catalogues (default: the last one)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    revision = args.before or before_revision()
    with tempfile.TemporaryDirectory(prefix="i18n-bench-") as tmp:
        old = export(revision, Path(tmp) / "before")
        cold = Path(tmp) / "cold"
        shutil.copytree(ROOT / "crm_app", cold / "crm_app",
                        ignore=shutil.ignore_patterns("__pycache__", "*.mo"))

        def drop_mo() -> None:
            for locale_dir in (cold / "crm_app/i18n/locale").glob("*/LC_MESSAGES"):
                for mo in locale_dir.glob("*.mo"):
                    mo.unlink()

        probe(ROOT)  # compiles the working tree's .mo if they are missing or stale, before measuring
        load_start = os.getloadavg()
        rows = {
            f"dicts ({revision[:10]})": (median_build(old, args.runs), probe(old, "full")),
            "gettext, .mo compiled": (median_build(ROOT, args.runs), probe(ROOT, "full")),
            "gettext, no .mo (compiled at import)": (median_build(cold, args.runs, drop_mo), None),
        }
        load_end = os.getloadavg()
    print(f"Catalogue build and use, median of {args.runs} fresh processes each "
          f"(load average 1 min: {load_start[0]:.2f} at start, {load_end[0]:.2f} at end)\n")
    print(f"{'':38} {'build ms':>9} {'t() ns':>7} {'t(name=)':>8} {'keys':>5}  tr JSON bytes (gzip)")
    for name, (build, full) in rows.items():
        if full is None:
            print(f"{name:38} {build:9.1f}")
            continue
        tr = ", ".join(f"{lang} {raw:,} ({packed:,})" for lang, (raw, packed) in full["tr"].items())
        print(f"{name:38} {build:9.1f} {full['t_ns']:7.0f} {full['t_params_ns']:8.0f} {full['keys']:5}  {tr}")


if __name__ == "__main__":
    main()
