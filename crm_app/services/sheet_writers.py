"""Rows written out as a spreadsheet, streamed: CSV chunks for a StreamingResponse, and .xlsx in
XlsxWriter's constant-memory mode (each row goes to disk as it is written; memory stays flat whatever
the number of rows). Any export or report that makes a sheet from rows can use them.

A row is a sequence of cells, each a plain value:

- ``str``: a text cell, always (``write_string``: "0991234567" keeps its zero, "1E5" stays text), made
  safe to open with the formula guard (domain/spreadsheet_cells.guard_formula);
- ``int``, ``float``, ``Decimal``: a number cell (a Decimal with more digits than a spreadsheet keeps,
  15, is written as text instead, so no digit is lost), with its column's number format if it has one
  (money: the currency's symbol and decimals, domain/locale_format.excel_money_format);
- ``date``, ``datetime`` (naive, already in the reader's time zone): a date cell in .xlsx, ISO text in
  CSV;
- ``None``: an empty cell.

Headers are text cells, guarded too (a custom field's label is user text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from crm_app.domain.spreadsheet_cells import cell_text, guard_formula

Cell = str | int | float | Decimal | date | datetime | None
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 (accents right) only when it starts with this mark
CSV_CHUNK = 64 * 1024  # characters gathered before a chunk is handed on
EXCEL_DIGITS = 15  # significant digits a spreadsheet number keeps
XLSX_OPTIONS = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                "strings_to_urls": False}
MAX_SHEET_NAME = 31
SHEET_ROWS = 1_048_575  # rows of a sheet under its header


def _number_text(value: Decimal | float | int) -> str:
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def text_of(value: Cell) -> str:
    """A cell as CSV text: guarded text, plain numbers (never 1E+5), ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, date):  # datetimes too: "2026-12-04 10:31:00", as a spreadsheet writes them
        return cell_text(value.replace(microsecond=0) if isinstance(value, datetime) else value)
    return _number_text(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The CSV file in UTF-8 with a BOM, comma separated, quoted where needed (csv module), as chunks
    of about CSV_CHUNK characters; ``rows`` is read lazily, one chunk's worth at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([guard_formula(h) for h in header])
    for row in rows:
        writer.writerow([text_of(cell) for cell in row])
        if buffer.tell() >= CSV_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _fits_a_number(value: Decimal | float | int) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite() and len(value.normalize().as_tuple().digits) <= EXCEL_DIGITS
    return isinstance(value, float) or abs(value) < 10**EXCEL_DIGITS


class _XlsxSheets:
    """The workbook's sheets: each holds the header and up to SHEET_ROWS rows, a further one the rest
    (an .xlsx sheet ends at 1,048,576 rows; "Clientes", "Clientes (2)"...). Cells by type (see the
    module docstring)."""

    def __init__(self, book: xlsxwriter.Workbook, header: Sequence[str], name: str,
                 text_columns: Iterable[int], widths: Sequence[int],
                 number_formats: Mapping[int, str] = {}) -> None:
        self.book, self.header, self.name = book, header, name[:MAX_SHEET_NAME] or "Sheet1"
        self.as_text, self.widths = set(text_columns), widths
        self.numbers = {col: book.add_format({"num_format": f}) for col, f in number_formats.items()}
        self.bold = book.add_format({"bold": True})
        self.text = book.add_format({"num_format": "@"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.count = 0
        self.sheet = self._new_sheet()

    def _new_sheet(self):
        number = self.count // SHEET_ROWS + 1
        suffix = f" ({number})" if number > 1 else ""
        sheet = self.book.add_worksheet(self.name[:MAX_SHEET_NAME - len(suffix)] + suffix)
        for col, title in enumerate(self.header):  # formats first: constant memory writes rows once
            width = self.widths[col] if col < len(self.widths) else min(max(10, len(title) + 2), 40)
            sheet.set_column(col, col, width, self.text if col in self.as_text else None)
        sheet.freeze_panes(1, 0)
        for col, title in enumerate(self.header):
            sheet.write_string(0, col, guard_formula(title), self.bold)
        return sheet

    def add(self, cells: Sequence[Cell]) -> None:
        if self.count and self.count % SHEET_ROWS == 0:
            self.sheet = self._new_sheet()
        self.count += 1
        row = (self.count - 1) % SHEET_ROWS + 1
        for col, value in enumerate(cells):
            self._write(row, col, value)

    def _write(self, row: int, col: int, value: Cell) -> None:
        sheet = self.sheet
        if value is None or value == "":
            return
        if isinstance(value, str):
            sheet.write_string(row, col, guard_formula(value))
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, value.replace(tzinfo=None), self.moment)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), self.day)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif _fits_a_number(value):
            sheet.write_number(row, col, float(value), self.numbers.get(col))
        else:
            sheet.write_string(row, col, _number_text(value))


def write_xlsx(
    path: Path | str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    text_columns: Iterable[int] = (),
    sheet_name: str = "Sheet1",
    widths: Sequence[int] = (),
    number_formats: Mapping[int, str] | None = None,
) -> int:
    """Write ``header`` and ``rows`` to a new .xlsx at ``path``; returns how many rows (headers not
    counted) were written.

    ``text_columns`` (indexes) are formatted as text ("@") besides holding text cells, so that what a
    person types there later in the spreadsheet stays text too (an ID, a phone). ``widths``: the
    columns' widths in characters, else one from the header's length. ``number_formats``: a column's
    number format (index -> Excel format): its numbers stay numbers, shown as money for instance.
    """
    book = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    try:
        sheets = _XlsxSheets(book, header, sheet_name, text_columns, widths, number_formats or {})
        for row in rows:
            sheets.add(row)
    finally:
        book.close()
    return sheets.count
