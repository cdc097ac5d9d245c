"""A recorded run read back as a Run writes exactly the script and notebook the run wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinkerlab.journal import as_run, open_journal


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tinkerlab as tl

    monkeypatch.setenv("TINKERLAB_HOME", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'journal.sqlite'}"
    return tl.run("iris", model="knn", db=url), url


def test_as_run_writes_the_script_and_notebook_the_run_wrote(recorded) -> None:
    run, url = recorded
    with open_journal(url) as journal:
        again = as_run(journal.get_run(run.id))
    assert again.script() == run.script()
    assert _sources(again.notebook()) == _sources(run.notebook())  # cell ids are random
    assert again.pipeline is None  # nothing was trained


def test_as_run_with_a_data_path_reads_the_data_from_there(recorded) -> None:
    run, url = recorded
    with open_journal(url) as journal:
        moved = as_run(journal.get_run(run.id), data_path="data/iris.csv")
    assert moved.recipe.source.path == "data/iris.csv"
    assert moved.script() != run.script()


def _sources(notebook: str) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(notebook)["cells"]]
