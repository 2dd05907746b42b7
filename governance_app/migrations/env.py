"""Alembic environment: runs on the connection handed over by governance_app.core.db.migrate."""

from alembic import context
from sqlmodel import SQLModel

import governance_app.core.changelog
import governance_app.core.models
import governance_app.domains  # noqa: F401 - registers every domain's tables on SQLModel.metadata

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` CLI use: build an engine from the settings
    from governance_app.core.db import get_engine

    connection = get_engine().connect()

context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
