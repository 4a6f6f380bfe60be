"""The "Files" card of a customer's profile: upload several files, see the latest, delete one.

The customer is the one of the page's URL; every handler checks the session (``@authorized``) and the
services check that the customer and the file belong to the user's organization. Each file is stored
in its own transaction, so one refused file (too big, type not allowed) does not cancel the others;
its message is shown next to its name. Stored bytes are read off the event loop (a worker thread).
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, NotFound, ValidationFailed
from crm_app.domain.file_types import display_name
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import Clock, file_size
from crm_app.services import files as files_service
from crm_app.services.files import FileDTO
from crm_app.states.clock import clock_for
from crm_app.states.customer_feed import CustomerFeedState
from crm_app.states.dialogs import dialog_flags
from crm_app.states.session import SessionState, authorized

UPLOAD_ID = "customer-files"

# react-dropzone's codes for files it refuses in the browser, as our messages.
_DROPZONE_ERRORS = {
    "file-too-large": FieldError("file_too_big", max_mb=files_service.MAX_FILE_MB),
    "file-invalid-type": FieldError("file_type_not_allowed"),
    "too-many-files": FieldError("files_too_many", max_files=files_service.MAX_FILES_PER_UPLOAD),
}


@dataclasses.dataclass
class FileView:
    id: int
    name: str
    size: str
    kind: str  # image, pdf, sheet, slides, text, other: picks the icon
    has_thumbnail: bool
    url: str
    thumbnail_url: str
    added: str
    can_delete: bool


@dataclasses.dataclass
class UploadProblem:
    name: str
    message: str


def _kind(f: FileDTO) -> str:
    if f.is_image:
        return "image"
    if f.content_type == "application/pdf":
        return "pdf"
    if "sheet" in f.content_type or "excel" in f.content_type or f.content_type == "text/csv":
        return "sheet"
    if "presentation" in f.content_type or "powerpoint" in f.content_type:
        return "slides"
    return "text"


def _store_all(actor: Actor, customer_id: int, uploads: list[rx.UploadFile]) -> list[tuple[str, Any]]:
    """Store each upload in its own transaction: (name, FileDTO) or (name, FieldError). Runs in a thread."""
    outcomes: list[tuple[str, Any]] = []
    for upload in uploads:
        name = display_name(upload.name)
        try:
            with session_scope() as session:
                stored = files_service.store_file(
                    session=session, actor=actor, customer_id=customer_id, stream=upload.file,
                    filename=upload.name, size_hint=upload.size,
                )
            outcomes.append((name, stored))
        except ValidationFailed as refused:
            outcomes.append((name, refused.errors["file"]))
    return outcomes


@dialog_flags("delete_id")
class CustomerFilesState(SessionState):
    files: list[FileView] = []
    next_before: int = 0  # 0: no older files
    problems: list[UploadProblem] = []
    uploading: bool = False
    progress: int = 0
    delete_id: int = 0
    delete_name: str = ""
    _customer_id: int = 0

    def _view(self, actor: Actor, f: FileDTO, clock: Clock) -> FileView:
        return FileView(
            id=f.id, name=f.name, size=file_size(f.size, self.lang), kind=_kind(f),
            has_thumbnail=f.has_thumbnail, url=f"/api/files/{f.id}",
            thumbnail_url=f"/api/files/{f.id}/thumbnail" if f.has_thumbnail else "",
            added=f"{clock.day(f.created_at)} · {f.uploaded_by_name}",
            can_delete=actor.is_admin or f.uploaded_by == actor.user_id,
        )

    def _show_page(self, actor: Actor, *, before: int | None = None) -> None:
        with session_scope() as session:
            page = files_service.list_files(
                session=session, actor=actor, customer_id=self._customer_id, before=before
            )
        clock = clock_for(actor, self.lang)
        views = [self._view(actor, f, clock) for f in page.files]
        self.files = [*self.files, *views] if before else views
        self.next_before = page.next_before or 0

    @authorized()
    def load(self, actor: Actor):
        """on_mount of the card: the customer of the URL (/customers/<id>)."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self._customer_id = parse_id(raw) or 0
        self.files, self.next_before, self.problems = [], 0, []
        self.uploading, self.progress, self.delete_id = False, 0, 0
        try:
            self._show_page(actor)
        except NotFound:
            self._customer_id = 0  # the profile shows "not found"; the card stays empty

    @authorized()
    def load_more(self, actor: Actor):
        if self.next_before:
            self._show_page(actor, before=self.next_before)

    @authorized()
    def upload_progress(self, actor: Actor, progress: dict):
        fraction = progress.get("progress") or 0
        self.uploading = fraction < 1
        self.progress = max(0, min(100, round(float(fraction) * 100)))

    @authorized()
    async def upload(self, actor: Actor, files: list[rx.UploadFile]):
        self.problems = []
        try:
            outcomes = await asyncio.to_thread(_store_all, actor, self._customer_id, files)
        finally:
            self.uploading, self.progress = False, 0
        self.problems = [
            UploadProblem(name=name, message=self._err(result))
            for name, result in outcomes if isinstance(result, FieldError)
        ]
        stored = sum(1 for _, result in outcomes if not isinstance(result, FieldError))
        self._show_page(actor)
        if not stored:
            return None
        # The feed shows the new files at once.
        return [rx.toast.success(self._t("files_attached", count=stored)), CustomerFeedState.refresh]

    @authorized()
    def rejected(self, actor: Actor, rejections: list[dict]):
        """Files the browser refused before sending them (react-dropzone): same messages as the server's."""
        problems = []
        for item in rejections[: files_service.MAX_FILES_PER_UPLOAD * 2]:
            file = item.get("file") if isinstance(item, dict) else None
            name = display_name(str((file or {}).get("path") or (file or {}).get("name") or ""))
            codes = [e.get("code") for e in item.get("errors", []) if isinstance(e, dict)]
            error = next((_DROPZONE_ERRORS[c] for c in codes if c in _DROPZONE_ERRORS),
                         FieldError("file_upload_failed"))
            problems.append(UploadProblem(name=name, message=self._err(error)))
        self.problems = problems

    @authorized()
    def ask_delete(self, actor: Actor, file_id: int):
        shown = next((f for f in self.files if f.id == file_id and f.can_delete), None)
        if shown is not None:
            self.delete_id, self.delete_name = shown.id, shown.name

    @rx.event
    def cancel_delete(self):
        self.delete_id, self.delete_name = 0, ""

    @authorized()
    def confirm_delete(self, actor: Actor):
        file_id, self.delete_id = self.delete_id, 0
        with session_scope() as session:
            files_service.delete_file(session=session, actor=actor, file_id=file_id)
        self._show_page(actor)
        return [rx.toast.success(self._t("file_deleted")), CustomerFeedState.refresh]
