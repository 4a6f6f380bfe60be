"""What an uploaded spreadsheet must be before a reader touches it: what its name says, within the size
limit, no zip bomb, and no sheet that would unfold into more cells than a customer sheet can hold.

Calamine builds the whole sheet in memory as a rectangle: a 5 KB .xlsx with one cell in A1 and one in
T1000000 takes 620 MB, and a 1.4 KB .ods row "repeated 1,000,000 times" 2.4 GB, before a single row
could be counted. So the sheets' XML is streamed here first (each part unpacked to its declared size
and checked against its CRC, so a part that lies about its size is refused too) and the rectangle each
sheet spans is measured; an .xls's records are measured by :mod:`xls_span`. Raises FieldError with one
code for each kind of bad file.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from crm_app.domain.errors import FieldError
from crm_app.domain.xls_span import xls_spans

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
OOXML_SUFFIXES = (".xlsx", ".xlsm")
# A zip that unpacks to more than this, or a part more than this many times its packed size, is refused
# before the reader touches it; so is one of more parts than any spreadsheet has.
MAX_UNPACKED = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_FROM = 8 * 1024 * 1024  # small parts compress well legitimately
MAX_MEMBERS = 10_000
# A sheet spans at most (rows allowed + header) x this many columns (a template is about 40 wide).
MAX_COLUMNS = 64
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_BINARY_STARTS = (ZIP_MAGIC, OLE_MAGIC, b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")
_CHUNK = 1024 * 1024
# The count of shared strings an .xlsx declares (each "<si>...</si>" takes 9 bytes or more).
_SHARED_STRINGS = re.compile(rb"""<(?:\w+:)?sst\s[^>]*?\buniqueCount\s*=\s*["'](\d+)""")


@dataclass(frozen=True)
class SheetLimits:
    max_bytes: int
    max_rows: int

    @property
    def max_cells(self) -> int:
        return max(self.max_rows + 1, 1000) * MAX_COLUMNS


def check_file(path: Path, suffix: str, limits: SheetLimits) -> None:
    """The file is what its name says, within the size limit, and safe to hand to the reader."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FieldError("file_too_large", max_mb=limits.max_bytes // (1024 * 1024))
    if size == 0:
        raise FieldError("file_empty")
    with path.open("rb") as f:
        head = f.read(8)
    if suffix == ".csv":
        _check_text(path, head)
    elif suffix == ".xls":
        if head != OLE_MAGIC:
            raise FieldError("file_type_unsupported")
        area = 0  # calamine unfolds every sheet of an .xls when it opens it
        for span in xls_spans(path):
            area += span.area
            _refuse_span(span.rows, span.columns, area, limits)
    elif head == OLE_MAGIC:  # Office saves a password-protected .xlsx as an OLE container
        raise FieldError("file_encrypted" if _holds(path, _ENCRYPTED_STREAM) else "file_type_unsupported")
    elif not head.startswith(ZIP_MAGIC):
        raise FieldError("file_type_unsupported")
    else:
        _check_zip(path, suffix, limits)


def _holds(path: Path, needle: bytes) -> bool:
    """``needle`` is somewhere in the file (read in chunks that overlap by its length)."""
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False


def _check_text(path: Path, head: bytes) -> None:
    """A .csv is text: no other format's signature, no NUL byte (UTF-16 aside)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    if head.startswith(_BINARY_STARTS):
        raise FieldError("file_type_unsupported")
    with path.open("rb") as f:
        if b"\x00" in f.read(64 * 1024):
            raise FieldError("file_type_unsupported")


# --------------------------------------------------------------------------- zip containers


def _declared_members(path: Path) -> int | None:
    """How many parts the zip's end record declares (read before the directory is), None if not found."""
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 65_557))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10:at + 12])[0]


def _check_zip(path: Path, suffix: str, limits: SheetLimits) -> None:
    declared = _declared_members(path)
    if declared is not None and declared > MAX_MEMBERS:  # 0xFFFF: a zip64 count, more than any sheet
        raise FieldError("file_zip_bomb")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if len(members) > MAX_MEMBERS:
                raise FieldError("file_zip_bomb")
            unpacked = sum(m.file_size for m in members)
            if unpacked > min(MAX_UNPACKED, max(limits.max_bytes, 1) * 40) or any(
                    m.file_size > max(RATIO_FROM, MAX_RATIO * m.compress_size) for m in members):
                raise FieldError("file_zip_bomb")
            if suffix in OOXML_SUFFIXES and "xl/workbook.xml" not in names:
                raise FieldError("file_type_unsupported")  # a Word or PowerPoint file, an .xlsb renamed
            if suffix == ".ods" and "content.xml" not in names:
                raise FieldError("file_type_unsupported")
            _check_cells(archive, members, suffix, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            ValueError, LookupError, EOFError, expat.ExpatError):  # RuntimeError: a zip-password part
        raise FieldError("file_unreadable") from None


def _member_text(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part unpacked in chunks that end before a tag (a tag never straddles two of them). The zip
    module stops at the declared size and checks the CRC: a part that lies is BadZipFile."""
    carry = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<")
            if cut <= 0:
                carry = data
                continue
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _check_cells(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], suffix: str,
                 limits: SheetLimits) -> None:
    """Every part unpacked once (what it says it is); every sheet's span measured as it streams, refused
    as soon as it passes the limits."""
    ods = OdsSpan()  # calamine unfolds every sheet of an .ods when it opens it: their cells add up
    for member in members:
        if not member.filename.lower().endswith(".xml"):
            with archive.open(member) as stream:
                while stream.read(_CHUNK):
                    pass
            continue
        span = ods if suffix == ".ods" else XlsxSpan()  # an .xlsx sheet is unfolded when it is read
        # Calamine loops forever on an .ods whose XML ends inside a sheet: its parts must be well formed.
        parser = expat.ParserCreate() if suffix == ".ods" else None
        for chunk in _member_text(archive, member):
            span.add(chunk)
            _refuse_span(span.rows, span.columns, span.area, limits)
            if parser is not None:
                parser.Parse(chunk, False)
            strings = _SHARED_STRINGS.search(chunk)
            if strings and int(strings[1]) > member.file_size // 8 + 64:
                raise FieldError("file_unreadable")  # calamine reserves room for them: 1e11 aborts it
        if parser is not None:
            parser.Parse(b"", True)
    ods.end_sheet()
    _refuse_span(ods.rows, ods.columns, ods.area, limits)


def _refuse_span(rows: int, columns: int, area: int, limits: SheetLimits) -> None:
    if rows > limits.max_rows + 1 + limits.max_rows // 10:  # a few blank rows among the customers
        raise FieldError("file_too_many_rows", max=limits.max_rows)
    if area > limits.max_cells:
        raise FieldError("file_sheet_too_big", rows=rows, columns=columns)


# --------------------------------------------------------------------------- the span of a sheet


# Cells past column Z with a value (not "<c .../>": calamine skips those); rows' numbers.
_FAR_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d+"[^>/]*(/?)>')
_XLSX_ROW = re.compile(rb'<row r="(\d{1,9})"')
_XLSX_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>")
_REFERENCE = re.compile(rb'\br="([A-Z]{0,3})(\d{0,9})"')
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")  # "<x:c ...>": the reader takes those for cells too
_NEAR_COLUMNS = 26  # A to Z


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class XlsxSpan:
    """The last row and column a worksheet's cells with a value reach, as calamine lays them out.

    Writers name each cell first thing (``<c r="T12"``): a chunk of such cells, all with a value, is
    measured at the speed of ``bytes.count``, every column up to Z taken as reached. Any other chunk
    (cells named otherwise or not at all, which is allowed: each is one further on; empty cells kept
    for their format, which calamine skips) is walked tag by tag."""

    def __init__(self) -> None:
        self.rows = self.columns = 0
        self._row = self._column = 0

    @property
    def area(self) -> int:
        return self.rows * self.columns

    def add(self, chunk: bytes) -> None:
        cells = chunk.count(b'<c r="')
        if (cells == chunk.count(b"<c") and chunk.count(b'<row r="') == chunk.count(b"<row")
                and b'"/>' not in chunk and not _PREFIXED.search(chunk)):
            self._named(chunk, cells)
        else:  # and "<cols>", "<cfRule>"... outside the rows, empty cells kept for their format
            self._walk(chunk)

    def _named(self, chunk: bytes, cells: int) -> None:
        if cells:
            far = {col for col, closed in _FAR_CELL.findall(chunk) if not closed}
            self.columns = max(self.columns, _NEAR_COLUMNS, *(column_number(col) for col in far))
        rows = _XLSX_ROW.findall(chunk)
        if rows:
            self._row = int(rows[-1])
            self.rows = max(self.rows, *map(int, rows))
        self._column = 0

    def _walk(self, chunk: bytes) -> None:
        for name, attributes in _XLSX_TAG.findall(chunk):
            found = _REFERENCE.search(attributes)
            if name == b"row":
                self._row = int(found[2]) if found and found[2] else self._row + 1
                self._column = 0
                continue
            self._column = column_number(found[1]) if found and found[1] else self._column + 1
            if not attributes.endswith(b"/"):
                self.rows = max(self.rows, self._row)
                self.columns = max(self.columns, self._column)


_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)([\s/][^>]*)?>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


class OdsSpan:
    """The rectangles an .ods's sheets unfold into: rows and cells "repeated" N times count N times,
    empty ones at the end of a row or a sheet (LibreOffice writes a million of them) not at all. The
    reader unfolds every sheet at once: their rows and cells add up."""

    def __init__(self) -> None:
        self._done_area = self._done_rows = self._done_columns = 0  # the sheets already closed
        self._rows = self._columns = 0  # the current sheet's last row and column holding a value
        self._row = self._at = self._width = self._repeat = 0

    @property
    def rows(self) -> int:
        return self._done_rows + self._rows

    @property
    def columns(self) -> int:
        return max(self._done_columns, self._columns)

    @property
    def area(self) -> int:
        return self._done_area + self._rows * self._columns

    def add(self, chunk: bytes) -> None:
        for closing, name, attributes in _ODS_TAG.findall(chunk):
            self._tag(bool(closing), name, attributes or b"")

    def _tag(self, closing: bool, name: bytes, attributes: bytes) -> None:
        if name == b"table":
            self.end_sheet()
        elif name == b"table-row" and closing:
            self._end_row()
        elif name == b"table-row":
            self._at = self._width = 0
            self._repeat = _repeat(_ROWS_REPEATED, attributes)
            if attributes.endswith(b"/"):
                self._end_row()
        elif not closing:  # a cell: it moves on by its repeat, and counts if it holds something
            self._at += _repeat(_COLUMNS_REPEATED, attributes)
            if b"value-type" in attributes or not attributes.endswith(b"/"):
                self._width = self._at

    def _end_row(self) -> None:
        self._row += self._repeat
        if self._width:
            self._rows = self._row
            self._columns = max(self._columns, self._width)
        self._repeat = self._width = 0

    def end_sheet(self) -> None:
        self._done_area = self.area
        self._done_rows, self._done_columns = self.rows, self.columns
        self._rows = self._columns = self._row = 0


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return min(int(found[1]), 1 << 24) if found else 1
