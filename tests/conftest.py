"""Test databases: every database test runs on SQLite and on PostgreSQL.

Per backend, two template databases are built once per run: one migrated and empty, one
migrated and holding the seed dataset. Every test gets a database of its own, a copy of one of
them: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL (the services commit
in sessions of their own and some tests use several engines or threads, so a rolled-back
transaction could not hold a test's changes). The copy is dropped after the test.

PostgreSQL is the server of ``GOV_TEST_PG_ADMIN`` (default 127.0.0.1:5432, trust auth).
``GOV_TEST_BACKENDS=sqlite`` restricts a run; a test marked ``postgresql`` runs only on PostgreSQL.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.helpers")
# The app shows an unexpected error as a message with an incident id; tests want the exception.
os.environ.setdefault("GOV_RAISE_UNEXPECTED", "1")
# The change log's key and head anchors for the test run (never the deployment's var/ files).
os.environ.setdefault("LOG_KEY", "test-log-key-" + "0" * 32)
os.environ.setdefault("LOG_ANCHOR_FILE", f"/tmp/gov-test-anchor-{os.getpid()}.json")

import psycopg  # noqa: E402 - after the assert rewrite of the helpers
from sqlalchemy.engine import Engine, make_url  # noqa: E402

from governance_app import store  # noqa: E402
from governance_app.core import logkey  # noqa: E402
from governance_app.core.db import dispose_engines, get_engine, migrate, session  # noqa: E402
from governance_app.core.settings import get_settings  # noqa: E402
from tests.helpers import BACKENDS, DATA, PG_ADMIN, PLANNER, pg_url, wipe  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: the test needs PostgreSQL (its row locking)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the non-PostgreSQL variants of tests marked ``postgresql``."""
    wrong = [
        item
        for item in items
        if item.get_closest_marker("postgresql")
        and getattr(getattr(item, "callspec", None), "params", {}).get("backend") != "postgresql"
    ]
    if wrong:
        config.hook.pytest_deselected(items=wrong)
        items[:] = [item for item in items if item not in wrong]


@pytest.fixture(scope="session")
def seed() -> store.Dataset:
    dataset, findings = store.read_dir(DATA)
    assert not [f for f in findings if f.severity == "error"]
    return dataset


def anchor_name(url: str) -> str:
    """How the change log's anchor file names the database at ``url``."""
    return make_url(url).render_as_string(hide_password=True)


class Databases:
    """One backend's template databases (built on first use) and the per-test copies of them."""

    def __init__(self, backend: str, folder: Path, dataset: store.Dataset) -> None:
        self.backend, self.folder, self.dataset = backend, folder, dataset
        self.prefix = f"gov_test_{uuid.uuid4().hex[:8]}"
        self.numbers = itertools.count(1)
        self.admin = psycopg.connect(PG_ADMIN, autocommit=True) if backend == "postgresql" else None
        self.templates: list[str] = []

    def _new(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / f'{name}.sqlite3'}"
        assert self.admin is not None
        self.admin.execute(f'CREATE DATABASE "{self.prefix}_{name}"')
        return pg_url(f"{self.prefix}_{name}")

    def _built(self, name: str, *, seeded: bool) -> str:
        url = self._new(name)
        self.templates.append(url)
        engine = get_engine(url)
        migrate(engine)
        if seeded:
            with session(engine) as s:
                store.replace_in_db(session=s, actor=PLANNER, dataset=self.dataset)
        else:
            wipe(engine)
        engine.dispose()  # a template database must have no connection when it is copied
        return url

    @functools.cached_property
    def seeded(self) -> str:
        return self._built("seeded", seeded=True)

    @functools.cached_property
    def empty(self) -> str:
        return self._built("empty", seeded=False)

    def copy(self, template: str) -> str:
        url = self._copy(template)
        # a copy keeps the template's change-log head anchor, as a deployment's database keeps its own
        head = logkey.read_anchor(anchor_name(template))
        if head and "seq" in head:
            logkey.write_anchor(int(head["seq"]), str(head["mac"]), anchor_name(url), int(head["keyed_from"]))
        return url

    def _copy(self, template: str) -> str:
        number = next(self.numbers)
        if self.backend == "sqlite":
            target = self.folder / f"test-{number}.sqlite3"
            shutil.copyfile(template.removeprefix("sqlite:///"), target)
            return f"sqlite:///{target}"
        assert self.admin is not None
        name = f"{self.prefix}_{number}"
        self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"')
        return pg_url(name)

    def drop(self, url: str) -> None:
        logkey.forget_anchor(anchor_name(url))
        if self.backend == "sqlite":
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            return
        assert self.admin is not None
        self.admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def close(self) -> None:
        for url in self.templates:
            self.drop(url)
        if self.admin is not None:
            self.admin.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def all_databases() -> Iterator[dict[str, Databases]]:
    """backend -> its Databases, made on first use and kept for the whole run (under pytest-xdist a
    worker may switch backends more than once)."""
    found: dict[str, Databases] = {}
    try:
        yield found
    finally:
        dispose_engines()
        for databases in found.values():
            databases.close()


@pytest.fixture
def databases(
    backend: str,
    all_databases: dict[str, Databases],
    seed: store.Dataset,
    tmp_path_factory: pytest.TempPathFactory,
) -> Databases:
    if backend not in all_databases:
        all_databases[backend] = Databases(backend, tmp_path_factory.mktemp(f"db-{backend}"), seed)
    return all_databases[backend]


@pytest.fixture
def database_url(databases: Databases, request: pytest.FixtureRequest) -> Iterator[str]:
    """This test's own database: a copy of the empty template for ``empty_engine``, else of the seeded one."""
    url = databases.copy(databases.empty if "empty_engine" in request.fixturenames else databases.seeded)
    try:
        yield url
    finally:
        dispose_engines()  # close pooled connections before the drop; the next test has another URL
        databases.drop(url)


def _configured(url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    return get_engine(get_settings().database_url)


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine on a migrated database holding exactly the seed dataset (DATABASE_URL points at it)."""
    yield _configured(database_url, monkeypatch)
    get_settings.cache_clear()


@pytest.fixture
def empty_engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine on a migrated database with no dataset (DATABASE_URL points at it)."""
    yield _configured(database_url, monkeypatch)
    get_settings.cache_clear()
