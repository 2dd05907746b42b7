"""First start: migrate the schema and load ``data/`` into an empty database."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from governance_app import store
from governance_app.auth import Actor
from governance_app.db import migrate, session
from governance_app.settings import get_settings
from governance_app.validation import validate

SEED_ACTOR = Actor("system:seed", "planning")


def ensure_database(engine: Engine) -> bool:
    """Migrate; load the seed dataset when the database is empty. True when it loaded."""
    migrate(engine)
    with session(engine) as s:
        if store.has_data(s):
            return False
        dataset, findings = store.read_dir(get_settings().data_dir)
        findings = findings + validate(dataset, reconcile=False)
        if any(f.severity == "error" for f in findings):
            raise store.DatasetError(findings)
        store.replace_in_db(session=s, actor=SEED_ACTOR, dataset=dataset)
        return True
