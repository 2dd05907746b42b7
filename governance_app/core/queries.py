"""The one generic read: rows of a dataset table for an organisation, in file order."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

M = TypeVar("M", bound=SQLModel)


def fetch(session: Session, model: type[M], org_id: int, *conditions: Any) -> list[M]:
    """All rows of ``model`` for ``org_id`` matching ``conditions``, ordered as loaded."""
    table: Any = model
    query = select(model).where(table.org_id == org_id, *conditions).order_by(table.id)
    return list(session.exec(query).all())
