"""What a domain package declares about itself, once, in its ``__init__.py`` (``DOMAIN``).

The application iterates over the registry of these (``governance_app.domains``): the dataset
loads the tables in the order the domains list them, validation runs their schemas and
reconciliation, the navigation shows their pages, and the backup knows their tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import SQLModel

from governance_app.core.checks import Dataset
from governance_app.core.findings import Finding


@dataclass(frozen=True)
class Domain:
    """One domain package: its tables in load order (each after the tables it refers to), the
    value rules of its tables (pandera schemas by table name) and its reconciliation of reported
    figures, and its pages (``governance_app/pages/<name>.py``) with the navigation section
    they are listed under."""

    name: str  # the package
    tables: tuple[type[SQLModel], ...]
    schemas: Mapping[str, Any]  # table name -> pandera DataFrameSchema
    reconcile: Callable[[Dataset], list[Finding]]
    pages: tuple[str, ...] = ()
    section: str | None = None  # the navigation section of the pages
