"""Fuzzing the import (hypothesis): whatever the cells hold (text in any script, numbers and dates as
numbers, formulas, huge strings) and whatever the bytes of the file, the import gives a report or one
clear refusal, never a crash, and never a partial write."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from crm_app.domain.customer_validation import check_customer
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.domain.form_config import FormConfig, default_builtin
from crm_app.domain.import_rows import ImportPlan, Vocabulary, read_row
from crm_app.domain.sheet_reading import SheetLimits, inspect_sheet, iter_rows
from crm_app.models import Customer, CustomerImportChange, CustomerPhone
from crm_app.services import customer_import
from tests.db import run_like_app
from tests.factories import make_org
from tests.services.test_customer_import import HEADER, choose, run_jobs, upload

CELL = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 +-()", max_size=20),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(date.isoformat),
    st.integers(min_value=1, max_value=60000).map(str),  # a date as Excel's day number
    st.sampled_from(["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")", "Sí", "no", "x"]),
    st.text(min_size=300, max_size=3000),  # huge
    st.emails(),
)
ROW = st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER))
WORDS = Vocabulary(client_types={}, channels={}, phone_kinds={}, tax_id_types={}, options={})
PLAN = ImportPlan(columns={0: "first_name", 1: "last_name", 2: "tax_id", 3: "phones.1.number",
                           4: "phones.1.whatsapp", 5: "emails.1.address", 6: "emails.1.accepts_email",
                           7: "tags"}, defaults={})
FORM = FormConfig("person", default_builtin("person"))


@settings(max_examples=300, deadline=None)
@given(ROW)
def test_any_row_is_read_and_checked_or_refused_with_messages(cells):
    read = read_row(cells, PLAN, WORDS)
    assert all(isinstance(e, FieldError) for e in read.errors.values())
    try:
        check_customer(FORM, read.data, country="EC", today=date(2026, 12, 4), currency="USD")
    except ValidationFailed as exc:
        assert exc.errors and all(isinstance(e, FieldError) for e in exc.errors.values())


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["f.xlsx", "f.xls", "f.ods", "f.csv"]))
def test_any_bytes_are_a_sheet_or_one_refusal(data, name):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            inspect_sheet(path, name, SheetLimits(max_bytes=10**6, max_rows=1000))
        except FieldError:
            return
        list(iter_rows(path, name))  # what passed the check reads to the end


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=0, max_value=3))
def test_a_damaged_zip_is_one_refusal(junk, where):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    good = out.getvalue()
    cut = len(good) * where // 4
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.xlsx"
        path.write_bytes(good[:cut] + junk + good[cut + len(junk):])
        try:
            inspect_sheet(path, "f.xlsx", SheetLimits(max_bytes=10**6, max_rows=1000))
            list(iter_rows(path, "f.xlsx"))
        except FieldError:
            pass


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=25))
def test_random_files_are_reported_and_written_whole(session, db_url, tmp_path_factory, rows):
    org, admin = make_org(session)
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows([[c.replace("\x00", "") for c in row] for row in rows])
    try:
        imported = upload(session, admin, path)
    except ValidationFailed:
        return  # one clear refusal (e.g. every row blank)
    choose(session, admin, imported, valid_only=True)
    run_like_app(session, customer_import.start_check, actor=admin, import_id=imported.id)
    run_jobs(db_url)
    checked = customer_import.get_import(session=session, actor=admin, import_id=imported.id)
    assert checked.status == "checked", checked
    assert sum(checked.counts.values()) == imported.row_count
    run_like_app(session, customer_import.start_write, actor=admin, import_id=imported.id)
    run_jobs(db_url)
    done = customer_import.get_import(session=session, actor=admin, import_id=imported.id)
    assert done.status == "done" and done.created_count == checked.counts["create"]
    created = session.execute(select(func.count()).select_from(Customer)
                              .where(Customer.organization_id == org.id)).scalar_one()
    changes = session.execute(select(func.count()).select_from(CustomerImportChange)
                              .where(CustomerImportChange.import_id == imported.id)).scalar_one()
    orphans = session.execute(select(func.count()).select_from(CustomerPhone).where(
        CustomerPhone.organization_id == org.id,
        ~select(Customer.id).where(Customer.id == CustomerPhone.customer_id).exists())).scalar_one()
    assert created == changes == done.created_count and orphans == 0
