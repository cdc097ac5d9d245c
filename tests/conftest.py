"""What every test shares: a private tinkerlab home, quiet single-threaded numerics, no network,
and ``journal_url``, which runs a test once on SQLite and once on PostgreSQL.

PostgreSQL tests need a server: ``eval "$(bash scripts/start_postgres.sh)"`` starts one and
sets ``TINKERLAB_TEST_PG_URL``. Without it they are skipped, unless ``TINKERLAB_REQUIRE_PG=1``
(set in CI), which turns the skip into a failure so they can never silently stop running.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Set before anything imports NumPy or matplotlib: one thread per BLAS (the CI machine has two
# cores and pytest may run in parallel), never a download, never a GUI window.
for _name, _value in {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "HF_HUB_OFFLINE": "1",
    "MPLBACKEND": "Agg",
}.items():
    os.environ.setdefault(_name, _value)

PG_URL_VARIABLE = "TINKERLAB_TEST_PG_URL"
HOW_TO_START_PG = 'start one with: eval "$(bash scripts/start_postgres.sh)"'


@pytest.fixture(autouse=True)
def tinkerlab_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give each test its own TINKERLAB_HOME (journal, plots) and the default journal URL."""
    home = tmp_path / "tinkerlab-home"
    monkeypatch.setenv("TINKERLAB_HOME", str(home))
    monkeypatch.delenv("TINKERLAB_DB", raising=False)
    return home


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def journal_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty journal database: a SQLite file, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'journal.sqlite'}"
    else:
        yield from _fresh_pg_schema(request.getfixturevalue("pg_server"))


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres)])
def pg_journal_url(pg_server: Engine) -> Iterator[str]:
    """Like ``journal_url``, for the tests that only make sense on PostgreSQL."""
    yield from _fresh_pg_schema(pg_server)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Engine]:
    """An engine on the test server (autocommit), to create and drop each test's schema."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        if os.environ.get("TINKERLAB_REQUIRE_PG") == "1":
            pytest.fail(
                f"TINKERLAB_REQUIRE_PG=1 but {PG_URL_VARIABLE} is not set; {HOW_TO_START_PG}",
                pytrace=False,
            )
        pytest.skip(f"PostgreSQL tests need {PG_URL_VARIABLE}; {HOW_TO_START_PG}")
    from sqlalchemy import create_engine, text

    engine = create_engine(
        url, isolation_level="AUTOCOMMIT", connect_args={"options": "-c lock_timeout=10000"}
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        pytest.fail(
            f"{PG_URL_VARIABLE} is set but its server cannot be reached ({exc}); {HOW_TO_START_PG}",
            pytrace=False,
        )
    yield engine
    engine.dispose()


def _fresh_pg_schema(server: Engine) -> Iterator[str]:
    """Create an empty schema, yield a URL whose connections use it, then drop it.

    A schema is far cheaper to create than a database, and just as isolated: the URL sets the
    connection's ``search_path``, so every table, the journal's and Alembic's, lands in it.
    """
    from sqlalchemy import text

    schema = f"test_{uuid.uuid4().hex[:16]}"
    with server.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = server.url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
