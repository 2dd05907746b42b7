"""Shared pieces of every stored record.

Every dataset row belongs to one organisation (`org_id`). Rows refer to each other by
natural codes (``line_code`` -> ``budget_line.code``) so the CSV files stay readable; the
database enforces those references with composite foreign keys on ``(org_id, code)``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, Integer, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

# Columns that the database owns and the CSV files never carry.
DB_ONLY_COLUMNS = ("id", "org_id", "version")


class OrgRecord(SQLModel):
    """Base of every dataset table: surrogate id plus the owning organisation."""

    @declared_attr.directive
    def __tablename__(cls) -> str:  # noqa: N805 - SQLAlchemy passes the class
        # BudgetLine -> budget_line: table and CSV file names read as words.
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    # Optimistic locking: every UPDATE says "WHERE version = <the version I read>" and bumps it,
    # so of two users saving the same row the second matches nothing and is told (StaleDataError,
    # which the application's session turns into a ConflictError: core.conflicts).
    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # SQLModel's stubs declare no __table__ on a model class (SQLAlchemy sets it when mapping)
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def personal(**kwargs: Any) -> Any:
    """A field holding personal data (birth dates, names with extensions).

    Marked in the model so that every reader (pages, documents, exports for board members)
    can find and withhold such fields from one place: ``personal_fields(Model)``.
    """
    return Field(schema_extra={"json_schema_extra": {"personal": True}}, **kwargs)


def big_integer(**kwargs: Any) -> Any:
    """A 64-bit integer column, for figures that can pass 2^31 (call counts over years, 천원
    amounts of a city budget); plain ``int`` fields are 32-bit on PostgreSQL and bounded so.
    SQLite's INTEGER already holds 64 bits, so the column stays INTEGER there (no table rebuilt)."""
    return Field(sa_type=WIDE_INTEGER, **kwargs)


WIDE_INTEGER = Integer().with_variant(BigInteger(), "postgresql")


def personal_fields(model: type[SQLModel]) -> set[str]:
    return {
        name
        for name, info in model.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("personal")
    }


def natural_key(*columns: str) -> UniqueConstraint:
    """Unique natural key within one organisation."""
    return UniqueConstraint("org_id", *columns)


def refers(columns: str | tuple[str, ...], target: str, target_columns: str | tuple[str, ...] = "code") -> Any:
    """Composite foreign key ``(org_id, columns) -> target(org_id, target_columns)``."""
    cols = (columns,) if isinstance(columns, str) else columns
    tcols = (target_columns,) if isinstance(target_columns, str) else target_columns
    return ForeignKeyConstraint(["org_id", *cols], [f"{target}.org_id", *(f"{target}.{c}" for c in tcols)])
