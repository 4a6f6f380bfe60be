"""Reading an uploaded spreadsheet: CSV encodings and separators, workbooks (.xlsx, .xls, .ods) with their
text cells and dates, and one clear refusal for each kind of bad file, before anything is written or
unfolded in memory."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from crm_app.domain.errors import FieldError
from crm_app.domain.sheet_reading import SheetLimits, csv_encoding, csv_separator, inspect_sheet, iter_rows
from crm_app.i18n import LANGUAGES, error_text
from tests.unit import ole_files
from tests.unit.ole_files import compound_file, encrypted_xlsx, xls_workbook

LIMITS = SheetLimits(max_bytes=5 * 1024 * 1024, max_rows=1000)
ROWS = [["Nombres", "Apellidos", "Cédula"], ["José", "Núñez", "0102030405"], ["María", "Peña", "1710034065"]]


def write_csv(path: Path, rows, *, encoding: str, separator: str) -> Path:
    path.write_bytes("\r\n".join(separator.join(r) for r in rows).encode(encoding))
    return path


def refusal(path: Path, name: str | None = None, limits: SheetLimits = LIMITS) -> FieldError:
    with pytest.raises(FieldError) as refused:
        inspect_sheet(path, name or path.name, limits)
    return refused.value


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_in_any_encoding_and_separator_reads_the_same(tmp_path, encoding, separator):
    path = write_csv(tmp_path / "c.csv", ROWS, encoding=encoding, separator=separator)
    info = inspect_sheet(path, "clientes.csv", LIMITS)
    assert info.headers == ("Nombres", "Apellidos", "Cédula") and info.row_count == 2
    assert list(iter_rows(path, "clientes.csv")) == [(2, tuple(ROWS[1])), (3, tuple(ROWS[2]))]


def test_encoding_and_separator_detection(tmp_path):
    assert csv_encoding(write_csv(tmp_path / "a.csv", ROWS, encoding="cp1252", separator=";")) == "cp1252"
    assert csv_encoding(write_csv(tmp_path / "b.csv", ROWS, encoding="utf-8", separator=";")) == "utf-8"
    with_bom = write_csv(tmp_path / "c.csv", ROWS, encoding="utf-8-sig", separator=";")
    assert csv_encoding(with_bom) == "utf-8-sig"
    assert csv_separator("a;b;c\n1;2,5;3\n") == ";"  # a decimal comma inside a cell is no separator
    assert csv_separator("a,b\n1,2\n") == ","
    assert csv_separator("Nombres\tDirección\nAna\tAv. 1, Quito\n") == "\t"
    assert csv_separator("Nombres;Dirección\nAna;Av. 1, Quito\nLuis;Calle 2, Loja\n") == ";"


def test_a_spanish_excel_csv_with_quotes_commas_and_its_sep_line(tmp_path):
    text = 'sep=;\r\nNombres;Dirección;Notas\r\n"Peña, Ana";"Av. 6 de Diciembre; 12";"dice ""hola"""\r\n'
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    assert inspect_sheet(path, "excel.csv", LIMITS).headers == ("Nombres", "Dirección", "Notas")
    assert list(iter_rows(path, "excel.csv")) == [(2, ("Peña, Ana", "Av. 6 de Diciembre; 12", 'dice "hola"'))]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = tmp_path / "huecos.csv"
    path.write_text("\n;;\nNombres;Apellidos\nAna;Pérez\n ; \n\nLuis;Mora\n", encoding="utf-8")
    assert inspect_sheet(path, "huecos.csv", LIMITS).row_count == 2
    assert [n for n, _ in iter_rows(path, "huecos.csv")] == [4, 7]


def test_a_title_above_the_header_is_passed_over(tmp_path):
    path = tmp_path / "titulo.csv"
    path.write_text("Clientes 2024;;\n;;\nNombres;Apellidos;Teléfono\nAna;Pérez;0991234567\n",
                    encoding="utf-8")
    assert inspect_sheet(path, "titulo.csv", LIMITS).headers == ("Nombres", "Apellidos", "Teléfono")
    assert list(iter_rows(path, "titulo.csv")) == [(4, ("Ana", "Pérez", "0991234567"))]
    single = tmp_path / "una.csv"  # one column: its header stays the header
    single.write_text("Nombres\nAna\nLuis\n", encoding="utf-8")
    assert inspect_sheet(single, "una.csv", LIMITS) == inspect_sheet(single, "una.csv", LIMITS)
    assert inspect_sheet(single, "una.csv", LIMITS).headers == ("Nombres",)


# --------------------------------------------------------------------------- workbooks


def _xlsx(path: Path, rows) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
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


def test_the_first_visible_sheet_that_holds_something_is_read(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "hojas.xlsx"))
    hidden = book.add_worksheet("Oculta")
    hidden.write_string(0, 0, "Listas")
    book.add_worksheet("Vacía")
    data = book.add_worksheet("Clientes")
    data.write_row(0, 0, ["Nombres", "Apellidos"])
    data.write_row(1, 0, ["Ana", "Pérez"])
    data.activate()
    hidden.hide()
    book.close()
    assert inspect_sheet(tmp_path / "hojas.xlsx", "hojas.xlsx", LIMITS).headers == ("Nombres", "Apellidos")
    assert list(iter_rows(tmp_path / "hojas.xlsx", "hojas.xlsx")) == [(2, ("Ana", "Pérez"))]


@pytest.mark.parametrize("mini", [False, True])  # a workbook under 4 KB lives in the mini stream
def test_an_xls_is_read_with_its_text_ids_and_numbers(tmp_path, mini):
    path = tmp_path / "viejo.xls"
    path.write_bytes(xls_workbook([["Nombres", "Cédula", "Teléfono"], ["José", "0102030405", 991234567.0],
                                   ["Ñusta", "1710034065", 1500.5]], mini=mini))
    info = inspect_sheet(path, "viejo.xls", LIMITS)
    assert info.headers == ("Nombres", "Cédula", "Teléfono") and info.row_count == 2
    assert list(iter_rows(path, "viejo.xls")) == [(2, ("José", "0102030405", "991234567")),
                                                  (3, ("Ñusta", "1710034065", "1500.5"))]


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods(path: Path, rows_xml: str) -> Path:
    """A minimal .ods (mimetype, content.xml, manifest) with one sheet of ``rows_xml``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Hoja1">{rows_xml}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    path.write_bytes(out.getvalue())
    return path


def ods_row(*cells: str, repeated: int = 1) -> str:
    body = "".join(f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
                   for c in cells)
    return f'<table:table-row table:number-rows-repeated="{repeated}">{body}</table:table-row>'


def test_an_ods_is_read_too(tmp_path):
    trailing = ('<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
                'table:number-columns-repeated="1024"/></table:table-row>')  # as LibreOffice ends a sheet
    path = ods(tmp_path / "hoja.ods",
               ods_row("Nombres", "Teléfono") + ods_row("Rosa", "0991234567") + trailing)
    assert inspect_sheet(path, "hoja.ods", LIMITS).headers == ("Nombres", "Teléfono")
    assert list(iter_rows(path, "hoja.ods")) == [(2, ("Rosa", "0991234567"))]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("name", "content", "code"), [
    ("clientes.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "file_type_unsupported"),
    ("clientes.pdf", b"%PDF-1.4", "file_type_unsupported"),
    ("clientes.xlsb", b"PK\x03\x04" + b"\x00" * 64, "file_type_unsupported"),
    ("clientes.csv", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "file_type_unsupported"),
    ("clientes.csv", b"Nombres;Apellidos\nAna\x00;P\x00\n", "file_type_unsupported"),
    ("clientes.xlsx", b"PK\x03\x04" + b"\x00" * 64, "file_unreadable"),
    ("clientes.xlsx", encrypted_xlsx(), "file_encrypted"),
    ("clientes.xlsx", xls_workbook([["Nombres"], ["Ana"]]), "file_type_unsupported"),  # an .xls renamed
    ("clientes.xls", xls_workbook([["Nombres"], ["Ana"]], password=True), "file_encrypted"),
    ("clientes.xls", compound_file({"WordDocument": b"\x00" * 100}), "file_unreadable"),
    ("clientes.xls", b"not an ole file at all", "file_type_unsupported"),
    ("clientes.csv", b"", "file_empty"),
    ("clientes.csv", b"\r\n;;\r\n", "file_empty"),
    ("clientes.csv", b"ana@example.com;0991234567\nluis@example.com;0987654321\n", "file_no_header"),
    ("clientes.csv", b"0991234567;1500,50;31/12/1990\n", "file_no_header"),
    ("clientes.csv", b"Nombres;Apellidos\n", "file_empty"),
])
def test_each_bad_file_gets_its_own_message(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    assert refusal(path).code == code


def test_every_refusal_has_a_message_in_both_languages():
    codes = {"file_type_unsupported": {}, "file_too_large": {"max_mb": 50}, "file_too_many_rows": {"max": 9},
             "file_sheet_too_big": {"rows": 9, "columns": 9}, "file_unreadable": {}, "file_encrypted": {},
             "file_zip_bomb": {}, "file_empty": {}, "file_no_header": {}}
    for code, params in codes.items():
        for lang in LANGUAGES:
            assert error_text(FieldError(code, **params), lang) != code


def test_a_broken_workbook_is_unreadable(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", ROWS).read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good[: len(good) // 2])
    assert refusal(broken).code == "file_unreadable"
    lying = tmp_path / "lying.xlsx"  # a part that says it unpacks to less than it does
    with (zipfile.ZipFile(tmp_path / "good.xlsx") as source,
          zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as out):
        for member in source.infolist():
            out.writestr(member, source.read(member))
    data = bytearray(lying.read_bytes())
    entry = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) - 46  # its directory entry
    data[entry + 24:entry + 28] = (10).to_bytes(4, "little")  # its unpacked size: 10 bytes
    lying.write_bytes(bytes(data))
    assert refusal(lying).code == "file_unreadable"


def test_limits_on_size_and_rows(tmp_path):
    path = write_csv(tmp_path / "big.csv", [ROWS[0]] + [ROWS[1]] * 20, encoding="utf-8", separator=";")
    refused = refusal(path, limits=SheetLimits(max_bytes=100, max_rows=1000))
    assert (refused.code, refused.params) == ("file_too_large", {"max_mb": 0})
    refused = refusal(path, limits=SheetLimits(max_bytes=10_000, max_rows=10))
    assert (refused.code, refused.params) == ("file_too_many_rows", {"max": 10})
    assert inspect_sheet(path, "big.csv", SheetLimits(max_bytes=10_000, max_rows=20)).row_count == 20


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = b"\x00" * (1024 * 1024)
    with (zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
          archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member):
        for _ in range(300):  # 300 MB of zeros, about 300 KB packed
            member.write(chunk)
    limits = SheetLimits(max_bytes=50 * 1024 * 1024, max_rows=1000)
    assert refusal(path, limits=limits).code == "file_zip_bomb"


def test_a_zip_of_thousands_of_parts_is_refused(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(10_001):
            archive.writestr(f"x/{i}", b"")
    assert refusal(path).code == "file_zip_bomb"


def _sheet_xml(path: Path, sheet_data: str) -> Path:
    """An .xlsx from XlsxWriter whose first sheet's rows are replaced by ``sheet_data``."""
    source = _xlsx(tmp := path.with_suffix(".tmp.xlsx"), [["Nombres"]])
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                data = (text[:text.index("<sheetData>")] + f"<sheetData>{sheet_data}</sheetData>"
                        + text[text.index("</sheetData>") + len("</sheetData>"):]).encode()
            out.writestr(member, data)
    tmp.unlink()
    return path


def test_an_xlsx_announcing_billions_of_strings_is_refused(tmp_path):
    # calamine reserves room for sharedStrings.xml's uniqueCount: 2.4 TB aborts the process.
    source = _xlsx(tmp_path / "bien.xlsx", ROWS)
    path = tmp_path / "cadenas.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "xl/sharedStrings.xml":
                data = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="99999999999"', data)
                assert b"99999999999" in data
            out.writestr(member, data)
    assert refusal(path).code == "file_unreadable"
    assert inspect_sheet(source, "bien.xlsx", LIMITS).row_count == 2


def test_a_sheet_that_would_unfold_into_millions_of_cells_is_refused_before_it_is_read(tmp_path):
    cell = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
    head = f'<row r="1">{cell.format(ref="A1")}{cell.format(ref="B1")}</row>'
    # Two cells 5 KB apart on disk, a rectangle of 1,000,000 rows x 20 columns once read.
    far_down = _sheet_xml(tmp_path / "abajo.xlsx",
                          head + f'<row r="1000000">{cell.format(ref="T1000000")}</row>')
    assert refusal(far_down).code == "file_too_many_rows"
    far_right = _sheet_xml(tmp_path / "derecha.xlsx",
                           head + f'<row r="900">{cell.format(ref="ZZZ900")}</row>')
    refused = refusal(far_right)
    assert (refused.code, refused.params) == ("file_sheet_too_big", {"rows": 900, "columns": 18278})
    # Cells and rows without their reference are counted one after the other, as the reader does.
    unnamed = _sheet_xml(tmp_path / "sin_r.xlsx", head + "<row>" + "<c><v>1</v></c>" * 20_000 + "</row>"
                         + "<row><c><v>1</v></c></row>" * 3)
    refused = refusal(unnamed, limits=SheetLimits(max_bytes=LIMITS.max_bytes, max_rows=10))
    assert (refused.code, refused.params) == ("file_sheet_too_big", {"rows": 5, "columns": 20_000})
    # Formatted empty cells far away are not read, so they do not count.
    styled = _sheet_xml(tmp_path / "formato.xlsx", head + '<row r="2"><c r="A2" t="inlineStr"><is><t>Ana</t>'
                        '</is></c></row><row r="1000000"><c r="T1000000" s="1"/></row>')
    assert inspect_sheet(styled, "formato.xlsx", LIMITS).row_count == 1


@pytest.mark.parametrize("mini", [False, True])
def test_an_xls_with_a_cell_far_away_is_refused_before_it_is_read(tmp_path, mini):
    path = tmp_path / "lejos.xls"  # 3 KB, a rectangle of 65,536 x 256 cells (1 GB) once read
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], mini=mini, far=(65535, 255)))
    refused = refusal(path, limits=SheetLimits(max_bytes=LIMITS.max_bytes, max_rows=200_000))
    assert (refused.code, refused.params) == ("file_sheet_too_big", {"rows": 65536, "columns": 256})
    near = tmp_path / "cerca.xls"
    near.write_bytes(xls_workbook([["Nombres"], ["Ana"]], mini=mini, far=(40, 3)))
    assert inspect_sheet(near, "cerca.xls", LIMITS).row_count == 2
    broken = tmp_path / "rota.xls"  # its directory said to be past the end of the file
    data = bytearray(path.read_bytes())
    data[48:52] = (10_000).to_bytes(4, "little")
    broken.write_bytes(bytes(data))
    assert refusal(broken).code == "file_unreadable"


def test_an_xls_the_reader_would_abort_or_loop_on_is_refused(tmp_path):
    # A DIMENSIONS record whose first row is after its last: calamine's count wraps around, it reserves
    # 343 GB and the failed allocation aborts the process (no exception to catch).
    path = tmp_path / "dimensiones.xls"
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], dimensions=(76, 3, 0, 1)))
    assert refusal(path).code == "file_unreadable"
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], dimensions=(0, 0xFFFF_FFFF, 0, 256)))
    assert refusal(path).code == "file_too_many_rows"
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], dimensions=(0, 2, 0, 1)))
    assert inspect_sheet(path, "dimensiones.xls", LIMITS).row_count == 1
    # A DIFAT chain that comes back to itself: calamine would follow it forever.
    looped = bytearray(xls_workbook([["Nombres"], ["Ana"]]))
    looped[68:72] = (0).to_bytes(4, "little")  # the DIFAT starts at sector 0 (the FAT)...
    looped[512 + 508:512 + 512] = (0).to_bytes(4, "little")  # ...whose last entry says: sector 0 next
    path.write_bytes(bytes(looped))
    assert refusal(path).code == "file_unreadable"


def test_a_panic_inside_the_reader_is_an_unreadable_file(tmp_path):
    # A BOUNDSHEET record cut after the sheet's position: calamine indexes past its end and panics
    # (pyo3's PanicException, a BaseException).
    sheet = ole_files.bof(0x0010) + ole_files.record(0x000A)
    head = ole_files.bof(0x0005) + ole_files.record(0x0085, b"\0\0\0\0") + ole_files.record(0x000A)
    short = head.replace(b"\x85\x00\x04\x00\0\0\0\0", b"\x85\x00\x04\x00" + len(head).to_bytes(4, "little"))
    path = tmp_path / "corta.xls"
    path.write_bytes(compound_file({"Workbook": short + sheet}))
    assert refusal(path).code == "file_unreadable"


def test_every_sheet_an_xls_lists_counts_even_when_they_are_one(tmp_path):
    path = tmp_path / "repetidas.xls"  # 300 sheets named in the workbook, all pointing at one sheet
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], far=(200, 10), listed=300))
    assert refusal(path).code == "file_unreadable"
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], far=(900, 40), listed=3))  # 3 x 901 x 41 cells
    limits = SheetLimits(max_bytes=LIMITS.max_bytes, max_rows=1000)
    assert (refusal(path, limits=limits).code, limits.max_cells) == ("file_sheet_too_big", 64_064)
    path.write_bytes(xls_workbook([["Nombres"], ["Ana"]], far=(900, 40), listed=1))
    assert inspect_sheet(path, "repetidas.xls", limits).row_count == 2


def test_an_ods_repeating_a_row_a_million_times_is_refused_before_it_is_read(tmp_path):
    path = ods(tmp_path / "repetida.ods", ods_row("Nombres") + ods_row("Rosa", repeated=1_000_000))
    assert path.stat().st_size < 2000
    assert refusal(path).code == "file_too_many_rows"
    wide = ('<table:table-row table:number-rows-repeated="900"><table:table-cell '
            'table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p>'
            "</table:table-cell></table:table-row>")
    assert refusal(ods(tmp_path / "ancha.ods", ods_row("Nombres") + wide)).code == "file_sheet_too_big"


def test_an_ods_whose_xml_ends_inside_its_sheet_is_refused_before_the_reader_loops_on_it(tmp_path):
    path = ods(tmp_path / "cortada.ods", ods_row("Nombres") + ods_row("Rosa"))
    with zipfile.ZipFile(path) as source:
        parts = {m.filename: source.read(m) for m in source.infolist()}
    parts["content.xml"] = parts["content.xml"][:parts["content.xml"].index(b"</table:table>")]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert refusal(path).code == "file_unreadable"  # calamine 0.37 would spin forever on it
