"""Opening a journal: which database, how it is set up, and what a failure says."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tinkerlab.exceptions import JournalError
from tinkerlab.journal import Journal, open_journal
from tinkerlab.journal._engine import parse_url


def test_default_journal_is_a_sqlite_file_in_tinkerlab_home(tinkerlab_home):
    with open_journal() as journal:
        assert journal.url == f"sqlite:///{tinkerlab_home / 'journal.sqlite'}"
        assert (tinkerlab_home / "journal.sqlite").is_file()
        with journal._db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    with sqlite3.connect(tinkerlab_home / "journal.sqlite") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_tinkerlab_db_selects_the_database_and_an_explicit_url_wins(
    tmp_path, monkeypatch, make_run
):
    from_env = tmp_path / "from_env.sqlite"
    monkeypatch.setenv("TINKERLAB_DB", f"sqlite:///{from_env}")
    with Journal() as journal:
        journal.record_run(make_run(plots={}))
        assert journal.url == f"sqlite:///{from_env}"
    explicit = tmp_path / "explicit.sqlite"
    with Journal(f"sqlite:///{explicit}") as journal:
        assert journal.count_runs() == 0
    with Journal() as journal:
        assert journal.count_runs() == 1


def test_an_in_memory_journal_works_for_a_quick_look(make_run):
    with Journal("sqlite://") as journal:
        run_id = journal.record_run(make_run(plots={})).id
        journal.add_note(run_id, "in memory")
        assert [n.text for n in journal.notes(run_id)] == ["in memory"]


def test_password_is_masked_in_repr_but_kept_in_url(pg_journal_url):
    # The test server trusts local connections, so any password opens it.
    url = make_url(pg_journal_url).set(password="s3cret!")
    with Journal(url.render_as_string(hide_password=False)) as journal:
        assert "s3cret" not in repr(journal)
        assert "postgres:***@127.0.0.1" in repr(journal)
        assert "s3cret" not in journal.display_url
        assert make_url(journal.url).password == "s3cret!"
        assert journal.count_runs() == 0


def test_an_unreachable_server_names_the_url_without_its_password():
    url = "postgresql+psycopg://bob:s3cret@127.0.0.1:1/journal"  # nothing listens on port 1
    with pytest.raises(JournalError) as caught:
        Journal(url)
    message = str(caught.value)
    assert (
        "Could not open the journal at postgresql+psycopg://bob:***@127.0.0.1:1/journal" in message
    )
    assert "s3cret" not in message
    assert "Check that the PostgreSQL server is running" in message


def test_missing_psycopg_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes `import psycopg` fail
    with pytest.raises(JournalError, match=r"pip install 'tinkerlab\[postgres\]'") as caught:
        Journal("postgresql://bob:s3cret@db.example/journal")
    assert "postgresql+psycopg://bob:***@db.example/journal" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_sqlite_file_in_a_missing_folder_says_how_to_fix_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'journal.sqlite'}"
    with pytest.raises(JournalError, match=r"the folder .*/no/such' does not exist.*mkdir -p"):
        Journal(url)


def test_a_file_that_is_not_a_database_is_refused_with_its_url(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n" * 200)
    with pytest.raises(JournalError, match=r"Could not open the journal at sqlite:///.*notes.txt"):
        Journal(f"sqlite:///{path}")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://root@localhost/journal", "supports sqlite.*postgresql"),
        ("postgresql+psycopg2://u@h/db", "cannot use 'postgresql\\+psycopg2://u@h/db'"),
    ],
)
def test_unsupported_urls_are_refused(url, message):
    with pytest.raises(JournalError, match=message):
        Journal(url)


@pytest.mark.parametrize("url", ["postgresql://u@h/db", "postgres://u@h/db"])
def test_postgresql_urls_without_a_driver_use_psycopg(url):
    assert parse_url(url).drivername == "postgresql+psycopg"


def test_a_closed_journal_says_so(journal_url):
    journal = Journal(journal_url)
    journal.close()
    with pytest.raises(JournalError, match="was closed"):
        journal.count_runs()


def test_importing_the_journal_package_does_not_load_sqlalchemy():
    code = (
        "import sys, tinkerlab.journal; print(sorted({'sqlalchemy', 'alembic'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env()
    )
    assert out.stdout.strip() == "[]"


def test_a_database_error_while_reading_is_a_journal_error(journal_url):
    with Journal(journal_url) as journal:
        with journal._db.writing("change") as session:
            session.execute(text("DROP TABLE questions"))
            session.commit()
        with pytest.raises(JournalError, match="Could not read the journal at"):
            journal.questions()


def _env():
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def test_numbered_head_agrees_with_alembic():
    """Opening an up-to-date journal skips Alembic by trusting the file numbering."""
    from tinkerlab.journal._migrate import head_revision, numbered_head

    assert numbered_head() == head_revision()


def test_opening_an_up_to_date_journal_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    code = (
        "import sys\n"
        "from tinkerlab.journal import Journal\n"
        f"Journal({url!r}).close()\n"  # the first open migrates (imports Alembic)...
        "first = 'alembic' in sys.modules\n"
        "print(first)\n"
    )
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "True"
    )
    again = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert again == "False"  # ...a second process finds it at head and never loads Alembic
