"""The dry run's report: the file's rows that have problems, as they were, with an error column and
their row number in the original. The user fixes them in Excel and uploads the report again (after
importing the valid rows, it holds exactly what is left to import; its two added columns are not
mapped). Written as the rows are judged, in XlsxWriter's constant-memory mode; every cell is text (an
ID keeps its zeros) and made safe to open (the formula guard)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import xlsxwriter

from crm_app.domain.errors import FieldError
from crm_app.domain.spreadsheet_cells import guard_formula
from crm_app.i18n import error_text, t
from crm_app.models import CustomerImport
from crm_app.services.customer_import.judge import Problem
from crm_app.services.customer_import.records import mapping_of


def problem_text(problem: Problem, column_label: str, lang: str) -> str:
    return f"{column_label}: {error_text(FieldError(problem.code, **problem.params), lang)}"


def column_labels(row: CustomerImport) -> dict[str, str]:
    """Each mapped key's header in the user's file (what he sees), for the messages."""
    headers = json.loads(row.headers or "[]")
    columns, _ = mapping_of(row)
    return {key: headers[index] for index, key in columns.items() if index < len(headers)}


class ErrorReport:
    def __init__(self, path: Path, row: CustomerImport, lang: str) -> None:
        self.path, self.lang = path, lang
        self.headers = json.loads(row.headers or "[]")
        self.labels = column_labels(row)
        self.problem_count = 0
        self._next = 1

    def __enter__(self) -> ErrorReport:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                   "strings_to_urls": False}
        self.book = xlsxwriter.Workbook(str(self.path), options)
        self.sheet = self.book.add_worksheet(t("import_report_sheet", self.lang)[:31])
        bold = self.book.add_format({"bold": True})
        self.sheet.write_string(0, 0, t("import_report_errors", self.lang), bold)
        self.sheet.write_string(0, 1, t("import_report_row", self.lang), bold)
        for i, header in enumerate(self.headers, start=2):
            self.sheet.write_string(0, i, guard_formula(str(header)), bold)
        self.sheet.freeze_panes(1, 1)
        self.sheet.set_column(0, 0, 60)
        return self

    def add(self, number: int, cells: Sequence[str], problems: Sequence[Problem]) -> None:
        """Add the row ``number`` of the file when it has problems."""
        if not problems:
            return
        texts = [problem_text(p, self.labels.get(p.column, t(p.column.split(".")[0], self.lang)), self.lang)
                 for p in problems]
        self.problem_count += len(problems)
        self.sheet.write_string(self._next, 0, "; ".join(texts))
        self.sheet.write_number(self._next, 1, number)
        for i, cell in enumerate(cells, start=2):
            if cell:
                self.sheet.write_string(self._next, i, guard_formula(cell))
        self._next += 1

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.book.close()
