"""Bring a journal database to the schema this tinkerlab expects, with Alembic, from code.

The revisions live inside the package (``migrations/versions/``), so a pip-installed tinkerlab
can migrate a journal without an ``alembic.ini``: :func:`alembic_config` builds the
configuration in code. :class:`~tinkerlab.journal.Journal` calls :func:`ensure_head` each time
it opens a database.

For developers, the same steps run from the shell (see ``docs/journal.md``)::

    python -m tinkerlab.journal._migrate revision -m "add experiments"   # new revision file
    python -m tinkerlab.journal._migrate current  [URL]                   # where a journal is
    python -m tinkerlab.journal._migrate upgrade  [URL]                   # to the newest
    python -m tinkerlab.journal._migrate downgrade REVISION [URL]         # back (loses data!)
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from tinkerlab._home import database_url
from tinkerlab.exceptions import JournalError
from tinkerlab.journal._engine import WRITE_TRANSACTION, create_journal_engine, mask, parse_url

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

# Alembic is imported inside the functions that use it: opening an up-to-date journal
# (every `tinkerlab run`) only reads the stamped revision, which plain SQLAlchemy can do.

#: Alembic's script directory: env.py, the revision template and versions/.
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Key of the PostgreSQL advisory lock held while migrating (any fixed number works; this
#: one is int("tinkerlab", 36)), so two processes opening a journal migrate one at a time.
PG_MIGRATION_LOCK = 83_274_042_389_123


def alembic_config(connection: Connection | None = None) -> Config:
    """Return Alembic's configuration for the journal, built in code.

    Parameters
    ----------
    connection : Connection, optional
        An open connection, already in a transaction, for ``migrations/env.py`` to migrate.
    """
    from alembic.config import Config

    config = Config()
    # Config values go through configparser, where "%" starts an interpolation.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest schema revision this tinkerlab knows, e.g. ``"0001"``."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, f"no revisions in {MIGRATIONS_DIR}"
    return head


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """Return the database's schema revision(s); empty for a database never migrated."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_heads()


def numbered_head() -> str:
    """The newest revision by file name (``0002_....py`` → ``"0002"``), without Alembic.

    Our revisions are numbered in order (the ``revision`` command below writes the next
    number), so the largest number is the head; a test checks this equals Alembic's answer.
    """
    numbers = [p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py")]
    return max(numbers)


def stamped_revisions(connection: Connection) -> tuple[str, ...]:
    """The revision(s) recorded in ``alembic_version``, read with plain SQLAlchemy."""
    if not inspect(connection).has_table("alembic_version"):
        return ()
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return tuple(sorted(row[0] for row in rows))


def ensure_head(engine: Engine) -> None:
    """Migrate the database behind *engine* to :func:`head_revision`, if it is not there yet.

    Raises
    ------
    JournalError
        If the database was migrated by a newer tinkerlab, whose revisions we do not know.
    """
    with engine.connect() as connection:
        if stamped_revisions(connection) == (numbered_head(),):
            return  # already there: no need to load Alembic at all
    upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind *engine* up to *revision*, atomically."""
    with _migration_transaction(engine) as connection:
        _refuse_unknown_revisions(connection)
        from alembic import command

        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database behind *engine* down to *revision* (``"base"``: drop everything)."""
    with _migration_transaction(engine) as connection:
        _refuse_unknown_revisions(connection)
        from alembic import command

        command.downgrade(alembic_config(connection), revision)


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a transaction that only one process at a time can hold.

    Alembic reads the current revision inside this transaction, so a process that waited
    for the lock sees the other's work and has nothing left to do.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            with connection.begin():
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                connection.execute(lock, {"key": PG_MIGRATION_LOCK})
                yield connection
            return
        # SQLite cannot alter most of a table, so a migration may rebuild one: create a copy,
        # drop the original, rename the copy. With foreign keys on, that DROP would delete
        # every note through ON DELETE CASCADE. SQLite's documented procedure: switch them off
        # outside the transaction, check them before committing, switch them back on.
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")  # raw: SQLAlchemy would open a transaction
        try:
            # BEGIN IMMEDIATE (WRITE_TRANSACTION) holds the write lock until the commit.
            with connection.execution_options(**WRITE_TRANSACTION).begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise JournalError(
                        f"Migrating the journal at {mask(connection.engine.url)} would leave "
                        f"rows pointing at missing ones {broken[:3]}; nothing was changed. "
                        "Please report this as a tinkerlab bug."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _refuse_unknown_revisions(connection: Connection) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    for revision in current_revisions(connection):
        try:
            script.get_revision(revision)
        except CommandError:
            raise JournalError(
                f"The journal at {mask(connection.engine.url)} has schema revision "
                f"{revision!r}, written by a newer tinkerlab; this one knows revisions up to "
                f"{script.get_current_head()!r}. Upgrade tinkerlab (pip install -U tinkerlab), "
                "or use another journal with TINKERLAB_DB."
            ) from None


def new_revision(message: str) -> Path:
    """Write the next revision file, autogenerated from the models in ``_tables.py``.

    The models are compared with a scratch SQLite database migrated to the current head, so
    the new file holds exactly the changes made to the models since then.
    """
    from alembic import command
    from alembic.script import Script, ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    rev_id = f"{len(list(script.walk_revisions())) + 1:04d}"  # "0002", "0003", ...
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_journal_engine(parse_url(f"sqlite:///{scratch}/scratch.sqlite"))
        try:
            upgrade(engine)
            with engine.begin() as connection:
                created = command.revision(
                    alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id
                )
        finally:
            engine.dispose()
    assert isinstance(created, Script), created  # one revision, not a list or None
    return Path(created.path)


def main(argv: list[str] | None = None) -> None:
    """Run the developer commands listed in the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m tinkerlab.journal._migrate", description="Journal schema migrations."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("revision", help="autogenerate the next revision from _tables.py")
    make.add_argument("-m", "--message", required=True, help='e.g. "add experiments"')
    for name, what in [("current", "print a journal's revision"), ("upgrade", "migrate to head")]:
        commands.add_parser(name, help=what).add_argument("url", nargs="?")
    down = commands.add_parser("downgrade", help="migrate down to REVISION (loses data)")
    down.add_argument("revision", help='a revision id, or "base" to drop every table')
    down.add_argument("url", nargs="?")
    args = parser.parse_args(argv)

    if args.command == "revision":
        print(f"wrote {new_revision(args.message)}; read it, then run ruff format on it")
        return
    url = parse_url(database_url(args.url))
    engine = create_journal_engine(url)
    try:
        if args.command == "upgrade":
            upgrade(engine)
        elif args.command == "downgrade":
            downgrade(engine, args.revision)
        with engine.connect() as connection:
            print(f"{mask(url)}: revision {', '.join(current_revisions(connection)) or 'none'}")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
