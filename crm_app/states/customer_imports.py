"""/customers/import: the templates to download, the upload of a file, and the organization's latest
imports (any admin sees the others' and can open their progress).

Who may import is checked on the server for every call (admins; sales users when an admin allows it):
the page shows a refusal instead of the upload when the user may not. The upload is read and checked
(services/customer_import.register_upload: type, size, rows, header) in a worker thread.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.file_types import display_name
from crm_app.services import customer_import
from crm_app.services.customer_import import ImportDTO
from crm_app.services.transfer_access import may_transfer
from crm_app.states.clock import clock_for
from crm_app.states.session import SessionState, authorized

UPLOAD_ID = "customer-import"
ACCEPT = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.ms-excel": [".xls"],
    "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
    "text/csv": [".csv"],
}
STATUS_COLORS = (("uploaded", "gray"), ("checking", "blue"), ("checked", "blue"), ("importing", "blue"),
                 ("done", "green"), ("failed", "red"), ("cancelled", "amber"), ("interrupted", "amber"),
                 ("reverting", "blue"), ("revert_stopped", "amber"), ("reverted", "gray"))


@dataclasses.dataclass
class ImportListRow:
    id: int
    file_name: str
    created: str
    created_by: str
    status: str
    rows: int
    written: str  # "120 creados · 4 actualizados"


def written_text(state: SessionState, dto: ImportDTO) -> str:
    if not dto.created_count and not dto.updated_count:
        return ""
    return state._t("import_written", created=dto.created_count, updated=dto.updated_count)


def _store(actor: Actor, upload: rx.UploadFile) -> ImportDTO:
    """The upload registered: copied once, from Reflex's spool to where the import keeps it."""
    with session_scope() as session:
        return customer_import.register_upload(session=session, actor=actor, source=upload.file,
                                               file_name=upload.name or "")


class CustomerImportsState(SessionState):
    allowed: bool = False
    loaded: bool = False
    imports: list[ImportListRow] = []
    uploading: bool = False
    progress: int = 0
    upload_error: str = ""

    @authorized()
    def load(self, actor: Actor):
        self.reset()
        with session_scope() as session:
            self.allowed = may_transfer(session, actor)
            dtos = customer_import.list_imports(session=session, actor=actor) if self.allowed else []
        clock = clock_for(actor, self.lang)
        self.imports = [
            ImportListRow(id=d.id, file_name=d.file_name, created=clock.exact(d.created_at),
                          created_by=d.created_by_name, status=d.status, rows=d.row_count,
                          written=written_text(self, d))
            for d in dtos
        ]
        self.loaded = True

    @authorized()
    def upload_progress(self, actor: Actor, progress: dict):
        fraction = progress.get("progress") or 0
        self.uploading = fraction < 1
        self.progress = max(0, min(100, round(float(fraction) * 100)))

    @authorized()
    async def upload(self, actor: Actor, files: list[rx.UploadFile]):
        self.upload_error = ""
        if len(files) != 1:
            self.uploading, self.progress = False, 0
            self.upload_error = self._t("import_one_file")
            return None
        try:
            imported = await asyncio.to_thread(_store, actor, files[0])
        except ValidationFailed as exc:
            self.upload_error = self._err(exc.errors.get("file", FieldError("file_unreadable")))
            return None
        except Forbidden as exc:
            self.upload_error = self._err(exc)
            return None
        finally:
            self.uploading, self.progress = False, 0
        return rx.redirect(f"/customers/import/{imported.id}")

    @authorized()
    def rejected(self, actor: Actor, rejections: list[dict]):
        """A file the browser refused before sending it (type, more than one)."""
        names = []
        for item in rejections[:5]:
            file = item.get("file") if isinstance(item, dict) else None
            names.append(display_name(str((file or {}).get("path") or (file or {}).get("name") or "")))
        self.upload_error = self._t("import_file_refused", name=", ".join(names))
