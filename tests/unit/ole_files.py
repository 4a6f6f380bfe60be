"""Tiny OLE compound files written by hand for the sheet-reading tests (no .xls writer is installed):
a BIFF8 workbook of text and number cells, and the container Office wraps a password-protected
.xlsx in. Only what the readers need: a 512-byte header, one FAT sector, one directory sector, the
streams in regular sectors (each padded to 4096 bytes so none goes to the mini stream)."""

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


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (version 3) holding ``streams`` under its root (at most three)."""
    assert 0 < len(streams) <= 3
    data, entries, fat = b"", [], [FAT_SECTOR, END_OF_CHAIN]  # sector 0: FAT, sector 1: directory
    next_sector = 2
    names = list(streams)
    for i, name in enumerate(names):
        body = streams[name].ljust(max(4096, len(streams[name])), b"\0")
        body = body.ljust(-(-len(body) // SECTOR) * SECTOR, b"\0")
        count = len(body) // SECTOR
        fat += [*range(next_sector + 1, next_sector + count), END_OF_CHAIN]
        sibling = i + 2 if i + 1 < len(names) else NO_STREAM  # the next stream's directory entry
        entries.append(_entry(name, 2, next_sector, len(body), right=sibling))
        next_sector += count
        data += body
    assert len(fat) <= SECTOR // 4
    root = _entry("Root Entry", 5, END_OF_CHAIN, 0, child=1)
    directory = b"".join([root, *entries]).ljust(SECTOR, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *fat, *[FREE] * (SECTOR // 4 - len(fat)))
    return header + fat_sector + directory + data


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))


def xls_workbook(rows: list[list[str | float]], *, password: bool = False) -> bytes:
    """A BIFF8 .xls with one sheet of ``rows`` (text as LABEL records, numbers as NUMBER records); with
    ``password`` a FILEPASS record says the workbook is encrypted, as Excel writes it."""
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                text = value.encode("utf-16-le")
                cells += _record(0x0204, struct.pack("<HHHHB", r, c, 15, len(value), 1) + text)
            else:
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    width = max((len(row) for row in rows), default=0)
    sheet = (_bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells
             + _record(0x000A))
    name = "Hoja1".encode("latin-1")
    filepass = _record(0x002F, struct.pack("<H", 1) + b"\0" * 52) if password else b""

    def globals_with(offset: int) -> bytes:
        return (_bof(0x0005) + filepass + _record(0x0042, struct.pack("<H", 1200))
                + _record(0x0085, struct.pack("<IHBB", offset, 0, len(name), 0) + name) + _record(0x000A))

    head = globals_with(0)
    return compound_file({"Workbook": globals_with(len(head)) + sheet})


def encrypted_xlsx() -> bytes:
    """What Office saves for a password-protected .xlsx: an OLE file with the encrypted package."""
    return compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60,
                          "EncryptedPackage": b"\0" * 64})
