"""The start-up check that the database matches the models, as alembic sees the schema.

Reflex compares the models with the database at every ``reflex run``
(``reflex.utils.prerequisites.check_schema_up_to_date``), but without alembic/env.py's ``include_name``:
the search index that the migrations create beside the models (FTS5 tables on SQLite, tsvector columns
and the trigram index on PostgreSQL) always reads as "Detected database schema changes. Run reflex db
makemigrations", and a real difference would be lost in that noise. Alembic owns the schema, so
rxconfig.py puts :func:`warn_if_schema_differs` in Reflex's place: it speaks only when the database is
behind the migrations or a model differs from what they built.
"""

from __future__ import annotations

import logging

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from crm_app.settings import PROJECT_ROOT, get_settings

log = logging.getLogger(__name__)
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"


def schema_problems(url: str) -> list[str]:
    """What is wrong between the migrations, the models and the database at ``url``; empty when nothing."""
    import crm_app.models  # noqa: F401  (registers every table)
    from crm_app.db import make_engine
    from crm_app.models.customer import include_name

    heads = set(ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "render_as_batch": True, "include_name": include_name})
            current = set(context.get_current_heads())
            if current != heads:
                return [f"the database is at migration {', '.join(sorted(current)) or 'none'}, the code at "
                        f"{', '.join(sorted(heads))}: run `make migrate` (alembic upgrade head)"]
            return [f"the models differ from the migrations: {diff!r}: write an alembic migration"
                    for diff in compare_metadata(context, SQLModel.metadata)]
    finally:
        engine.dispose()


def warn_if_schema_differs() -> None:
    try:
        problems = schema_problems(get_settings().database_url)
    except Exception as exc:  # a database that is down must not stop the build; the app will say so
        problems = [f"could not be checked ({exc.__class__.__name__}: {exc})"]
    for problem in problems:
        log.warning("Database schema: %s", problem)
