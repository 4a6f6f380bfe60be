"""A server killed in the middle of an import (``kill -9``) leaves no customer half-written: every
customer the import wrote has his phones, e-mails and the change record the revert needs, the import
is then shown as interrupted with what it wrote, and resuming it writes the rest exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sqlalchemy import func, select

from crm_app.jobs import runner
from crm_app.models import Customer, CustomerEmail, CustomerImportChange, CustomerPhone
from crm_app.services import customer_import
from tests.db import run_like_app
from tests.factories import make_org
from tests.services.test_customer_import import choose, run_jobs, upload, write_csv

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000

WORKER = textwrap.dedent("""
    import sys
    from crm_app.jobs import runner
    from crm_app.services.customer_import import runs
    runs.BATCH = 100
    runner.run_once(database_url=sys.argv[1])
""")


def _count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_a_killed_write_leaves_no_partial_customer_and_resumes(session, db_url, tmp_path):
    org, admin = make_org(session)
    rows = [[f"Cliente{i}", "Lote", "", f"09{80000000 + i}", "", f"c{i}@example.com", "", ""]
            for i in range(ROWS)]
    imported = upload(session, admin, write_csv(tmp_path / "grande.csv", rows))
    choose(session, admin, imported)
    run_like_app(session, customer_import.start_check, actor=admin, import_id=imported.id)
    run_jobs(db_url)
    run_like_app(session, customer_import.start_write, actor=admin, import_id=imported.id)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, db_url], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill it once it wrote some batches, mid-way
            written = _count(session, Customer, Customer.organization_id == org.id)
            session.rollback()
            if written >= 300 or worker.poll() is not None:
                break
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(30)

    created = _count(session, Customer, Customer.organization_id == org.id)
    assert 0 < created < ROWS, "the worker was killed mid-way"
    # Every customer is whole: his phone, his e-mail, and the record the revert needs.
    without_phone = _count(session, Customer, Customer.organization_id == org.id,
                           ~select(CustomerPhone.id).where(CustomerPhone.customer_id == Customer.id).exists())
    without_email = _count(session, Customer, Customer.organization_id == org.id,
                           ~select(CustomerEmail.id).where(CustomerEmail.customer_id == Customer.id).exists())
    recorded = _count(session, CustomerImportChange, CustomerImportChange.import_id == imported.id)
    assert (without_phone, without_email, recorded) == (0, 0, created)

    runner.sweep(database_url=db_url)  # a runner of this machine sees the dead worker
    stopped = customer_import.get_import(session=session, actor=admin, import_id=imported.id)
    assert stopped.status == "interrupted" and stopped.created_count == created

    resumed = run_like_app(session, customer_import.start_write, actor=admin, import_id=imported.id)
    assert resumed.status == "importing"
    run_jobs(db_url)
    done = customer_import.get_import(session=session, actor=admin, import_id=imported.id)
    assert (done.status, done.created_count) == ("done", ROWS)
    assert _count(session, Customer, Customer.organization_id == org.id) == ROWS
