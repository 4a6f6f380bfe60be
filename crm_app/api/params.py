"""Path parameters shared by the API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from crm_app.domain.ids import MAX_ROW_ID

# Every id in a route's path: out of range is 422 before the route runs, never a driver overflow (500).
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
