"""How far the cells of each sheet of an .xls reach, read from its records without loading them, and what
in its structure would make the reader allocate without bound.

Calamine opens an .xls by laying every sheet out as a full rectangle: a 5 KB file with a number in A1
and one in IV60001 takes 740 MB. Worse, it trusts counts in the file: a DIMENSIONS record whose first
row is after its last makes it reserve 343 GB, and the allocation failure aborts the whole process (no
exception to catch); a FAT or DIFAT chain that loops makes it grow a list forever. So the compound file
is followed here the way calamine follows it (header, DIFAT chain, FAT, directory, the workbook stream
from its sectors or the mini stream), with every chain checked for loops and every count for its
bounds, and each sheet's records walked from where its BOUNDSHEET record says it starts, as calamine
does. What cannot be followed is ``file_unreadable``.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crm_app.domain.errors import FieldError

_END_OF_CHAIN, _RESERVED, _DIFAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFA, 0xFFFFFFFC
_HEADER_DIFAT = 109
_MAX_DIFAT_ENTRIES = 1 << 24  # calamine reserves one u32 for each, from bytes 62-65 of the header
_MAX_SHEETS = 256
# BIFF records that put a value in a cell (row and column first): NUMBER, LABEL, LABELSST, BOOLERR, RK,
# FORMULA, RSTRING, and their BIFF2-4 forms. BLANK and MULBLANK are not read as cells.
_CELL_RECORDS = frozenset({0x0203, 0x0204, 0x00FD, 0x0205, 0x027E, 0x0006, 0x00D6, 0x0206, 0x0406,
                           0x0002, 0x0003, 0x0004, 0x0005})
_MULRK, _DIMENSIONS, _BOUNDSHEET, _SST, _BOF, _EOF = 0x00BD, 0x0200, 0x0085, 0x00FC, 0x0809, 0x000A


def _unreadable() -> FieldError:
    return FieldError("file_unreadable")


class _Compound:
    """The streams of an OLE compound file, followed as calamine's cfb module follows them."""

    def __init__(self, data: mmap.mmap) -> None:
        self.data = data
        if len(data) < 512:
            raise _unreadable()
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise _unreadable()
        self.size = 1 << shift
        self.max_id = (len(data) - self.size) // self.size  # calamine: sectors after the header
        fat_count, self.first_dir = struct.unpack_from("<II", data, 44)
        self.first_mini_fat, self.mini_fat_count, first_difat = struct.unpack_from("<III", data, 60)
        difat_reserve = struct.unpack_from("<I", data, 62)[0]
        if fat_count > self.max_id + 1 or difat_reserve > _MAX_DIFAT_ENTRIES \
                or self.mini_fat_count > self.max_id + 1:
            raise _unreadable()  # counts calamine reserves memory for
        difat = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 76))
        seen: set[int] = set()
        at = first_difat
        while at < _RESERVED:
            if at in seen:
                raise _unreadable()  # calamine would follow this loop forever
            seen.add(at)
            difat += struct.unpack(f"<{self.size // 4}I", self._sector(at))
            at = difat.pop()
        self.fat = [n for s in difat if s < _DIFAT_SECTOR
                    for n in struct.unpack(f"<{self.size // 4}I", self._sector(s))]

    def _sector(self, number: int) -> bytes:
        if number > self.max_id:
            raise _unreadable()
        start = (number + 1) * self.size
        return bytes(self.data[start:start + self.size]).ljust(self.size, b"\0")

    def _chain(self, start: int, table: list[int]) -> Iterator[int]:
        seen: set[int] = set()
        while start != _END_OF_CHAIN:
            if start in seen or start >= len(table):
                raise _unreadable()  # a loop (calamine never ends), or past the table (it panics)
            seen.add(start)
            yield start
            start = table[start]

    def _read(self, start: int, size: int | None = None) -> bytes:
        read = b"".join(self._sector(n) for n in self._chain(start, self.fat))
        return read if size is None else read[:size]

    def stream(self, names: tuple[str, ...]) -> bytes:
        directory = self._read(self.first_dir)
        entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
        if not entries:
            raise _unreadable()
        for entry in entries:
            name = entry[:64].decode("utf-16-le", "ignore").split("\0", 1)[0]
            if name not in names:
                continue
            start = struct.unpack_from("<I", entry, 116)[0]
            size = struct.unpack_from("<Q" if self.size == 4096 else "<I", entry, 120)[0]
            if size >= 4096:
                return self._read(start, size)
            root_start, root_size = struct.unpack_from("<II", entries[0], 116)
            mini_stream = self._read(root_start, root_size)
            mini_fat = self._read(self.first_mini_fat, self.mini_fat_count * self.size)
            table = list(struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat[:len(mini_fat) // 4 * 4]))
            return b"".join(mini_stream[n * 64:n * 64 + 64] for n in self._chain(start, table))[:size]
        raise _unreadable()


@dataclass(frozen=True)
class SheetSpan:
    """One sheet as the reader lays it out: the last row and column its cells (or its DIMENSIONS
    record) reach, and the cells it takes room for (the rectangle of its cells, plus what DIMENSIONS
    makes it reserve)."""

    rows: int
    columns: int
    area: int


def _records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, where its data starts, its length) of the records from ``at`` to the end."""
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > len(stream):
            return
        yield kind, at + 4, length
        at += 4 + length


def _dimensions(stream: bytes, at: int, length: int) -> tuple[int, int, int]:
    """(last row, last column, cells calamine reserves) of a DIMENSIONS record (its arithmetic)."""
    if length == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", stream, at)
    elif length == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", stream, at)
    else:
        return 0, 0, 0  # calamine refuses the file
    if last_row < 1 or last_col < 1:
        return 0, 0, 1
    if first_row > last_row - 1 or first_col > last_col - 1:
        raise _unreadable()  # reversed: calamine's count wraps around and it aborts
    return last_row, last_col, (last_row - first_row) * (last_col - first_col)


def _sheet(stream: bytes, at: int) -> SheetSpan:
    """One sheet's records from its BOF to its EOF (cells of nested substreams counted too)."""
    rows = columns = declared_rows = declared_columns = reserved = 0
    depth = -1
    for kind, body, length in _records(stream, at):
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            if depth <= 0:
                break
            depth -= 1
        elif kind == _DIMENSIONS:
            last_row, last_col, cells = _dimensions(stream, body, length)
            declared_rows, declared_columns = max(declared_rows, last_row), max(declared_columns, last_col)
            reserved += cells
        elif (kind in _CELL_RECORDS and length >= 4) or (kind == _MULRK and length >= 6):
            row, column = struct.unpack_from("<HH", stream, body)
            if kind == _MULRK:
                column = struct.unpack_from("<H", stream, body + length - 2)[0]
            rows, columns = max(rows, row + 1), max(columns, column + 1)
    return SheetSpan(rows=max(rows, declared_rows), columns=max(columns, declared_columns),
                     area=rows * columns + reserved)


def xls_spans(path: Path) -> list[SheetSpan]:
    """The span of every sheet the workbook lists (calamine unfolds them all when it opens the file)."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        try:
            stream = _Compound(data).stream(("Workbook", "Book"))
        except (struct.error, IndexError, ValueError, OverflowError):
            raise _unreadable() from None
    starts = []
    for kind, body, length in _records(stream, 0):  # the workbook globals, up to their EOF
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and length >= 4:
            starts.append(struct.unpack_from("<I", stream, body)[0])
        elif kind == _SST and length >= 8:
            strings = struct.unpack_from("<i", stream, body + 4)[0]
            if not 0 <= strings <= len(stream):
                raise _unreadable()  # a count of strings calamine may reserve room for
    if len(starts) > _MAX_SHEETS or any(start >= len(stream) for start in starts):
        raise _unreadable()  # past the stream, calamine panics
    found: dict[int, SheetSpan] = {}  # two sheets may start at the same place: each is unfolded
    for start in starts:
        if start not in found:
            found[start] = _sheet(stream, start)
    return [found[start] for start in starts]
