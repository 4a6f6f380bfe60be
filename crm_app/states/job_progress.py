"""A background job's progress in words, for every page that shows a job's bar (imports, duplicate
scans, bulk actions): "1.200 de 5.000 clientes · 340/s · quedan 11 s", or how long it took."""

from __future__ import annotations

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
