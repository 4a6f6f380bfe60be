"""An uploaded spreadsheet read as rows of text: .xlsx, .xls and .ods with calamine (a Rust reader, not a
hand-written parser), .csv with Python's csv module after finding its encoding (UTF-8 with or without
BOM, else Windows-1252) and its separator (``;``, ``,`` or tab).

Whatever a file holds, reading it either gives rows or raises one FieldError that says what is wrong,
before anything is written: not a spreadsheet, too large, too many rows, broken, password-protected,
a zip bomb, empty, or without a header row. Rows stream: a large file is never held as Python lists.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from crm_app.domain.errors import FieldError
from crm_app.domain.spreadsheet_cells import cell_text

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_ZIPPED = (".xlsx", ".xlsm", ".ods")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an encrypted .xlsx
_ZIP_MAGIC = b"PK\x03\x04"
# A zip that unpacks to more than this, or a member more than this many times its packed size, is refused
# before the reader touches it.
MAX_UNPACKED = 1024 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FROM = 8 * 1024 * 1024  # small members compress well legitimately
CSV_SEPARATORS = (";", ",", "\t")
# A header cell that is a value (an e-mail, a number, a date): a first row of those is a customer.
_LOOKS_LIKE_DATA = re.compile(
    r"^([^@\s]+@[^@\s]+\.\w+|[+-]?[\d.,\s]+|\d{4}-\d{2}-\d{2}.*|\d{1,2}/\d{1,2}/\d{2,4})$")


@dataclass(frozen=True)
class SheetLimits:
    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class SheetInfo:
    headers: tuple[str, ...]
    row_count: int  # data rows after the header, blank rows not counted


def _suffix(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise FieldError("file_type_unsupported")
    return suffix


def _check_container(path: Path, suffix: str, limits: SheetLimits) -> None:
    """The file is what its name says, within the size limit, and no zip bomb."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FieldError("file_too_large", max_mb=limits.max_bytes // (1024 * 1024))
    if size == 0:
        raise FieldError("file_empty")
    with path.open("rb") as f:
        head = f.read(8)
    if suffix in _ZIPPED:
        if head == _OLE_MAGIC:  # Office saves a password-protected .xlsx as an OLE container
            raise FieldError("file_encrypted")
        if not head.startswith(_ZIP_MAGIC):
            raise FieldError("file_type_unsupported")
        _check_zip(path, limits)
    elif suffix == ".xls" and head != _OLE_MAGIC:
        raise FieldError("file_type_unsupported")


def _check_zip(path: Path, limits: SheetLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FieldError("file_unreadable") from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > min(MAX_UNPACKED, max(limits.max_bytes, 1) * 40) or any(
        m.file_size > _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
    ):
        raise FieldError("file_zip_bomb")


# --------------------------------------------------------------------------- CSV


def csv_encoding(path: Path) -> str:
    """utf-8-sig (a BOM), utf-8 when the whole file decodes as such, else cp1252 (Excel's in Spanish)."""
    with path.open("rb") as f:
        if f.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
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
    """The separator that splits the first lines into the same number of columns, most of them."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(CSV_SEPARATORS)).delimiter
    except csv.Error:
        pass

    def score(separator: str) -> tuple[int, int]:
        widths = [len(row) for row in csv.reader(lines, delimiter=separator)]
        return (max(widths.count(w) for w in set(widths)) if min(widths) > 1 else 0, widths[0])

    return max(CSV_SEPARATORS, key=score)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    encoding = csv_encoding(path)
    # Five bytes have no character in Windows-1252: shown as "?" rather than refusing the whole file.
    with path.open("r", encoding=encoding, errors="replace", newline="") as f:
        separator = csv_separator(f.read(64 * 1024))
        f.seek(0)
        try:
            yield from csv.reader(f, delimiter=separator)
        except csv.Error:
            raise FieldError("file_unreadable") from None


# --------------------------------------------------------------------------- workbooks


def _workbook_rows(path: Path) -> Iterator[list[object]]:
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            visible = [i for i, meta in enumerate(book.sheets_metadata)
                       if meta.visible == SheetVisibleEnum.Visible]
            if not visible:
                raise FieldError("file_empty")
            sheet = book.get_sheet_by_index(visible[0])
            start = sheet.start
            if start is not None:  # rows above the data are blank: keep Excel's numbering
                yield from ([] for _ in range(start[0]))
            yield from sheet.iter_rows()
    except PasswordError:
        raise FieldError("file_encrypted") from None
    except (CalamineError, ValueError, OSError):
        raise FieldError("file_unreadable") from None


def _raw_rows(path: Path, suffix: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(row number as the spreadsheet shows it, cells as text) of every row, blank ones included."""
    rows = _csv_rows(path) if suffix == ".csv" else _workbook_rows(path)
    for number, row in enumerate(rows, start=1):
        yield number, tuple(cell if isinstance(cell, str) and suffix == ".csv" else cell_text(cell)
                            for cell in row)


def _blank(cells: tuple[str, ...]) -> bool:
    return not any(c.strip() for c in cells)


def _header(rows: Iterator[tuple[int, tuple[str, ...]]]) -> tuple[str, ...]:
    """The first non-blank row, checked to be a header: it names columns, it is not a customer."""
    first = next(((n, cells) for n, cells in rows if not _blank(cells)), None)
    if first is None:
        raise FieldError("file_empty")
    headers = tuple(c.strip() for c in first[1])
    while headers and not headers[-1]:
        headers = headers[:-1]
    named = [h for h in headers if h]
    if sum(bool(_LOOKS_LIKE_DATA.match(h)) for h in named) * 2 >= len(named):
        raise FieldError("file_no_header")
    return headers


def iter_rows(path: Path, file_name: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The data rows after the header: (row number as the spreadsheet shows it, cells as text), blank
    rows skipped. Call :func:`inspect_sheet` first: this one trusts the file."""
    rows = _raw_rows(path, _suffix(file_name))
    _header(rows)
    for number, cells in rows:
        if not _blank(cells):
            yield number, cells


def inspect_sheet(path: Path, file_name: str, limits: SheetLimits) -> SheetInfo:
    """Check an uploaded file before anything is done with it: its headers and how many rows it has.
    Raises FieldError (file_type_unsupported, file_too_large, file_encrypted, file_zip_bomb,
    file_unreadable, file_empty, file_no_header, file_too_many_rows)."""
    suffix = _suffix(file_name)
    _check_container(path, suffix, limits)
    rows = _raw_rows(path, suffix)
    headers = _header(rows)
    count = 0
    for _, cells in rows:
        if not _blank(cells):
            count += 1
            if count > limits.max_rows:
                raise FieldError("file_too_many_rows", max=limits.max_rows)
    if count == 0:
        raise FieldError("file_empty")
    return SheetInfo(headers=headers, row_count=count)
