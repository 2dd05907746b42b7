"""TableSpec: one dataset table's file name, columns and natural key, read off its model."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import SQLModel

from governance_app.core.record import DB_ONLY_COLUMNS


@dataclass(frozen=True)
class TableSpec:
    model: type[SQLModel]

    @property
    def name(self) -> str:
        name = self.model.__tablename__  # SQLModel types it str | Callable: a mapped class has the str
        assert isinstance(name, str)
        return name

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        return [c for c in self.model.model_fields if c not in DB_ONLY_COLUMNS]

    @property
    def key(self) -> tuple[str, ...]:
        """The natural key: the unique constraint's columns without org_id."""
        table = self.model.__table__  # type: ignore[attr-defined]
        for constraint in table.constraints:
            cols = [c.name for c in getattr(constraint, "columns", [])]
            if constraint.__class__.__name__ == "UniqueConstraint" and "org_id" in cols:
                return tuple(c for c in cols if c != "org_id")
        return ("code",)
