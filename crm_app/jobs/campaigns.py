"""The e-mail campaigns' jobs: prepare a campaign (its recipients and their outbox messages, in
batches), respace a resumed one; and the runner's tick that starts the scheduled campaigns that are due."""

from __future__ import annotations

from crm_app.jobs.job_run import JobKind

KINDS: dict[str, JobKind] = {}


def tick(database_url: str | None) -> None:
    """Queue what is due (called by the runner between jobs; must be cheap when nothing is)."""
