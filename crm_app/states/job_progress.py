"""A background job's progress in words, for every page that shows a job's bar (imports, duplicate
scans, bulk actions): "1.200 de 5.000 clientes · 340/s · quedan 11 s", or how long it took; and the loop
of a page's background event that follows the job until it ends (:func:`follow`)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from crm_app.domain.dto import Actor
from crm_app.domain.errors import DomainError
from crm_app.domain.jobs import JobDTO
from crm_app.domain.local_time import duration, number
from crm_app.i18n import t
from crm_app.models.types import utcnow


def progress_text(job: JobDTO, lang: str, *, done_key: str = "job_progress_customers",
                  rate_key: str = "job_progress_rate") -> str:
    """``done_key`` says what is counted ("{done} de {total} filas"); ``rate_key`` its rate."""
    now = utcnow()
    rate, left = job.rate(now), job.seconds_left(now)
    parts = [t(done_key, lang, done=number(job.done, lang), total=number(job.total, lang))]
    if rate:
        parts.append(t(rate_key, lang, rate=number(round(rate), lang)))
    if left is not None:
        parts.append(t("job_progress_left", lang, left=duration(left, lang)))
    elif job.ended and job.started_at:
        parts.append(t("job_progress_took", lang, took=duration(job.seconds(now), lang)))
    return " · ".join(parts)


WATCH_SECONDS = 1.0
MAX_WATCH_ROUNDS = 6 * 3600  # a watcher gives up after hours; a reload starts another


async def follow(
    state: Any,
    target: Callable[[], tuple[Actor, Any] | None],
    read: Callable[[Actor, Any], Any],
    show: Callable[[Actor, Any, Any], bool | Awaitable[bool]],
) -> None:
    """The body of a page's background ``watch`` event, following a job until it ends.

    Every WATCH_SECONDS: ``target()``, under the state's lock, names what to follow as (actor, key), or
    None to stop (signed out, left the page); ``read(actor, key)`` runs in a thread, outside the lock;
    ``show(actor, key, value)``, under the lock again, shows it and returns True once there is nothing more
    to follow. A DomainError (gone, no longer his to see) stops; any other error (a database hiccup)
    waits for the next round. ``state._watching`` is cleared at the end, so a later start follows again.
    """
    try:
        for _ in range(MAX_WATCH_ROUNDS):
            await asyncio.sleep(WATCH_SECONDS)
            async with state:
                aim = target()
            if aim is None:
                break
            actor, key = aim
            try:
                value = await asyncio.to_thread(read, actor, key)
            except DomainError:
                break
            except Exception:  # the rows are briefly unreadable: the next round reads again
                continue
            async with state:
                over = show(actor, key, value)
                if inspect.isawaitable(over):
                    over = await over
            if over:
                break
    finally:
        async with state:
            state._watching = False
