"""What an uploaded file really is, read from its content, and the types a customer's file may have.

The browser's content type and the file's extension are claims anyone can forge: the type comes from
the magic numbers (the ``filetype`` library). Plain text and CSV have none, so they are accepted only
when the name says .txt/.csv *and* the bytes look like text. Everything else (executables, archives,
scripts, HTML, SVG...) is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype

MAX_NAME = 255
CHUNK_TEXT_SCAN = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    is_image: bool = False


# Images the browser shows and Pillow verifies and thumbnails.
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}

TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}

# The extensions the upload box suggests (the server decides from the content, not from these).
ACCEPTED_EXTENSIONS = tuple(
    sorted({*IMAGE_TYPES.values(), "jpeg", *DOCUMENT_TYPES.values(), *TEXT_TYPES})
)

# Bytes that never appear in text (UTF-8 or Windows-1252 from a spreadsheet): C0 controls except
# tab, line feed, form feed and carriage return.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def extension_of(filename: str) -> str:
    name = display_name(filename)
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def detect(head: bytes, filename: str) -> FileType | None:
    """The allowed type of a file whose first bytes are ``head`` (≥ 8 KB when the file is that big).

    None when the type is not allowed. For .txt/.csv the caller must still check the whole content
    with :func:`looks_like_text` (``head`` is only the beginning).
    """
    kind = filetype.guess(head) if head else None
    if kind is not None:
        if kind.mime in IMAGE_TYPES:
            return FileType(kind.mime, IMAGE_TYPES[kind.mime], is_image=True)
        if kind.mime in DOCUMENT_TYPES:
            return FileType(kind.mime, DOCUMENT_TYPES[kind.mime])
        return None
    ext = extension_of(filename)
    if ext in TEXT_TYPES and head and looks_like_text(head):
        return FileType(TEXT_TYPES[ext], ext)
    return None


# Other spellings of a type's extension that a stored name may keep.
_SAME_TYPE = {"jpeg": "jpg", "jpe": "jpg"}


def name_for_type(filename: str, kind: FileType) -> str:
    """``filename`` with an extension that says what the content really is.

    The browser that downloads a file names it after the stored name: a PNG/HTML polyglot uploaded as
    ``x.html`` must come back as ``x.png``, or opening the download would run its script. A name whose
    extension already fits (``foto.JPEG`` for a JPEG) is kept as it is.
    """
    name = display_name(filename)
    ext = extension_of(name)
    if _SAME_TYPE.get(ext, ext) == kind.extension:
        return name
    stem = name[: -len(ext) - 1] if ext else name
    return display_name(f"{stem or 'file'}.{kind.extension}")


def looks_like_text(chunk: bytes) -> bool:
    return _BINARY.search(chunk) is None


def display_name(filename: str | None) -> str:
    """The user's file name made safe to show and to put in a download header (never in a path).

    Keeps the last path component, drops control and format characters, normalizes Unicode (NFC) and
    shortens it to 255 characters keeping the extension.
    """
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return "file"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return name
