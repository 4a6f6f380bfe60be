"""Merging customers of one organization into a survivor, with a preview and an exact undo (issue 16).

CONTRACT (the merge page, states/merge.py, codes against these names):
- ``preview(*, session, actor, customer_ids, survivor_id=None, lang="es") -> MergePreview``
- ``merge(*, session, actor, request: MergeRequest) -> MergeDTO`` (one transaction)
- ``undo_merge(*, session, actor, merge_id) -> MergeDTO``
- ``list_merges(*, session, actor, before_id=None, limit=20) -> list[MergeDTO]``
- ``get_merge(*, session, actor, merge_id) -> MergeDTO``
- ``survivor_of(session, organization_id, customer_id) -> int | None``
- ``latest_undoable(*, session, actor, customer_id) -> MergeDTO | None`` (the survivor's profile banner)

Admins only. The pieces: access (who and which customers), preview (side by side, defaults), details
(phones, e-mails, tags, custom values), moves (records that follow the survivor), snapshot (rows as
they were), apply (the merge), undo, records (the history).
"""

from __future__ import annotations

from crm_app.services.merge.access import survivor_of
from crm_app.services.merge.apply import merge
from crm_app.services.merge.latest import latest_undoable
from crm_app.services.merge.preview import build_preview as preview
from crm_app.services.merge.records import get_merge, list_merges
from crm_app.services.merge.undo import undo_merge

__all__ = ["get_merge", "latest_undoable", "list_merges", "merge", "preview", "survivor_of", "undo_merge"]
