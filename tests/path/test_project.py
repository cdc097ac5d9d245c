"""Projects: the folder `project new` makes, and each step's status proved by evidence."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import tinkerlab as tl
from tinkerlab.exceptions import InputError, NotFoundError
from tinkerlab.path._project import project_shas, sha256_of


@pytest.fixture
def project(noisy_csv, tmp_path):
    return tl.path.new_project(
        "churn-study", noisy_csv, "label", where=tmp_path, source="a test", licence="CC0"
    )


def steps(project, url):
    return {s.name: s for s in tl.path.project_status(project.folder, db=url)}


def test_new_makes_the_folder_with_the_data_and_its_checksum(project, noisy_csv):
    folder = project.folder
    for name in ("project.toml", "problem.md", "clean.py", ".gitignore", "data/noisy.csv"):
        assert (folder / name).is_file(), name
    assert (folder / "models").is_dir()
    assert (folder / "monitoring").is_dir()
    assert project.sha256 == sha256_of(noisy_csv) == sha256_of(folder / "data/noisy.csv")
    again = tl.path.open_project(folder)
    assert (again.name, again.target, again.data, again.licence) == (
        "churn-study", "label", "data/noisy.csv", "CC0",
    )  # fmt: skip


def test_a_fresh_project_has_only_its_data_step_done(project):
    status = steps(project, "sqlite://")
    assert list(status) == [
        "problem", "data", "cleaning", "eda", "features", "model",
        "train", "evaluate", "deploy", "monitor", "export",
    ]  # fmt: skip
    assert [n for n, s in status.items() if s.done] == ["data"]
    assert status["cleaning"].command == "python clean.py"
    assert status["train"].command.startswith("tinkerlab run data/noisy.csv --target label")


def test_a_changed_data_file_undoes_the_data_step(project):
    (project.folder / "data/noisy.csv").write_text("a,label\n1,yes\n")
    assert not steps(project, "sqlite://")["data"].done


def test_the_steps_follow_the_work_on_the_projects_data(project, tmp_path):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    folder = project.folder
    text = (folder / "problem.md").read_text().replace("TODO: one paragraph.", "An answer.")
    (folder / "problem.md").write_text(text)
    done = subprocess.run([sys.executable, "clean.py"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(project_shas(project)) in (1, 2)  # clean.csv may equal the raw bytes
    tl.run(folder / "data/clean.csv", target="label", model="naive_bayes", db=url)
    tl.run("iris", model="knn", db=url)  # other data: proves nothing about the project
    status = steps(project, url)
    for name in ("problem", "data", "cleaning", "train"):
        assert status[name].done, name
    assert "naive_bayes" in status["train"].evidence
    for name in ("eda", "features", "model", "evaluate", "deploy", "monitor", "export"):
        assert not status[name].done, name
    (folder / "monitoring/drift.json").write_text(json.dumps({"rows": 40, "alarm": False}))
    assert steps(project, url)["monitor"].done


def test_bad_names_files_and_targets_are_refused(noisy_csv, tmp_path):
    with pytest.raises(InputError, match="letters, digits"):
        tl.path.new_project("my project!", noisy_csv, "label", where=tmp_path)
    with pytest.raises(InputError, match="no data file"):
        tl.path.new_project("p", tmp_path / "missing.csv", "label", where=tmp_path)
    with pytest.raises(Exception, match="nope"):
        tl.path.new_project("p", noisy_csv, "nope", where=tmp_path)
    assert not (tmp_path / "p").exists()  # nothing made for a bad target
    tl.path.new_project("p", noisy_csv, "label", where=tmp_path)
    with pytest.raises(InputError, match="exists already"):
        tl.path.new_project("p", noisy_csv, "label", where=tmp_path)


def test_a_folder_without_a_project_says_how_to_start_one(tmp_path):
    with pytest.raises(NotFoundError, match="tinkerlab project new NAME"):
        tl.path.open_project(tmp_path)


def test_the_final_lab_fails_until_the_project_is_exported(project):
    result = tl.path.check("7.1", project=project.folder, db="sqlite://")
    assert not result.passed
    assert "not done yet: problem, cleaning, eda" in result.missing
    assert result.next_command.startswith("edit problem.md")
    outside = tl.path.check("7.1", project=project.folder.parent, db="sqlite://")
    assert not outside.passed
    assert outside.next_command.startswith("tinkerlab project new")


def test_a_note_on_an_experiment_on_the_projects_data_is_evaluation(project, tmp_path):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    data = project.folder / "data/noisy.csv"
    other = tl.tinker("iris", "n_neighbors", [1, 15], model="knn", repeats=1, db=url)
    mine = tl.tinker(data, "n_neighbors", [1, 15], target="label", model="knn", repeats=1, db=url)
    with tl.open_journal(url) as journal:
        journal.add_experiment_note(other.id, "about iris: proves nothing here")
        assert not steps(project, url)["evaluate"].done
        journal.add_experiment_note(mine.id, "k=1 memorises the noise")
    status = steps(project, url)["evaluate"]
    assert status.done
    assert status.evidence == f"your note on experiment #{mine.id}"


def test_clean_py_reads_the_data_as_tinkerlab_did(tmp_path):
    # a European CSV: ';' between fields, ',' in numbers; pandas' defaults read one column
    raw = tmp_path / "plants.csv"
    raw.write_text(
        "soil;water;healthy\n" + "".join(f"{i % 7};{i * 3};{'yes' if i % 2 else 'no'}\n"
                                          for i in range(60)),
    )  # fmt: skip
    project = tl.path.new_project("plants", raw, "healthy", where=tmp_path)
    done = subprocess.run(
        [sys.executable, "clean.py"], cwd=project.folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    clean = tl.load(project.folder / "data/clean.csv", target="healthy")
    assert list(clean.frame.columns) == list(tl.load(raw, target="healthy").frame.columns)
    assert len(clean.frame) == 60


def test_after_cleaning_the_next_step_is_the_eda_of_the_clean_file(project, tmp_path):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    folder = project.folder
    done = subprocess.run([sys.executable, "clean.py"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    status = steps(project, url)
    assert status["cleaning"].done
    assert status["eda"].command == "tinkerlab look data/clean.csv --target label"
    assert status["export"].command == "tinkerlab export --out ../churn-study-portfolio --git"
    # the monitor step sends rows before it asks for the report (with none it is not done)
    monitor = status["monitor"].command
    assert "tinkerlab predict http://127.0.0.1:8000 --file data/clean.csv && " in monitor
    assert monitor.index("tinkerlab predict") < monitor.index("tinkerlab monitor")


def test_the_eda_step_counts_a_look_at_the_projects_data_not_at_a_namesake(project, tmp_path):
    """A look at another file that happens to share the data's name proves nothing; a
    look at the project's own bytes does (matched by fingerprint, as runs are)."""
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    namesake = tmp_path / "elsewhere" / "noisy.csv"
    namesake.parent.mkdir()
    namesake.write_text("x,label\n" + "".join(f"{i * 7 % 13},{'ab'[i % 2]}\n" for i in range(40)))
    tl.look(namesake, target="label", db=url)
    assert not steps(project, url)["eda"].done

    look = tl.look(project.folder / "data/noisy.csv", target="label", db=url)
    assert look.sha256 == project.sha256
    status = steps(project, url)["eda"]
    assert status.done
    assert status.evidence == f"look #{look.id}"
