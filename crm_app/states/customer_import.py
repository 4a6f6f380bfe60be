"""/customers/import/<id>: one import, step by step: map the file's columns, check it (a dry run), see its
problems, write it with a progress bar, cancel, resume, revert.

The long steps are jobs (crm_app/jobs/runner.py); this page only starts them and shows their progress,
read from the job's row by a background event (:meth:`ImportState.watch`) about once a second. So the
bar is the same after a reload, in a second tab, and for another admin who opens the import. Every
handler checks the session and the right to import; the services check the organization.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.import_columns import numbered
from crm_app.domain.import_rows import IMPORT_MODES, MATCH_KEYS
from crm_app.domain.jobs import JobDTO
from crm_app.services import customer_import, jobs
from crm_app.services.customer_choices import list_channels
from crm_app.services.customer_import import ImportChoices, ImportDTO
from crm_app.services.customer_import.records import WORKING, WROTE
from crm_app.services.customer_import.screen import field_options, sample_rows
from crm_app.states.clock import clock_for
from crm_app.states.customer_imports import written_text
from crm_app.states.dialogs import dialog_flags
from crm_app.states.job_progress import follow, progress_text
from crm_app.states.session import SessionState, authorized
from crm_app.states.threads import in_thread


@dataclasses.dataclass
class MappingRow:
    index: int
    header: str
    key: str  # "" = ignored
    samples: str  # the first rows' values of the column


@dataclasses.dataclass
class ProblemRow:
    row: int
    column: str
    value: str
    message: str


@dataclasses.dataclass
class SkippedRow:
    id: int
    name: str


@dialog_flags("confirm_revert")
class ImportState(SessionState):
    found: bool = False
    loaded: bool = False
    refused: bool = False  # a sales user, while admins keep imports to themselves
    import_id: int = 0
    file_name: str = ""
    status: str = ""
    row_count: int = 0
    created: str = ""
    created_by: str = ""
    mapping: list[MappingRow] = []
    options: list[list[str]] = []  # [key, label]
    channels: list[list[str]] = []  # [name, name]: a default channel is given by name, like a cell
    client_type: str = "person"
    mode: str = "create"
    match_by: str = "tax_id"
    valid_only: bool = False
    default_channel: str = ""
    default_tags: str = ""
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    problems: list[ProblemRow] = []
    problem_count: int = 0
    # the running (or last) job
    job_status: str = ""
    percent: int = 0
    progress_text: str = ""
    job_error: str = ""
    # what the write did
    created_count: int = 0
    updated_count: int = 0
    written: str = ""
    skipped: list[SkippedRow] = []
    can_resume: bool = False
    can_revert: bool = False
    confirm_revert: bool = False
    _watching: bool = False

    # ------------------------------------------------------------------ loading

    def _path_id(self) -> int:
        return parse_id(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]) or 0

    def _show(self, actor: Actor, dto: ImportDTO, job: JobDTO | None) -> None:
        clock = clock_for(actor, self.lang)
        self.found, self.loaded, self.import_id = True, True, dto.id
        self.file_name, self.status, self.row_count = dto.file_name, dto.status, dto.row_count
        self.created, self.created_by = clock.exact(dto.created_at), dto.created_by_name
        self.counts = {k: int(v) for k, v in dto.counts.items() if isinstance(v, int)}
        self.created_count, self.updated_count = dto.created_count, dto.updated_count
        self.written = written_text(self, dto)
        self.can_resume = dto.status in ("interrupted", "cancelled", "failed")
        self.can_revert = dto.status in (*WROTE, "revert_stopped") and dto.reverted_at is None
        self.skipped = [SkippedRow(id=int(s.get("id", 0)), name=str(s.get("name", "")))
                        for s in dto.revert_skipped]
        self._show_job(job)

    def _show_job(self, job: JobDTO | None) -> None:
        if job is None:
            self.job_status, self.percent, self.progress_text, self.job_error = "", 0, "", ""
            return
        self.job_status, self.percent = job.status, job.percent
        self.job_error = self._t("import_job_failed") if job.status == "failed" else ""
        self.progress_text = progress_text(job, self.lang, done_key="import_progress_rows",
                                           rate_key="import_progress_rate")
        if job.kind == customer_import.CHECK and job.status == "done":
            self.problems = [
                ProblemRow(row=int(p["row"]), column=self._column_label(str(p["column"])),
                           value=str(p["value"]),
                           message=self._err(FieldError(str(p["code"]), **dict(p.get("params") or {}))))
                for p in job.result.get("problems", [])
            ]
            self.problem_count = int(job.result.get("problem_count", len(self.problems)))

    def _column_label(self, key: str) -> str:
        header = next((m.header for m in self.mapping if m.key == key), "")
        return header or next((label for k, label in self.options if k == key), key)

    @authorized()
    async def load(self, actor: Actor):
        self.reset()
        self.import_id = self._path_id()
        try:
            dto, job = _read_import(actor, self.import_id)
            options = await in_thread(field_options, actor=actor, lang=self.lang,
                                      numbered_up_to=max(3, _highest_number(dto)))
            samples = await in_thread(sample_rows, actor=actor, import_id=dto.id)
            with session_scope() as session:
                channels = list_channels(session=session, actor=actor)
        except (NotFound, FieldError, Forbidden) as exc:  # nothing of another import stays in the tab
            self.reset()
            self.found, self.loaded, self.refused = False, True, isinstance(exc, Forbidden)
            return None
        self.options = [[k, label] for k, label in options]
        self.channels = [[name, name] for _, name in channels]
        self.mapping = [
            MappingRow(index=i, header=h, key=dto.columns.get(i, ""),
                       samples=" · ".join(s[i] for s in samples if i < len(s) and s[i])[:120])
            for i, h in enumerate(dto.headers)
        ]
        self.client_type, self.mode, self.match_by = dto.client_type, dto.mode, dto.match_by
        self.valid_only = dto.valid_only
        self.default_channel = dto.defaults.get("channel", "")
        self.default_tags = dto.defaults.get("tags", "")
        self._show(actor, dto, job)
        return self._watch_if_working()

    def _watch_if_working(self):
        if self.status in WORKING and not self._watching:
            self._watching = True
            return ImportState.watch
        return None

    # ------------------------------------------------------------------ the mapping screen

    @authorized()
    def set_column(self, actor: Actor, index: int, key: str):
        keys = {k for k, _ in self.options}
        if key and key not in keys:
            return
        for row in self.mapping:
            if key and row.key == key and row.index != index:
                row.key = ""  # a field goes in one column: the other one is now ignored
            if row.index == index:
                row.key = key
        self.mapping = list(self.mapping)
        self.errors = {}

    @authorized()
    def set_client_type(self, actor: Actor, value: str):
        self.client_type = value if value in CLIENT_TYPES else "person"

    @authorized()
    def set_mode(self, actor: Actor, value: str):
        self.mode = value if value in IMPORT_MODES else "create"
        self.errors = {}

    @authorized()
    def set_match_by(self, actor: Actor, value: str):
        self.match_by = value if value in MATCH_KEYS else "tax_id"
        self.errors = {}

    @authorized()
    def set_valid_only(self, actor: Actor, value: bool):
        self.valid_only = bool(value)

    @authorized()
    def set_default_channel(self, actor: Actor, value: str):
        self.default_channel = value[:100]

    @authorized()
    def set_default_tags(self, actor: Actor, value: str):
        self.default_tags = value[:200]

    def _choices(self) -> ImportChoices:
        defaults = {"channel": self.default_channel, "tags": self.default_tags}
        return ImportChoices(columns={m.index: m.key for m in self.mapping if m.key}, defaults=defaults,
                             client_type=self.client_type, mode=self.mode, match_by=self.match_by,
                             valid_only=self.valid_only)

    # ------------------------------------------------------------------ the steps

    async def _step(self, actor: Actor, call, **kwargs):
        """Run a step's service; refusals become messages; then show the import and watch its job."""
        try:
            await in_thread(call, actor=actor, import_id=self.import_id, **kwargs)
        except ValidationFailed as exc:
            self.errors = {name: self._err(error) for name, error in exc.errors.items()}
            return rx.toast.error(self._t("import_choices_invalid"))
        except Conflict as exc:
            return rx.toast.error(self._err(exc))
        dto, job = _read_import(actor, self.import_id)
        self._show(actor, dto, job)
        return self._watch_if_working()

    @authorized()
    async def check(self, actor: Actor):
        """Keep the mapping and run the dry run."""
        self.errors, self.problems, self.problem_count = {}, [], 0
        refused = await self._step(actor, customer_import.save_choices, choices=self._choices())
        if self.errors:
            return refused
        return await self._step(actor, customer_import.start_check)

    @authorized()
    async def write(self, actor: Actor):
        """Write the checked file (or resume one cut short), with the "only valid rows" choice kept."""
        if self.status == "checked":
            refused = await self._step(actor, customer_import.save_valid_only, valid_only=self.valid_only)
            if self.errors:
                return refused
        return await self._step(actor, customer_import.start_write)

    @authorized()
    async def cancel(self, actor: Actor):
        return await self._step(actor, customer_import.cancel)

    @authorized()
    def ask_revert(self, actor: Actor):
        self.confirm_revert = True

    @authorized()
    def cancel_revert(self, actor: Actor):
        self.confirm_revert = False

    @authorized()
    async def revert(self, actor: Actor):
        self.confirm_revert = False
        return await self._step(actor, customer_import.start_revert)

    # ------------------------------------------------------------------ progress

    @rx.event(background=True)
    async def watch(self):
        """Follow the import's job until it ends (or the tab's user signs out, or leaves the import)."""
        await follow(self, self._watched, _read_import, self._show_read)

    def _watched(self) -> tuple[Actor, int] | None:
        actor = self._actor()
        return (actor, self.import_id) if actor is not None and self.import_id else None

    def _show_read(self, actor: Actor, import_id: int, read: tuple[ImportDTO, JobDTO | None]) -> bool:
        if self.import_id != import_id:
            return True
        dto, job = read
        self._show(actor, dto, job)
        return dto.status not in WORKING


def _read_import(actor: Actor, import_id: int) -> tuple[ImportDTO, JobDTO | None]:
    with session_scope() as session:
        dto = customer_import.get_import(session=session, actor=actor, import_id=import_id)
        job = jobs.get_job(session, actor.organization_id, dto.job_id) if dto.job_id else None
    return dto, job


def _highest_number(dto: ImportDTO) -> int:
    """The highest phone or e-mail number the file's mapping uses (the screen offers up to it)."""
    return max((parts[1] for key in dto.columns.values() if (parts := numbered(key))), default=1)
