"""Reading an uploaded spreadsheet: CSV encodings and separators, workbooks with their text cells and
dates, and one clear refusal for each kind of bad file, before anything is written."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from crm_app.domain.errors import FieldError
from crm_app.domain.sheet_reading import SheetLimits, csv_encoding, csv_separator, inspect_sheet, iter_rows

LIMITS = SheetLimits(max_bytes=5 * 1024 * 1024, max_rows=1000)
ROWS = [["Nombres", "Apellidos", "Cédula"], ["José", "Núñez", "0102030405"], ["María", "Peña", "1710034065"]]


def write_csv(path: Path, rows, *, encoding: str, separator: str) -> Path:
    path.write_bytes("\r\n".join(separator.join(r) for r in rows).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_in_any_encoding_and_separator_reads_the_same(tmp_path, encoding, separator):
    path = write_csv(tmp_path / "c.csv", ROWS, encoding=encoding, separator=separator)
    info = inspect_sheet(path, "clientes.csv", LIMITS)
    assert info.headers == ("Nombres", "Apellidos", "Cédula") and info.row_count == 2
    assert list(iter_rows(path, "clientes.csv")) == [(2, tuple(ROWS[1])), (3, tuple(ROWS[2]))]


def test_encoding_and_separator_detection(tmp_path):
    assert csv_encoding(write_csv(tmp_path / "a.csv", ROWS, encoding="cp1252", separator=";")) == "cp1252"
    assert csv_encoding(write_csv(tmp_path / "b.csv", ROWS, encoding="utf-8", separator=";")) == "utf-8"
    assert csv_separator("a;b;c\n1;2,5;3\n") == ";"  # a decimal comma inside a cell is no separator
    assert csv_separator("a,b\n1,2\n") == ","


def _xlsx(path: Path, rows, *, numbers: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value) if numbers else sheet.write_string(r, c, str(value))
    book.close()
    return path


def test_a_workbook_keeps_text_ids_and_reads_numbers_and_dates_as_typed(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "w.xlsx"))
    sheet = book.add_worksheet()
    for c, value in enumerate(["Cédula", "Teléfono", "Nacimiento", "Crédito"]):
        sheet.write_string(0, c, value)
    sheet.write_string(2, 0, "0102030405")  # a text cell keeps the zero (row 2 left blank on purpose)
    sheet.write_number(2, 1, 991234567)  # a number cell lost it: what Excel kept, without ".0"
    sheet.write_datetime(2, 2, date(1990, 12, 31), book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_number(2, 3, 1500.5)
    sheet.write_number(3, 1, 1234567890123456789)
    book.close()
    rows = list(iter_rows(tmp_path / "w.xlsx", "w.xlsx"))
    assert rows[0] == (3, ("0102030405", "991234567", "1990-12-31", "1500.5"))  # Excel's row 3
    long_number = rows[1][1][1]  # as the file stored it (a float), never "1.2345678901234568e+18"
    assert long_number.isdigit() and len(long_number) == 19


@pytest.mark.parametrize(("name", "content", "code"), [
    ("clientes.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "file_type_unsupported"),
    ("clientes.pdf", b"%PDF-1.4", "file_type_unsupported"),
    ("clientes.xlsx", b"PK\x03\x04" + b"\x00" * 64, "file_unreadable"),
    ("clientes.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "file_encrypted"),
    ("clientes.xls", b"not an ole file at all", "file_type_unsupported"),
    ("clientes.csv", b"", "file_empty"),
    ("clientes.csv", b"\r\n;;\r\n", "file_empty"),
    ("clientes.csv", b"ana@example.com;0991234567\nluis@example.com;0987654321\n", "file_no_header"),
    ("clientes.csv", b"Nombres;Apellidos\n", "file_empty"),
])
def test_each_bad_file_gets_its_own_message(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FieldError) as refused:
        inspect_sheet(path, name, LIMITS)
    assert refused.value.code == code


def test_a_broken_workbook_is_unreadable(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", ROWS).read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good[: len(good) // 2])
    with pytest.raises(FieldError) as refused:
        inspect_sheet(broken, "broken.xlsx", LIMITS)
    assert refused.value.code == "file_unreadable"


def test_limits_on_size_and_rows(tmp_path):
    path = write_csv(tmp_path / "big.csv", [ROWS[0]] + [ROWS[1]] * 20, encoding="utf-8", separator=";")
    with pytest.raises(FieldError) as refused:
        inspect_sheet(path, "big.csv", SheetLimits(max_bytes=100, max_rows=1000))
    assert (refused.value.code, refused.value.params) == ("file_too_large", {"max_mb": 0})
    with pytest.raises(FieldError) as refused:
        inspect_sheet(path, "big.csv", SheetLimits(max_bytes=10_000, max_rows=10))
    assert (refused.value.code, refused.value.params) == ("file_too_many_rows", {"max": 10})


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = b"\x00" * (1024 * 1024)
    with (zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
          archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member):
        for _ in range(300):  # 300 MB of zeros, about 300 KB packed
            member.write(chunk)
    with pytest.raises(FieldError) as refused:
        inspect_sheet(path, "bomb.xlsx", SheetLimits(max_bytes=50 * 1024 * 1024, max_rows=1000))
    assert refused.value.code == "file_zip_bomb"


def test_an_ods_is_read_too(tmp_path):
    content = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Hoja1">
<table:table-row><table:table-cell office:value-type="string"><text:p>Nombres</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Teléfono</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Rosa</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>0991234567</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content.replace("\n<", "<"))
        archive.writestr("META-INF/manifest.xml", """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>""")
    path = tmp_path / "hoja.ods"
    path.write_bytes(out.getvalue())

    assert inspect_sheet(path, "hoja.ods", LIMITS).headers == ("Nombres", "Teléfono")
    assert list(iter_rows(path, "hoja.ods")) == [(2, ("Rosa", "0991234567"))]
