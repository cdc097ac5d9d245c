"""Portfolio export: the folder reproduces its run's numbers from inside itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

import tinkerlab as tl
from tinkerlab.exceptions import InputError
from tinkerlab.journal import Journal
from tinkerlab.path._script import parse_scores

#: The script prints 4 decimals; the journal holds the full floats.
PRINTED = 0.5e-4 + 1e-9


@pytest.fixture(scope="module")
def exported(tmp_path_factory, noisy_csv):
    """A project run with a note and a predicted experiment, exported with --git."""
    root = tmp_path_factory.mktemp("export")
    url = f"sqlite:///{root / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(root / "home"))
        project = tl.path.new_project(
            "churn", noisy_csv, "label", where=root, source="made by a test", licence="CC0"
        )
        data = project.folder / "data" / "noisy.csv"
        run = tl.run(data, target="label", model="logistic_regression", db=url)
        with Journal(url) as journal:
            journal.add_note(run.id, "column c adds nothing")
        tl.tinker(data, "C", [0.01, 1.0, 100.0], target="label", model="logistic_regression",
                  predict="up", repeats=1, db=url)  # fmt: skip
        done = tl.path.export(run.id, root / "portfolio", project=project.folder, git=True, db=url)
    return {"url": url, "run": run, "done": done, "folder": root / "portfolio", "project": project}


def test_the_folder_has_every_file_a_repository_needs(exported):
    folder = exported["folder"]
    for name in (
        "README.md", "train.py", "train.ipynb", "data/noisy.csv", "expected.json",
        "test_reproduce.py", "MODEL_CARD.md", "model/model.skops", "requirements.txt",
        ".gitignore", "LICENSE", "plots/confusion_matrix.png",
    ):  # fmt: skip
        assert (folder / name).is_file(), name
    assert set(exported["done"].files) >= {"README.md", "train.py", "data/noisy.csv"}


def test_the_script_and_notebook_read_the_data_by_a_relative_path(exported):
    folder = exported["folder"]
    for name in ("train.py", "train.ipynb"):
        text = (folder / name).read_text()
        assert (
            'pd.read_csv(\\"data/noisy.csv\\")' in text or 'pd.read_csv("data/noisy.csv")' in text
        )
        assert str(exported["project"].folder) not in text


def test_the_exported_script_reproduces_the_runs_numbers(exported):
    done = subprocess.run(
        [sys.executable, "train.py"], cwd=exported["folder"], capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip
    printed = parse_scores(done.stdout)
    run = exported["run"]
    for name, scores in run.metrics.items():
        for key in ("cv_mean", "cv_std", "test"):
            assert abs(printed["logistic_regression"][name][key] - scores[key]) <= PRINTED
    assert (
        abs(printed["baseline"]["accuracy"]["test"] - run.baseline["accuracy"]["test"]) <= PRINTED
    )


def test_the_readme_tells_the_story_from_the_journal(exported):
    readme = (exported["folder"] / "README.md").read_text()
    run = exported["run"]
    acc = run.metrics["accuracy"]
    assert f"| accuracy | {acc['cv_mean']:.4f} ± {acc['cv_std']:.4f} | {acc['test']:.4f}" in readme
    assert "column c adds nothing" in readme  # the learner's note
    assert "Changing `C`: I predicted **up**" in readme  # the prediction and its outcome
    assert "- Source: made by a test" in readme
    assert "- Licence: CC0" in readme
    assert f"- SHA-256: `{run.data_sha256}`" in readme
    assert "![confusion_matrix.png](plots/confusion_matrix.png)" in readme
    assert "### Who needs this prediction" in readme  # the project's problem statement
    assert "problem.md still has TODO lines" in " ".join(exported["done"].notices)


def test_requirements_pin_the_versions_installed(exported):
    from importlib.metadata import version

    pins = (exported["folder"] / "requirements.txt").read_text()
    for name in ("pandas", "scikit-learn", "numpy"):
        assert f"{name}=={version(name)}" in pins
    assert "tinkerlab" not in pins  # the script imports nothing of ours


def test_git_made_one_clean_commit(exported):
    folder = exported["folder"]
    log = subprocess.run(["git", "log", "--oneline"], cwd=folder, capture_output=True, text=True)
    assert log.stdout.count("\n") == 1
    assert "exported from tinkerlab" in log.stdout
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True
    )
    assert status.stdout == ""
    assert exported["done"].commit
    assert len(exported["done"].commit) == 40


def test_the_export_is_recorded_and_shows_in_the_project(exported):
    with Journal(exported["url"]) as journal:
        (record,) = journal.analyses("export")
    assert record.summary["run"] == exported["run"].id
    status = {
        s.name: s for s in tl.path.project_status(exported["project"].folder, db=exported["url"])
    }
    assert status["export"].done
    assert str(exported["folder"]) in status["export"].evidence


@pytest.mark.slow
def test_the_smoke_test_passes_and_can_fail(exported, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(exported["folder"], copy)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_reproduce.py"]
    ok = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    expected = json.loads((copy / "expected.json").read_text())
    expected["logistic_regression"]["accuracy"]["cv_mean"] += 0.01
    (copy / "expected.json").write_text(json.dumps(expected))
    bad = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1
    assert "accuracy" in bad.stdout


@pytest.mark.slow
def test_the_script_runs_isolated_without_tinkerlab(exported, tmp_path):
    # Not a fresh virtual environment (that needs the network to install the pins): an
    # isolated interpreter (-I: no PYTHONPATH, no user site) in which importing tinkerlab
    # fails, run on a copy of the folder somewhere else. The numbers must not move.
    copy = tmp_path / "elsewhere"
    shutil.copytree(exported["folder"], copy)
    guard = "import sys; sys.modules['tinkerlab'] = None; exec(open('train.py').read())"
    done = subprocess.run(
        [sys.executable, "-I", "-c", guard], cwd=copy, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    printed = parse_scores(done.stdout)
    expected = json.loads((copy / "expected.json").read_text())
    for metric, scores in expected["logistic_regression"].items():
        assert abs(printed["logistic_regression"][metric]["test"] - scores["test"]) <= PRINTED


def test_a_folder_with_files_is_not_written_over(exported):
    with pytest.raises(InputError, match=r"is not empty.*--force"):
        tl.path.export(exported["run"].id, exported["folder"], db=exported["url"])


def test_changed_data_cannot_be_exported(exported, tmp_path):
    url = exported["url"]
    data = exported["project"].folder / "data" / "noisy.csv"
    saved = data.read_bytes()
    try:
        data.write_bytes(saved + b"0.1,0.2,0.3,yes\n")
        with pytest.raises(InputError, match=r"changed since run #\d+ \(its SHA-256 differs\)"):
            tl.path.export(exported["run"].id, tmp_path / "out", db=url)
    finally:
        data.write_bytes(saved)


def test_a_builtin_runs_readme_names_its_source_and_licence(tmp_path):
    run = tl.run("iris", model="knn")
    done = tl.path.export(run.id, tmp_path / "iris")
    readme = (done.folder / "README.md").read_text()
    info = tl.datasets()
    iris = next(d for d in info if d.name == "iris")
    assert f"- Licence: {iris.licence}" in readme
    assert re.search(r'read_csv\("data/iris\.csv\.gz"\)', (done.folder / "train.py").read_text())
    assert any("write the problem" in n for n in done.notices)


def test_requirements_list_pytest_even_where_it_is_not_installed(monkeypatch):
    from tinkerlab.path import _export

    real = _export.pin
    monkeypatch.setattr(_export, "pin", lambda name: None if name == "pytest" else real(name))
    lines = _export.smoke_test_needs()
    assert lines[-1] == "pytest"  # unpinned, but there: the smoke test imports it
    monkeypatch.setattr(_export, "pin", real)
    assert _export.smoke_test_needs()[-1].startswith("pytest==")


def test_a_readme_says_how_to_install_tinkerlab_only_when_the_script_imports_it():
    from tinkerlab.path._readme import reproduce_section

    needs = reproduce_section("python train.py\n", needs_tinkerlab=True)
    assert "pip install /path/to/tinkerlab" in needs
    assert needs.index("/path/to/tinkerlab") < needs.index("-r requirements.txt")
    assert "not on PyPI" in needs
    plain = reproduce_section("python train.py\n", needs_tinkerlab=False)
    assert "tinkerlab" not in plain
    assert "pip install -r requirements.txt\npython train.py\n" in plain
