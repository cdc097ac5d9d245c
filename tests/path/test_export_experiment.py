"""Export of an experiment and of a project: the folders replay the journal's numbers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tinkerlab as tl
from tinkerlab.exceptions import InputError
from tinkerlab.journal import Journal

#: The scripts print 4 decimals; the journal holds the full floats.
PRINTED = 0.5e-4 + 1e-9
LINE = re.compile(r"^(.*\S)\s+(-?\d+\.\d+) ± (\d+\.\d+) \((\d+) folds\)$")
SRC = str(Path(tl.__file__).resolve().parents[1])


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run python in *folder* with only the tinkerlab under test importable (no user site)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = SRC
    return subprocess.run(
        [sys.executable, "-s", *args], cwd=folder, capture_output=True, text=True, env=env,
        timeout=600,
    )  # fmt: skip


def printed(output: str) -> dict[str, tuple[float, float, int]]:
    found = {}
    for line in output.splitlines():
        if match := LINE.match(line):
            found[match[1]] = (float(match[2]), float(match[3]), int(match[4]))
    return found


def assert_replays_the_journal(url: str, number: int, output: str) -> None:
    """Every finished value of experiment *number* is printed with the journal's numbers."""
    shown = printed(output)
    with Journal(url) as journal:
        entry = journal.get_experiment(number)
    metric = entry.spec["metric"]
    assert entry.points
    for point in entry.points:
        scores = [s for s in point.test[metric] if s is not None]
        mean = sum(scores) / len(scores)
        std = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
        got_mean, got_std, folds = shown[point.label]
        assert folds == len(scores)
        assert abs(got_mean - mean) <= PRINTED, (point.label, got_mean, mean)
        assert abs(got_std - std) <= PRINTED, (point.label, got_std, std)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, noisy_csv):
    """The overfitting sweep (predicted first), a comparison and a search, exported."""
    root = tmp_path_factory.mktemp("export_sweeps")
    url = f"sqlite:///{root / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(root / "home"))
        sweep = tl.tinker(
            noisy_csv, "max_depth", [1, 2, 4, 8, 16], target="label", model="decision_tree",
            predict="peak", repeats=1, db=url,
        )  # fmt: skip
        board = tl.compare(noisy_csv, target="label", models=["knn", "decision_tree"], db=url)
        found = tl.search(
            noisy_csv, target="label", model="knn",
            knobs={"n_neighbors": "1,5,15", "weights": "uniform,distance"}, db=url,
        )  # fmt: skip
        with Journal(url) as journal:
            journal.add_question("why does the deep tree do worse?", experiment_id=sweep.id)
            journal.add_experiment_note(sweep.id, "depth 16 memorises the noise")
        folders = {}
        for name, number in (("sweep", sweep.id), ("board", board.id), ("search", found.id)):
            done = tl.path.export(f"experiment:{number}", root / name, db=url)
            assert (done.kind, done.experiment_id) == ("experiment", number)
            folders[name] = (done.folder, number)
    return {"url": url, "folders": folders, "sweep": sweep}


def test_an_experiments_folder_has_its_files(exported):
    folder, _ = exported["folders"]["sweep"]
    for name in (
        "README.md", "sweep.py", "expected.json", "test_reproduce.py", "data/noisy.csv",
        "requirements.txt", ".gitignore", "LICENSE", "plots/curve.png",
    ):  # fmt: skip
        assert (folder / name).is_file(), name
    assert str(folder.parent) not in (folder / "sweep.py").read_text().replace(str(folder), "")
    assert "tinkerlab==" in (folder / "requirements.txt").read_text()


def test_the_readme_has_the_table_the_prediction_and_the_findings(exported):
    folder, number = exported["folders"]["sweep"]
    readme = (folder / "README.md").read_text()
    with Journal(exported["url"]) as journal:
        entry = journal.get_experiment(number)
    for point in entry.points:
        assert re.search(rf"^\| {point.label}( \*\*\(best\)\*\*)? \| \d\.\d{{4}} ± \d\.\d{{4}} \|",
                         readme, flags=re.M), point.label  # fmt: skip
    assert "I predicted **peak**" in readme
    outcome = {True: "right", False: "wrong", None: "not scored"}[entry.prediction.shape_hit]
    assert f"it was {entry.prediction.observed_shape} ({outcome})" in readme
    assert "**overfitting**" in readme
    assert "- Question: why does the deep tree do worse?" in readme
    assert "- depth 16 memorises the noise" in readme  # the experiment's note
    assert "![curve.png](plots/curve.png)" in readme


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sweep", "board", "search"])
def test_sweep_py_replays_the_journals_numbers_from_a_copy(exported, name, tmp_path):
    folder, number = exported["folders"][name]
    copy = tmp_path / "elsewhere"
    shutil.copytree(folder, copy)
    done = run_in(copy, "sweep.py")
    assert done.returncode == 0, done.stderr
    assert_replays_the_journal(exported["url"], number, done.stdout)


@pytest.mark.slow
def test_the_smoke_test_passes_and_can_fail(exported, tmp_path):
    folder, _ = exported["folders"]["sweep"]
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    command = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_reproduce.py"]
    ok = run_in(copy, *command)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    expected = json.loads((copy / "expected.json").read_text())
    first = next(iter(expected["points"]))
    expected["points"][first]["mean"] += 0.01
    (copy / "expected.json").write_text(json.dumps(expected))
    bad = run_in(copy, *command)
    assert bad.returncode == 1
    assert first in bad.stdout


def test_an_unfinished_experiment_is_refused(exported, tmp_path):
    _, sweep_id = exported["folders"]["sweep"]
    shutil.copy(exported["url"].removeprefix("sqlite:///"), tmp_path / "j.sqlite")
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    with Journal(url) as journal:
        journal.mark_experiment(sweep_id, "interrupted")  # as if it had been stopped
    with pytest.raises(InputError, match=rf"Experiment #{sweep_id} is interrupted.*--resume"):
        tl.path.export(f"e{sweep_id}", tmp_path / "out", db=url)


@pytest.mark.parametrize("subject", ["experiment:x", "nothing-here", "run:-1"])
def test_a_subject_that_names_nothing_is_refused(subject, tmp_path):
    with pytest.raises(InputError, match=r"Cannot tell what to export from .*Fix:"):
        tl.path.export(subject, tmp_path / "out", db=f"sqlite:///{tmp_path / 'j.sqlite'}")


def test_the_command_line_says_so_and_exits_2(tmp_path, capsys):
    from tinkerlab.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["export", "nowhere", "--out", str(tmp_path / "o"), "--db",
              f"sqlite:///{tmp_path / 'j.sqlite'}"])  # fmt: skip
    assert stop.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Cannot tell what to export" in err
    assert "Traceback" not in err


# --- a project ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_export(tmp_path_factory, noisy_csv):
    """A project with a run and a model comparison on its data, exported whole."""
    root = tmp_path_factory.mktemp("export_project")
    url = f"sqlite:///{root / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(root / "home"))
        project = tl.path.new_project("churn", noisy_csv, "label", where=root, licence="CC0")
        data = project.folder / "data" / "noisy.csv"
        run = tl.run(data, target="label", model="logistic_regression", db=url)
        board = tl.compare(data, target="label", models=["knn", "logistic_regression"], db=url)
        done = tl.path.export(project.folder, root / "portfolio", git=True, db=url)
    return {"url": url, "run": run, "board": board, "done": done, "project": project}


def test_a_project_export_holds_each_run_and_experiment(project_export):
    done = project_export["done"]
    run, board = project_export["run"], project_export["board"]
    assert (done.kind, done.project) == ("project", "churn")
    assert done.parts == [f"runs/run-{run.id}", f"experiments/experiment-{board.id}"]
    folder = done.folder
    assert (folder / f"runs/run-{run.id}/train.py").is_file()
    assert (folder / f"experiments/experiment-{board.id}/sweep.py").is_file()
    for name in ("problem.md", "project.toml", "data/noisy.csv", "pytest.ini", "LICENSE"):
        assert (folder / name).is_file(), name
    readme = (folder / "README.md").read_text()
    assert f"[run #{run.id}](runs/run-{run.id})" in readme  # the train step's evidence
    assert f"[experiment #{board.id}](experiments/experiment-{board.id})" in readme
    assert re.search(r"^\| \d+ \| cleaning \| no \| not yet: `python clean.py` \|$", readme, re.M)
    assert len(done.commit or "") == 40


def test_the_project_export_shows_in_its_status(project_export):
    steps = {
        s.name: s
        for s in tl.path.project_status(project_export["project"].folder, db=project_export["url"])
    }
    assert steps["export"].done


@pytest.mark.slow
def test_pytest_in_the_project_export_runs_every_parts_smoke_test(project_export, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(project_export["done"].folder, copy)
    done = run_in(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_a_project_with_no_work_is_refused(tmp_path, noisy_csv):
    project = tl.path.new_project("empty", noisy_csv, "label", where=tmp_path)
    with pytest.raises(InputError, match="has no run and no finished experiment"):
        tl.path.export(project.folder, tmp_path / "out", db=f"sqlite:///{tmp_path / 'j.sqlite'}")


def test_the_project_readme_names_the_best_model_by_name(project_export):
    # a comparison's summary keeps the best model's position only (0 for the first model)
    board = project_export["board"]
    readme = (project_export["done"].folder / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith(f"| [#{board.id}]"))
    assert f"| {board.best} |" in row, row


def test_the_project_readme_says_how_to_install_tinkerlab_and_pytest_is_required(
    project_export,
):
    folder = project_export["done"].folder
    readme = (folder / "README.md").read_text()
    assert "pip install /path/to/tinkerlab" in readme
    assert "not on PyPI" in readme
    requirements = (folder / "requirements.txt").read_text().splitlines()
    assert any(line.split("==")[0] == "pytest" for line in requirements)


def test_export_inside_a_project_folder_takes_that_project(project_export, tmp_path, monkeypatch):
    from tinkerlab.cli import main

    monkeypatch.chdir(project_export["project"].folder)
    out = tmp_path / "portfolio"
    with pytest.raises(SystemExit) as stop:
        main(["export", "--out", str(out), "--db", project_export["url"], "--json"])
    assert stop.value.code in (0, None)
    assert (out / "project.toml").is_file()
    assert (out / f"runs/run-{project_export['run'].id}/train.py").is_file()


def test_export_without_a_subject_outside_a_project_says_how_to_name_one(
    tmp_path, monkeypatch, capsys
):
    from tinkerlab.cli import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["export", "--out", str(tmp_path / "o"), "--db", f"sqlite:///{tmp_path / 'j.db'}"])
    assert stop.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "is not a project's folder (it has no project.toml)" in err
    assert "tinkerlab export ./my-project --out" in err


def test_best_label_reads_a_comparisons_position_and_a_sweeps_label():
    from types import SimpleNamespace

    from tinkerlab.path._export_sweep import best_label

    board = SimpleNamespace(summary={"best": 0}, spec={"labels": ["knn", "decision_tree"]})
    assert best_label(board) == "knn"  # position 0 is a best, not a missing one
    sweep = SimpleNamespace(summary={"best": 3, "best_label": "8"}, spec={"labels": []})
    assert best_label(sweep) == "8"
    assert best_label(SimpleNamespace(summary={"best": None}, spec={})) == "n/a"


def test_an_exported_sweep_counts_the_folds_adaptive_repeats_added():
    from types import SimpleNamespace

    from tinkerlab.path._export_sweep import expected_points

    point = SimpleNamespace(
        position=0, label="1", test={"accuracy": [0.5, 0.7]}, train={"accuracy": [1.0, 1.0]}
    )
    entry = SimpleNamespace(
        spec={"metric": "accuracy"},
        summary={"extra_folds": {"0": {"test": [0.9, None], "train": [0.8]}}},
        points=[point],
    )
    shown = expected_points(entry)["points"]["1"]
    assert shown["folds"] == 3  # two recorded, one added (the None fold failed)
    assert shown["mean"] == pytest.approx(0.7)
    assert shown["train_mean"] == pytest.approx(2.8 / 3)


def test_a_project_without_a_data_source_says_once_to_fill_in_project_toml(project_export):
    notices = project_export["done"].notices  # the fixture's project names no source
    about_data = [n for n in notices if "source and licence" in n or "data comes from" in n]
    assert about_data == [
        "project.toml: fill in [data] source and licence (the README says TODO), then export "
        "again with --force."
    ]


def test_the_project_readme_names_itself_as_the_export(project_export):
    readme = (project_export["done"].folder / "README.md").read_text()
    assert "| export | yes | this folder (`tinkerlab export`) |" in readme
    assert "1 run, 1 experiment" in readme
