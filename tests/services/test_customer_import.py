"""Customer imports on SQLite and PostgreSQL: a file goes through the same rules as the staff form,
its dry run counts and explains, its write creates and updates in batches and can be reverted, and it
never touches another organization."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.customers import CustomerInput, CustomerQuery, EmailInput, PhoneInput
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.jobs import runner
from crm_app.models import Customer, CustomerImportChange, FeedEvent
from crm_app.services import customer_import, customers, jobs
from crm_app.services.customer_import import ImportChoices
from crm_app.services.customer_import.records import imports_dir
from crm_app.services.transfer_access import set_sales_transfer
from tests.db import run_like_app
from tests.factories import make_org, make_user

HEADER = ["Nombres", "Apellidos", "Cédula", "Teléfono 1", "WhatsApp 1", "Correo 1", "Acepta correos 1",
          "Etiquetas"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def upload(session: Session, actor, path: Path):
    with path.open("rb") as source:
        return run_like_app(session, customer_import.register_upload, actor=actor, source=source,
                            file_name=path.name)


def choose(session, actor, imported, *, mode="create", match_by="tax_id", valid_only=False, defaults=None):
    choices = ImportChoices(columns=imported.columns, defaults=defaults or {}, client_type="person",
                            mode=mode, match_by=match_by, valid_only=valid_only)
    return run_like_app(session, customer_import.save_choices, actor=actor, import_id=imported.id,
                        choices=choices)


def run_jobs(db_url: str) -> None:
    while runner.run_once(database_url=db_url):
        pass


def check(session, actor, imported, db_url, **options):
    choose(session, actor, imported, **options)
    run_like_app(session, customer_import.start_check, actor=actor, import_id=imported.id)
    run_jobs(db_url)
    return customer_import.get_import(session=session, actor=actor, import_id=imported.id)


def write(session, actor, imported, db_url):
    run_like_app(session, customer_import.start_write, actor=actor, import_id=imported.id)
    run_jobs(db_url)
    return customer_import.get_import(session=session, actor=actor, import_id=imported.id)


def problems(session, actor, imported) -> list[dict]:
    job = jobs.get_job(session, actor.organization_id, imported.job_id)
    return job.result["problems"]


def names(session: Session, org_id: int) -> set[str]:
    rows = session.execute(select(Customer.display_name).where(
        Customer.organization_id == org_id, Customer.deleted_at.is_(None))).scalars()
    return set(rows)


GOOD = [
    ["Ana", "Pérez", "1710034065", "0991234567", "sí", "ana@example.com", "sí", "vip, nuevo"],
    ["Luis", "Mora", "", "0987654321", "", "luis@example.com", "no", ""],
]


def test_a_file_is_checked_then_written_with_the_forms_rules(session, db_url, tmp_path):
    org, admin = make_org(session)
    imported = upload(session, admin, write_csv(tmp_path / "clientes.csv", GOOD))
    assert imported.row_count == 2
    assert imported.columns[0] == "first_name" and imported.columns[3] == "phones.1.number"
    checked = check(session, admin, imported, db_url)
    assert checked.status == "checked"
    assert checked.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert names(session, org.id) == set()  # a dry run writes nothing
    done = write(session, admin, checked, db_url)
    assert (done.status, done.created_count) == ("done", 2)
    ana = customers.list_customers(session=session, actor=admin, query=CustomerQuery(search="Ana")).rows[0]
    dto = customers.get_customer(session=session, actor=admin, customer_id=ana.id)
    assert dto.source == "import" and dto.tax_id == "1710034065" and dto.phones[0].e164 == "+593991234567"
    assert dto.phones[0].whatsapp and dto.emails[0].accepts_email and set(dto.tags) == {"vip", "nuevo"}
    event = session.execute(select(FeedEvent).where(FeedEvent.customer_id == ana.id)).scalars().one()
    assert json.loads(event.data)["import"] == {"id": imported.id, "file": "clientes.csv", "row": 2}


def test_bad_rows_and_duplicates_inside_the_file_are_reported_by_row_and_column(session, db_url, tmp_path):
    org, admin = make_org(session)
    run_like_app(session, customers.create_customer, actor=admin, data=CustomerInput(
        first_name="Eva", last_name="Base", phones=(PhoneInput(number="0991111111"),)))
    rows = [
        GOOD[0],
        ["", "SinNombre", "", "0992222222", "", "", "", ""],  # row 3: first name required
        ["Eva", "Otra", "", "0991111111", "", "", "", ""],  # row 4: the phone is Eva Base's
        ["Ana", "Copia", "", "", "", "ana@example.com", "", ""],  # row 5: the e-mail is row 2's
        ["Raro", "Tel", "1234567890", "12", "tal vez", "no-es-correo", "", ""],  # row 6: several
    ]
    imported = upload(session, admin, write_csv(tmp_path / "errores.csv", rows))
    checked = check(session, admin, imported, db_url)
    assert checked.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 4}
    found = {(p["row"], p["column"], p["code"]) for p in problems(session, admin, checked)}
    assert (3, "first_name", "required") in found
    assert (4, "phones.1.number", "duplicate_phone") in found
    assert (5, "emails.1.address", "duplicate_in_file") in found
    assert {(6, "tax_id"), (6, "phones.1.number"), (6, "phones.1.whatsapp"), (6, "emails.1.address")} <= {
        (r, c) for r, c, _ in found}
    with pytest.raises(Conflict):  # not with errors, unless only the valid rows are asked for
        run_like_app(session, customer_import.start_write, actor=admin, import_id=imported.id)
    checked = check(session, admin, imported, db_url, valid_only=True)
    done = write(session, admin, checked, db_url)
    assert done.created_count == 1 and names(session, org.id) == {"Eva Base", "Ana Pérez"}


def test_update_and_both_modes_match_by_tax_id(session, db_url, tmp_path):
    org, admin = make_org(session)
    run_like_app(session, customers.create_customer, actor=admin, data=CustomerInput(
        first_name="Ana", last_name="Vieja", tax_id="1710034065", notes="nota previa",
        emails=(EmailInput(address="ana@example.com", accepts_email=True),)))
    path = write_csv(tmp_path / "act.csv", GOOD)
    update_only = check(session, admin, upload(session, admin, path), db_url, mode="update")
    assert update_only.counts == {"create": 0, "update": 1, "unchanged": 0, "error": 1}  # Luis: no match
    both = check(session, admin, upload(session, admin, path), db_url, mode="both")
    assert both.counts == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    done = write(session, admin, both, db_url)
    assert (done.created_count, done.updated_count) == (1, 1)
    assert names(session, org.id) == {"Ana Pérez", "Luis Mora"}
    query = CustomerQuery(search="1710034065")
    ana = customers.list_customers(session=session, actor=admin, query=query).rows[0]
    dto = customers.get_customer(session=session, actor=admin, customer_id=ana.id)
    assert dto.notes == "nota previa"  # a field the file does not give is kept
    kinds = session.execute(select(FeedEvent.kind).where(FeedEvent.customer_id == ana.id)
                            .order_by(FeedEvent.id)).scalars().all()
    assert kinds == ["customer_created", "customer_updated"]  # the update shows its changes like any edit
    again = check(session, admin, upload(session, admin, path), db_url, mode="both")
    # Ana is recognized and unchanged; Luis has no ID to be recognized by: new, so a duplicate of himself.
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1, "error": 1}
    assert {p["code"] for p in problems(session, admin, again)} == {"duplicate_phone", "duplicate_email"}


def test_revert_trashes_what_it_created_restores_what_it_changed_and_spares_later_edits(
        session, db_url, tmp_path):
    org, admin = make_org(session)
    old = run_like_app(session, customers.create_customer, actor=admin, data=CustomerInput(
        first_name="Ana", last_name="Vieja", tax_id="1710034065"))
    rows = [*GOOD, ["Eva", "Nueva", "", "0993333333", "", "", "", ""]]
    imported = check(session, admin, upload(session, admin, write_csv(tmp_path / "r.csv", rows)), db_url,
                     mode="both")
    write(session, admin, imported, db_url)
    eva = customers.list_customers(session=session, actor=admin, query=CustomerQuery(search="Eva")).rows[0]
    edited = customers.get_customer(session=session, actor=admin, customer_id=eva.id)
    run_like_app(session, customers.update_customer, actor=admin, customer_id=eva.id,
                 version=edited.version, data=CustomerInput(first_name="Eva", last_name="Editada",
                                                            phones=(PhoneInput("0993333333"),)))
    run_like_app(session, customer_import.start_revert, actor=admin, import_id=imported.id)
    run_jobs(db_url)
    reverted = customer_import.get_import(session=session, actor=admin, import_id=imported.id)
    assert reverted.status == "reverted" and reverted.reverted_at is not None
    assert [s["id"] for s in reverted.revert_skipped] == [eva.id]
    assert names(session, org.id) == {"Ana Vieja", "Eva Editada"}  # Luis in the trash, Ana as she was
    assert customers.get_customer(session=session, actor=admin, customer_id=old.id).last_name == "Vieja"
    with pytest.raises(Conflict):
        run_like_app(session, customer_import.start_revert, actor=admin, import_id=imported.id)


def test_an_import_never_touches_nor_shows_another_organization(session, db_url, tmp_path):
    _, admin = make_org(session)
    other_org, other = make_org(session, "Otra")
    run_like_app(session, customers.create_customer, actor=other, data=CustomerInput(
        first_name="Ana", last_name="Ajena", tax_id="1710034065", phones=(PhoneInput("0991234567"),)))
    imported = check(session, admin, upload(session, admin, write_csv(tmp_path / "t.csv", GOOD)), db_url,
                     mode="both")
    assert imported.counts["create"] == 2  # the other organization's Ana is neither a match nor a duplicate
    write(session, admin, imported, db_url)
    assert names(session, other_org.id) == {"Ana Ajena"}
    for call in (customer_import.get_import, customer_import.start_check, customer_import.start_write,
                 customer_import.start_revert, customer_import.cancel):
        with pytest.raises(NotFound):
            call(session=session, actor=other, import_id=imported.id)
    assert customer_import.list_imports(session=session, actor=other) == []


def test_sales_users_import_only_when_an_admin_allows_it(session, db_url, tmp_path):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    path = write_csv(tmp_path / "v.csv", GOOD)
    with pytest.raises(Forbidden):
        upload(session, sales, path)
    run_like_app(session, set_sales_transfer, actor=admin, allowed=True)
    assert upload(session, sales, path).row_count == 2


def test_a_file_that_is_no_spreadsheet_is_refused_and_nothing_is_kept(session, db_url, tmp_path):
    _, admin = make_org(session)
    fake = tmp_path / "clientes.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(ValidationFailed) as refused:
        upload(session, admin, fake)
    assert "file" in refused.value.errors
    assert customer_import.list_imports(session=session, actor=admin) == []


def test_a_file_over_the_size_limit_is_refused_while_it_is_copied(session, db_url, tmp_path, env):
    org, admin = make_org(session)
    env(CRM_IMPORT_MAX_MB="0.0001")  # about 100 bytes
    kept = set(imports_dir(org.id).glob("*"))  # ids are reused across tests: earlier tests' files
    with pytest.raises(ValidationFailed) as refused:
        upload(session, admin, write_csv(tmp_path / "grande.csv", GOOD * 5))
    assert refused.value.errors["file"].code == "file_too_large"
    assert customer_import.list_imports(session=session, actor=admin) == []
    assert set(imports_dir(org.id).glob("*")) == kept  # nothing kept on disk either


def test_the_mapping_is_checked_and_remembered(session, db_url, tmp_path):
    _, admin = make_org(session)
    path = write_csv(tmp_path / "m.csv", GOOD, header=["Columna A", "Columna B", *HEADER[2:]])
    first = upload(session, admin, path)
    assert 0 not in first.columns  # "Columna A" means nothing by itself
    with pytest.raises(ValidationFailed):  # a field mapped twice
        run_like_app(session, customer_import.save_choices, actor=admin, import_id=first.id,
                     choices=ImportChoices(columns={0: "first_name", 1: "first_name"}, defaults={},
                                           client_type="person", mode="create", match_by="tax_id"))
    with pytest.raises(ValidationFailed):  # updating needs the column that recognizes the customer
        run_like_app(session, customer_import.save_choices, actor=admin, import_id=first.id,
                     choices=ImportChoices(columns={0: "first_name"}, defaults={}, client_type="person",
                                           mode="update", match_by="loyalty_id"))
    columns = {**first.columns, 0: "first_name", 1: "last_name"}
    choices = ImportChoices(columns=columns, defaults={}, client_type="person", mode="create",
                            match_by="tax_id")
    run_like_app(session, customer_import.save_choices, actor=admin, import_id=first.id, choices=choices)
    run_like_app(session, customer_import.start_check, actor=admin, import_id=first.id)
    run_jobs(db_url)
    second = upload(session, admin, path)
    assert second.columns[0] == "first_name" and second.columns[1] == "last_name"


def test_a_cancelled_write_keeps_its_batches_and_resumes(session, db_url, tmp_path, monkeypatch):
    from crm_app.services.customer_import import runs

    org, admin = make_org(session)
    monkeypatch.setattr(runs, "BATCH", 2)
    rows = [[f"Cliente{i}", "Lote", "", f"09{90000000 + i}", "", "", "", ""] for i in range(7)]
    imported = check(session, admin, upload(session, admin, write_csv(tmp_path / "c.csv", rows)), db_url)
    run_like_app(session, customer_import.start_write, actor=admin, import_id=imported.id)
    job = runner.claim("w1", database_url=db_url)
    original = job.progress

    def cancel_after_first(done, total=None):
        original(done, total)
        if done == 2:
            run_like_app(session, customer_import.cancel, actor=admin, import_id=imported.id)
            original(done, total)

    job.progress = cancel_after_first
    assert runner.run_job(job) == "cancelled"
    stopped = customer_import.get_import(session=session, actor=admin, import_id=imported.id)
    assert (stopped.status, stopped.created_count, stopped.next_row) == ("cancelled", 2, 4)
    resumed = write(session, admin, stopped, db_url)
    assert (resumed.status, resumed.created_count) == ("done", 7)
    count = session.execute(select(func.count()).select_from(CustomerImportChange)).scalar_one()
    assert count == 7 and len(names(session, org.id)) == 7


def test_worker_processes_judge_as_the_job_itself(session, db_url, tmp_path, monkeypatch):
    """A large file's rows are read and checked in worker processes: the same counts and problems."""
    from crm_app.services.customer_import import runs

    _, admin = make_org(session)
    rows = [*GOOD, ["", "SinNombre", "", "12", "", "", "", ""], GOOD[0]]
    path = write_csv(tmp_path / "p.csv", rows)
    alone = check(session, admin, upload(session, admin, path), db_url)
    monkeypatch.setattr(runs, "POOL_FROM", 1)
    pooled = check(session, admin, upload(session, admin, path), db_url)
    assert pooled.counts == alone.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 2}
    assert problems(session, admin, pooled) == problems(session, admin, alone)
