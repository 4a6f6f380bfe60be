"""Tiny OLE compound files written by hand for the sheet-reading tests (no .xls writer is installed):
a BIFF8 workbook of text and number cells, and the container Office wraps a password-protected
.xlsx in. Only what the readers need: a 512-byte header, one FAT sector, one directory sector, the
streams in regular sectors (each padded to 4096 bytes) or in the mini stream."""

from __future__ import annotations

import struct

SECTOR = 512
END_OF_CHAIN, FAT_SECTOR, FREE, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


def _entry(name: str, kind: int, start: int, size: int, *, child: int = NO_STREAM,
           right: int = NO_STREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NO_STREAM, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IIi", start, size, 0))


def _chain(first: int, count: int) -> list[int]:
    return [*range(first + 1, first + count), END_OF_CHAIN]


def compound_file(streams: dict[str, bytes], *, mini: bool = False) -> bytes:
    """An OLE compound file (version 3) holding ``streams`` under its root (at most three): each in
    regular sectors, padded to 4096 bytes; or with ``mini``, as they are, in the mini stream (as Office
    keeps any stream under 4096 bytes)."""
    assert 0 < len(streams) <= 3
    names = list(streams)
    entries, bodies = [], []
    # Sector 0: the FAT, 1: the directory, 2: the mini FAT (with ``mini``), then the data.
    fat, next_sector, mini_fat, next_mini = [FAT_SECTOR, END_OF_CHAIN], 2, [], 0
    if mini:
        fat.append(END_OF_CHAIN)
        next_sector = 3
    for i, name in enumerate(names):
        sibling = i + 2 if i + 1 < len(names) else NO_STREAM  # the next stream's directory entry
        if mini:
            assert len(streams[name]) < 4096
            body = streams[name].ljust(-(-len(streams[name]) // 64) * 64, b"\0")
            mini_fat += _chain(next_mini, len(body) // 64)
            entries.append(_entry(name, 2, next_mini, len(streams[name]), right=sibling))
            next_mini += len(body) // 64
        else:
            body = streams[name].ljust(max(4096, len(streams[name])), b"\0")
            body = body.ljust(-(-len(body) // SECTOR) * SECTOR, b"\0")
            fat += _chain(next_sector, len(body) // SECTOR)
            entries.append(_entry(name, 2, next_sector, len(body), right=sibling))
            next_sector += len(body) // SECTOR
        bodies.append(body)
    data = b"".join(bodies)
    root = _entry("Root Entry", 5, END_OF_CHAIN, 0, child=1)
    if mini:
        root = _entry("Root Entry", 5, next_sector, len(data), child=1)
        data = data.ljust(-(-len(data) // SECTOR) * SECTOR, b"\0")
        fat += _chain(next_sector, len(data) // SECTOR)
        data = struct.pack(f"<{SECTOR // 4}I", *mini_fat, *[FREE] * (SECTOR // 4 - len(mini_fat))) + data
    assert len(fat) <= SECTOR // 4 and len(mini_fat) <= SECTOR // 4
    directory = b"".join([root, *entries]).ljust(SECTOR, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2 if mini else END_OF_CHAIN, int(mini),
                            END_OF_CHAIN, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *fat, *[FREE] * (SECTOR // 4 - len(fat)))
    return header + fat_sector + directory + data


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(kind: int) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))


def xls_workbook(rows: list[list[str | float]], *, password: bool = False, mini: bool = False,
                 far: tuple[int, int] | None = None, dimensions: tuple[int, int, int, int] | None = None,
                 listed: int = 1) -> bytes:
    """A BIFF8 .xls with one sheet of ``rows`` (text as LABEL records, numbers as NUMBER records); with
    ``password`` a FILEPASS record says the workbook is encrypted, as Excel writes it; ``far`` adds an RK
    number at that (row, column); ``dimensions`` replaces the DIMENSIONS record's (first row, last row + 1,
    first column, last column + 1); ``listed`` BOUNDSHEET records all name that sheet; ``mini`` keeps the
    workbook stream in the mini stream."""
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                text = value.encode("utf-16-le")
                cells += record(0x0204, struct.pack("<HHHHB", r, c, 15, len(value), 1) + text)
            else:
                cells += record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    if far is not None:
        cells += record(0x027E, struct.pack("<HHHI", *far, 15, 2))
    width = max((len(row) for row in rows), default=0)
    first_row, last_row, first_col, last_col = dimensions or (0, len(rows), 0, width)
    bounds = struct.pack("<IIHHH", first_row, last_row, first_col, last_col, 0)
    sheet = bof(0x0010) + record(0x0200, bounds) + cells + record(0x000A)
    name = "Hoja1".encode("latin-1")
    filepass = record(0x002F, struct.pack("<H", 1) + b"\0" * 52) if password else b""

    def globals_with(offset: int) -> bytes:
        names = [name + str(i).encode() if i else name for i in range(listed)]
        return (bof(0x0005) + filepass + record(0x0042, struct.pack("<H", 1200))
                + b"".join(record(0x0085, struct.pack("<IHBB", offset, 0, len(n), 0) + n) for n in names)
                + record(0x000A))

    head = globals_with(0)
    return compound_file({"Workbook": globals_with(len(head)) + sheet}, mini=mini)


def encrypted_xlsx() -> bytes:
    """What Office saves for a password-protected .xlsx: an OLE file with the encrypted package."""
    return compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60,
                          "EncryptedPackage": b"\0" * 64})
