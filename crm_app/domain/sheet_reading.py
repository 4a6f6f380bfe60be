"""An uploaded spreadsheet read as rows of text: .xlsx, .xlsm, .xls and .ods with calamine (a Rust reader,
not a hand-written parser), .csv with Python's csv module after finding its encoding (UTF-8 with or
without BOM, UTF-16 with its BOM, else Windows-1252) and its separator (``;``, ``,`` or tab).

Whatever a file holds, reading it either gives rows or raises one FieldError that says what is wrong,
before anything is written: not a spreadsheet (file_type_unsupported), too large (file_too_large), too
many rows (file_too_many_rows), a sheet spread over too many cells (file_sheet_too_big), broken
(file_unreadable), password-protected (file_encrypted), a zip bomb (file_zip_bomb), empty (file_empty),
or without a header row (file_no_header). The checks before reading are in :mod:`sheet_guard`.

Rows stream: a CSV is never held whole, a workbook's sheet is handed out row by row. The sheet read is
the first visible one that holds something. A title above the header ("Clientes 2024" alone in A1) is
passed over.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from crm_app.domain.errors import FieldError
from crm_app.domain.sheet_guard import SheetLimits, check_file
from crm_app.domain.spreadsheet_cells import cell_text

__all__ = ["SHEET_SUFFIXES", "SheetInfo", "SheetLimits", "csv_encoding", "csv_separator", "inspect_sheet",
           "iter_rows"]

# .xlsb is left out: calamine reads it, but its binary cells cannot be measured before they are loaded.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
CSV_SEPARATORS = (";", ",", "\t")
# A header cell that is a value (an e-mail, a number, a date): a first row of those is a customer.
_LOOKS_LIKE_DATA = re.compile(
    r"^([^@\s]+@[^@\s]+\.\w+|[+-]?[\d.,\s]+|\d{4}-\d{2}-\d{2}.*|\d{1,2}/\d{1,2}/\d{2,4})$")
_TITLE_LOOKAHEAD = 5  # rows with one filled cell above the header, at most, passed over as titles

Row = tuple[int, tuple[str, ...]]  # (row number as the spreadsheet shows it, cells as text)
RawRow = tuple[int, Sequence[object]]  # the same, cells as the reader gave them


@dataclass(frozen=True)
class SheetInfo:
    headers: tuple[str, ...]
    row_count: int  # data rows after the header, blank rows not counted


def _suffix(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise FieldError("file_type_unsupported")
    return suffix


# --------------------------------------------------------------------------- CSV


def csv_encoding(path: Path) -> str:
    """utf-8-sig (a BOM), utf-16 (its BOM), utf-8 when the whole file decodes as such, else cp1252
    (what Excel writes in Spanish)."""
    with path.open("rb") as f:
        head = f.read(3)
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def csv_separator(sample: str) -> str:
    """The separator that splits the first lines into the same number of columns (more than one), for
    the most lines; then the one that gives more columns; then ``;`` (Excel's in Spanish), ``,``, tab.
    Cells are split as the csv module reads them, so a separator inside quotes does not count (which
    is where csv.Sniffer guesses wrong: a single line, a decimal comma in every row...)."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]

    def score(separator: str) -> tuple[int, int]:
        widths = [len(row) for row in csv.reader(lines, delimiter=separator)]
        if not widths:
            return (0, 0)
        modal = max(set(widths), key=lambda w: (widths.count(w), w))
        return (widths.count(modal), modal) if modal > 1 else (0, 0)

    return max(CSV_SEPARATORS, key=score)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    encoding = csv_encoding(path)
    # Five bytes have no character in Windows-1252: shown as "?" rather than refusing the whole file.
    with path.open("r", encoding=encoding, errors="replace", newline="") as f:
        sample = f.read(64 * 1024)
        first = sample.split("\n", 1)[0].strip()
        hinted = re.fullmatch(r'"?sep=(.)"?', first)  # Excel's "sep=;" line names the separator
        separator = hinted[1] if hinted else csv_separator(sample)
        f.seek(0)
        if hinted:
            f.readline()
        try:
            yield from csv.reader(f, delimiter=separator)
        except csv.Error:
            raise FieldError("file_unreadable") from None


# --------------------------------------------------------------------------- workbooks


def _workbook_rows(path: Path) -> Iterator[list[object]]:
    """The rows of the first visible worksheet that holds something, numbered as the spreadsheet does
    (blank rows above the data given as empty rows)."""
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            for index, meta in enumerate(book.sheets_metadata):
                if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                sheet = book.get_sheet_by_index(index)
                start = sheet.start
                if start is None:
                    continue
                yield from ([] for _ in range(start[0]))
                yield from sheet.iter_rows()
                return
    except PasswordError:
        raise FieldError("file_encrypted") from None
    except (CalamineError, ValueError, OSError):
        raise FieldError("file_unreadable") from None
    except BaseException as exc:
        # A panic inside calamine (a slice past the end of a damaged record) reaches Python as pyo3's
        # PanicException, which derives from BaseException: it is a damaged file like any other.
        if type(exc).__name__ != "PanicException":
            raise
        raise FieldError("file_unreadable") from None


def _holds_value(values: Sequence[object]) -> bool:
    return any(value.strip() if isinstance(value, str) else cell_text(value) for value in values)


def _value_rows(path: Path, suffix: str) -> Iterator[RawRow]:
    """(row number as the spreadsheet shows it, cells as read) of every row that holds something."""
    rows = _csv_rows(path) if suffix == ".csv" else _workbook_rows(path)
    return ((number, values) for number, values in enumerate(rows, start=1) if _holds_value(values))


def _as_text(rows: Iterable[RawRow]) -> Iterator[Row]:
    for number, values in rows:
        yield number, tuple(cell_text(value) for value in values)


# --------------------------------------------------------------------------- the header


def _filled(cells: tuple[str, ...]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _names(cells: tuple[str, ...]) -> tuple[str, ...] | None:
    """A row as headers (spaces tidied, empty ones at the end dropped), None when it looks like data:
    most of its cells are e-mails, numbers or dates."""
    names = [" ".join(cell.split()) for cell in cells]
    while names and not names[-1]:
        names.pop()
    named = [name for name in names if name]
    if sum(bool(_LOOKS_LIKE_DATA.match(name)) for name in named) * 2 >= len(named):
        return None
    return tuple(names)


def _header(rows: Iterator[RawRow]) -> tuple[tuple[str, ...], Iterator[RawRow]]:
    """The header row and the rows after it (their cells as read). The header is the first row that
    holds something, unless that row and up to a few more hold one cell each (a title) above a wider
    row of names: that one."""
    ahead = list(_as_text(itertools.islice(rows, _TITLE_LOOKAHEAD + 1)))
    if not ahead:
        raise FieldError("file_empty")
    at = 0
    if _filled(ahead[0][1]) == 1:
        wider = next((i for i, (_, cells) in enumerate(ahead) if _filled(cells) > 1), None)
        if wider is not None and _names(ahead[wider][1]) is not None:
            at = wider
    names = _names(ahead[at][1])
    if names is None:
        raise FieldError("file_no_header")
    return names, itertools.chain(ahead[at + 1:], rows)


def iter_rows(path: Path, file_name: str) -> Iterator[Row]:
    """The data rows after the header: (row number as the spreadsheet shows it, cells as text), blank
    rows skipped. Call :func:`inspect_sheet` first: this one trusts the file."""
    _, rows = _header(_value_rows(path, _suffix(file_name)))
    yield from _as_text(rows)


def inspect_sheet(path: Path, file_name: str, limits: SheetLimits) -> SheetInfo:
    """Check an uploaded file before anything is done with it: its headers and how many rows it has.
    Raises FieldError (see the module's documentation for the codes)."""
    suffix = _suffix(file_name)
    check_file(path, suffix, limits)
    headers, rows = _header(_value_rows(path, suffix))
    count = _count(rows, limits.max_rows)
    if count == 0:
        raise FieldError("file_empty")
    return SheetInfo(headers=headers, row_count=count)


def _count(rows: Iterable[RawRow], most: int) -> int:
    count = 0
    for _ in rows:
        count += 1
        if count > most:
            raise FieldError("file_too_many_rows", max=most)
    return count
