"""Cells as text both ways: the formula guard on what we write, cell_text on what we read; and the CSV and
.xlsx writers that apply the guard to every text cell."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from crm_app.domain.spreadsheet_cells import cell_text, guard_formula
from crm_app.services.sheet_writers import BOM, csv_chunks, text_of, write_xlsx


@pytest.mark.parametrize("text", [
    "=HYPERLINK(\"http://evil.example\",\"clic\")", "=1+1", "+593 99 123 4567 x", "-2+3", "@SUM(A1:A2)",
    "\tcmd", "\r=1", "=", "+", "-", "@",
])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert guard_formula(text) == "'" + text


@pytest.mark.parametrize("text", [
    "-0.1807", "+593991234567", "-78", "+5", "0991234567", "Ana", "", "a=b", "1+1", "'=already quoted",
    " =leading space",
])
def test_plain_text_and_signed_numbers_stay_as_they_are(text):
    assert guard_formula(text) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    (991234567.0, "991234567"),  # a phone typed in a number cell: no ".0"
    (1.2345678901234568e18, "1234567890123456768"),  # never "1.2345678901234568e+18"
    (1e-7, "0.0000001"),  # nor "1e-07"
    (1500.5, "1500.5"),
    (-0.1807, "-0.1807"),
    (float("nan"), ""),
    (42, "42"),
    (True, "1"),
    (False, "0"),
    (date(2024, 5, 31), "2024-05-31"),
    (datetime(2024, 5, 31), "2024-05-31"),
    (datetime(2024, 5, 31, 10, 30), "2024-05-31 10:30:00"),
    (time(9, 5), "09:05:00"),
    (timedelta(hours=1), "1:00:00"),
    ("  Ana  ", "Ana"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_text_of_a_written_cell():
    assert text_of(Decimal("1500.00")) == "1500.00"
    assert text_of(Decimal("1E+5")) == "100000"
    assert text_of(datetime(2026, 12, 4, 10, 31, 5, 123)) == "2026-12-04 10:31:05"
    assert text_of("=1+1") == "'=1+1"
    assert text_of(None) == ""


def test_csv_starts_with_a_bom_and_guards_header_and_cells():
    rows = [("=cmd()", "0991234567", Decimal("-0.180700"), date(1990, 5, 31), None),
            ("Ana, \"la\" jefa", "+593991234567", 5, None, "@x")]
    data = b"".join(csv_chunks(["Nombre", "=Tel", "Lat", "Día", "Nota"], iter(rows)))
    assert data.startswith(BOM.encode("utf-8"))
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert read == [["Nombre", "'=Tel", "Lat", "Día", "Nota"],
                    ["'=cmd()", "0991234567", "-0.180700", "1990-05-31", ""],
                    ["Ana, \"la\" jefa", "+593991234567", "5", "", "'@x"]]


def test_csv_comes_in_chunks_without_reading_ahead():
    read = []

    def rows():
        for i in range(5000):
            read.append(i)
            yield (f"customer {i}", "x" * 40)

    chunks = csv_chunks(["a", "b"], rows())
    next(chunks)
    assert 0 < len(read) < 5000  # the first chunk went out before the last row was read
    assert len(b"".join(chunks)) > 0


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers(tmp_path):
    path = tmp_path / "x.xlsx"
    count = write_xlsx(path, ["Tel", "Límite", "Día", "Nombre", "Grande"], [
        ("0991234567", Decimal("1500.50"), date(1990, 5, 31), "=HYPERLINK(\"x\")",
         Decimal("1234567890123456789")),
        ("1E5", 3, None, "", None),
    ], text_columns=[0])
    assert count == 2
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["Tel", "Límite", "Día", "Nombre", "Grande"]
    assert rows[1][0] == "0991234567" and rows[1][1] == 1500.5 and rows[1][2] == date(1990, 5, 31)
    assert rows[1][3] == "'=HYPERLINK(\"x\")"
    assert rows[1][4] == "1234567890123456789"  # more digits than a spreadsheet number keeps: text
    assert rows[2][0] == "1E5" and rows[2][1] == 3
