"""Customer import at scale, through the real job code (upload, dry run, write).

    .venv/bin/python bench/import.py                              # 100,000 rows, SQLite + PostgreSQL
    .venv/bin/python bench/import.py --rows 10000 --backend sqlite

A realistic .xlsx is generated once per size (bench/results/import_<rows>.xlsx): 12 columns (names, a
valid cédula, two phones, two e-mails, tags, a channel, a custom choice field, birthday, city), 2%
bad rows (an invalid cédula, a phone of too few digits, a malformed e-mail...) and 1% duplicates of
earlier rows. Each size and backend gets its own database. The measured process does only the import
(the file is generated in a child process), so its peak RSS is the import's.

Prints, per backend: rows/s of the bare read (calamine), of the dry run and of the write, the dry run +
write total, the peak RSS, the load average over the measured phase, and the ratio to the raw limit:
a bare calamine read plus an ``executemany`` of the same rows into a plain table. Targets on this
2-core machine: dry run + write of 100,000 rows <= 15 s, peak memory <= 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench-password-123"
HEADER = ["Nombres", "Apellidos", "Cédula", "Teléfono 1", "Teléfono 2", "Correo 1", "Correo 2", "Etiquetas",
          "¿Cómo nos conoció?", "Nivel", "Fecha de nacimiento", "Ciudad"]
FIRST = ["María", "José", "Luis", "Ana", "Carlos", "Lucía", "Jorge", "Rosa", "Pedro", "Carmen", "Diego",
         "Elena", "Andrés", "Sofía", "Miguel", "Valeria", "Juan", "Gabriela", "Fernando", "Paola"]
LAST = ["Pérez", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Ramírez", "Torres", "Flores",
        "Rivera", "Gómez", "Díaz", "Vargas", "Castro", "Morales", "Ortiz", "Mendoza", "Rojas", "Vega"]
CITIES = ["Quito", "Guayaquil", "Cuenca", "Ambato", "Loja", "Manta", "Machala", "Ibarra"]
CHANNELS = ["Recomendación", "Redes sociales", "Google", "Pasó por la tienda"]
LEVELS = ["Oro", "Plata", "Bronce"]


def generate(path: Path, rows: int) -> None:
    """The benchmark's spreadsheet (run in a child process: its memory is not the import's)."""
    import xlsxwriter

    from crm_app.domain.tax_ids import sample_tax_id

    rng = random.Random(rows)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Clientes")
    for col, title in enumerate(HEADER):
        sheet.write_string(0, col, title)
    written: list[list[str]] = []
    for n in range(1, rows + 1):
        if written and rng.random() < 0.01:  # a duplicate of an earlier row
            cells = list(rng.choice(written[-5000:]))
        else:
            i = len(written)
            cells = [rng.choice(FIRST), f"{rng.choice(LAST)} {rng.choice(LAST)}",
                     sample_tax_id("EC", "person", rng), f"09{80000000 + i:08d}",
                     f"02{2000000 + i % 7000000:07d}" if rng.random() < 0.5 else "",
                     f"cliente{i}@example.com", f"alt{i}@example.org" if rng.random() < 0.3 else "",
                     ", ".join(rng.sample(["vip", "mayorista", "frecuente", "nuevo"], rng.randint(0, 2))),
                     rng.choice(CHANNELS), rng.choice(LEVELS),
                     f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     rng.choice(CITIES)]
            if rng.random() < 0.02:  # a bad row
                bad = rng.randrange(4)
                if bad == 0:
                    cells[2] = cells[2][:-1] + str((int(cells[2][-1]) + 1) % 10)  # check digit wrong
                elif bad == 1:
                    cells[3] = "0991"  # too few digits
                elif bad == 2:
                    cells[5] = "cliente-sin-arroba.example.com"
                else:
                    cells[0] = ""  # first name required
            written.append(cells)
        for col, value in enumerate(cells):
            if value:
                sheet.write_string(n, col, value)
    book.close()


def _database(backend: str, rows: int) -> str:
    sys.argv = sys.argv[:1]
    from bench.list_search import _database as database

    return database(backend, fresh=True, name=f"import_{rows}")


def _raw_limit(path: Path, url: str) -> float:
    """Rows/s of a bare calamine read plus one executemany of the same rows into a plain table."""
    from python_calamine import CalamineWorkbook
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert

    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    engine = create_engine(url)
    meta = MetaData()
    table = Table("bench_raw_import", meta, Column("id", Integer, primary_key=True),
                  *[Column(f"c{i}", Text) for i in range(len(HEADER))])
    meta.drop_all(engine, [table])
    meta.create_all(engine, [table])
    with engine.begin() as conn:
        conn.execute(insert(table), [{f"c{i}": str(v) for i, v in enumerate(r)} for r in rows])
    seconds = time.perf_counter() - start
    meta.drop_all(engine, [table])
    engine.dispose()
    return len(rows) / seconds


PROFILE = os.environ.get("BENCH_PROFILE", "")  # "check" or "write": print that stage's profile


def _run_job(runner, url: str, stage: str) -> None:
    if stage != PROFILE:
        runner.run_once(database_url=url)
        return
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(runner.run_once, database_url=url)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


def run(backend: str, rows: int, path: Path) -> None:
    url = _database(backend, rows)
    from bench.common import create_bench_organization, use_database

    use_database(url, CRM_IMPORTS_DIR=str(RESULTS / f"imports_{backend}_{rows}"),
                 CRM_IMPORT_MAX_ROWS=str(max(rows, 200_000)))
    from sqlalchemy import select

    from crm_app.db import session_scope
    from crm_app.domain.form_edits import CustomFieldInput
    from crm_app.domain.sheet_reading import iter_rows
    from crm_app.jobs import runner
    from crm_app.models import User
    from crm_app.services import customer_import, form_config
    from crm_app.services.auth import actor_for
    from tests.db import migrate

    migrate(url)
    email = f"import.{backend}.{rows}@bench.example"
    create_bench_organization(email, PASSWORD)
    with session_scope() as session:
        user = session.execute(select(User).where(User.email == email)).scalar_one()
        actor = actor_for(user)
        level = CustomFieldInput(kind="choice", label_es="Nivel",
                                 options=tuple((None, name, "") for name in LEVELS))
        form_config.create_custom_field(session=session, actor=actor, client_type="person", data=level)

    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    read = sum(1 for _ in iter_rows(path, path.name))
    read_seconds = time.perf_counter() - start

    with path.open("rb") as source, session_scope() as session:
        imported = customer_import.register_upload(session=session, actor=actor, source=source,
                                                   file_name=path.name)
    unmapped = [imported.headers[i] for i in range(len(imported.headers)) if i not in imported.columns]
    with session_scope() as session:
        choices = customer_import.ImportChoices(columns=imported.columns, defaults={}, client_type="person",
                                                mode="create", match_by="tax_id", valid_only=True)
        customer_import.save_choices(session=session, actor=actor, import_id=imported.id, choices=choices)
        customer_import.start_check(session=session, actor=actor, import_id=imported.id)
    start = time.perf_counter()
    _run_job(runner, url, "check")
    check_seconds = time.perf_counter() - start
    with session_scope() as session:
        checked = customer_import.get_import(session=session, actor=actor, import_id=imported.id)
        customer_import.start_write(session=session, actor=actor, import_id=imported.id)
    start = time.perf_counter()
    _run_job(runner, url, "write")
    write_seconds = time.perf_counter() - start
    load_after = os.getloadavg()[0]
    with session_scope() as session:
        done = customer_import.get_import(session=session, actor=actor, import_id=imported.id)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker
    raw = _raw_limit(path, url)
    total = check_seconds + write_seconds
    mapped = len(HEADER) - len(unmapped)
    print(f"[{backend}] {rows:,} rows, {len(HEADER)} columns ({mapped} mapped by header; "
          f"not mapped: {unmapped or 'none'})")
    print(f"[{backend}]   read      {read / read_seconds:>9,.0f} rows/s  ({read_seconds:.1f} s, calamine)")
    print(f"[{backend}]   dry run   {rows / check_seconds:>9,.0f} rows/s  ({check_seconds:.1f} s) -> "
          f"{checked.counts}")
    print(f"[{backend}]   write     {rows / write_seconds:>9,.0f} rows/s  ({write_seconds:.1f} s) -> "
          f"{done.created_count:,} created, status {done.status}")
    print(f"[{backend}]   dry run + write {total:.1f} s (target <= 15 s at 100,000); "
          f"peak RSS {peak_mb:.0f} MB (target <= 300), its largest worker process {workers_mb:.0f} MB; "
          f"load average {load_before:.1f} -> {load_after:.1f}")
    print(f"[{backend}]   raw limit {raw:,.0f} rows/s (bare read + executemany): the import is "
          f"{raw / (rows / total):.1f}x slower than the raw limit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"import_{args.rows}.xlsx"
    if args.generate_only:
        generate(path, args.rows)
        return
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate-only"], check=True)
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    if len(backends) > 1:  # each backend in its own process: its own peak RSS and settings
        for backend in backends:
            command = [sys.executable, __file__, "--rows", str(args.rows), "--backend", backend]
            subprocess.run(command, check=True)
        return
    run(backends[0], args.rows, path)


if __name__ == "__main__":
    main()
