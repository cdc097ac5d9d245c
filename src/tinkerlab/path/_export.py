"""Portfolio export: a recorded run as a GitHub-ready folder that reproduces its own numbers.

``tinkerlab export RUN_ID --out DIR`` writes::

    DIR/
      README.md          problem, data (source, licence, SHA-256), approach, results with
                         their spread, plots, what I predicted, what I noticed (my notes)
      train.py           the run's script, reading data/ by a relative path
      train.ipynb        the same as a notebook
      data/FILE          a copy of the data, checked against the run's fingerprint
      expected.json      the scores the run recorded (what the smoke test compares)
      test_reproduce.py  the smoke test: runs train.py and compares (python -m pytest)
      MODEL_CARD.md      the model card; model/ holds the artifact (skops) it describes
      plots/             the run's plots
      requirements.txt   pinned versions of what the script imports
      .gitignore, LICENSE

With ``git=True`` the folder becomes a repository with a first commit. The journal records
the export (an analysis of kind ``export``), so a project's status can show it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import InputError
from tinkerlab.journal import as_run
from tinkerlab.path._project import open_project, sha256_of
from tinkerlab.path._readme import write_readme

if TYPE_CHECKING:
    from tinkerlab.journal import Journal, RunEntry


@dataclass
class Exported:
    """What an export wrote, and where: a run's, an experiment's or a project's folder."""

    folder: Path
    run_id: int | None  # the run exported (None for an experiment or a project)
    files: list[str]  # relative to the folder
    notices: list[str] = field(default_factory=list)  # what to complete by hand
    commit: str | None = None  # the first commit's id, with git=True
    kind: str = "run"  # "run", "experiment" or "project"
    experiment_id: int | None = None  # the experiment exported
    project: str | None = None  # the project exported (its name)
    parts: list[str] = field(default_factory=list)  # a project's: the sub-folders written

    @property
    def subject(self) -> str:
        """What was exported, as people read it: ``run #12``, ``project churn``."""
        if self.kind == "experiment":
            return f"experiment #{self.experiment_id}"
        if self.kind == "project":
            return f"project {self.project}"
        return f"run #{self.run_id}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "kind": self.kind,
            "folder": str(self.folder),
            "run": self.run_id,
            "experiment": self.experiment_id,
            "project": self.project,
            "parts": self.parts,
            "files": self.files,
            "notices": self.notices,
            "commit": self.commit,
        }


def export_run(
    journal: Journal,
    run_id: int,
    out: str | Path,
    *,
    project: str | Path | None = None,
    git: bool = False,
    author: str | None = None,
    force: bool = False,
) -> Exported:
    """Write run *run_id* as a portfolio folder at *out* (see the module's docstring).

    Parameters
    ----------
    journal : Journal
        The journal that holds the run (and the notes and predictions the README quotes).
    run_id : int
        The run to export (``tinkerlab journal``).
    out : str or Path
        The folder to write; it must not exist, or be empty, unless *force*.
    project : str or Path, optional
        A project folder (``tinkerlab project new``): its problem statement, data source and
        licence go into the README.
    git : bool, default=False
        ``git init`` the folder and make a first commit.
    author : str, optional
        The name in LICENSE (default: git's ``user.name``, else "the author").

    Raises
    ------
    InputError
        If the run was on an in-memory table, its data file is gone or changed, or *out*
        holds files already.
    """
    entry = journal.get_run(run_id)
    folder = prepare_folder(Path(out).expanduser().resolve(), force)
    proj = open_project(project) if project is not None else None
    data_name = _copy_data(entry, folder)
    notices: list[str] = []
    run = as_run(entry, data_path=f"data/{data_name}")
    (folder / "train.py").write_text(run.script(), encoding="utf-8")
    (folder / "train.ipynb").write_text(run.notebook(), encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps(_expected(entry), indent=2) + "\n")
    (folder / "test_reproduce.py").write_text(_SMOKE_TEST, encoding="utf-8")
    plots = _copy_plots(entry, folder)
    _model_card(journal, entry, folder, notices)
    script = run.script()
    uses_tinkerlab = "from tinkerlab" in script or "import tinkerlab" in script
    (folder / "requirements.txt").write_text(_requirements(entry, uses_tinkerlab))
    who = write_licence(folder, author)
    readme = write_readme(journal, entry, proj, data_name, plots, notices, uses_tinkerlab)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    result = Exported(folder, entry.id, files, notices)
    if git:
        message = f"{entry.model} on {Path(entry.dataset).name}: exported from tinkerlab"
        message += f" (run #{entry.id})"
        result.commit = git_commit(folder, message, who)
    journal.record_analysis(
        "export", entry.dataset, {"run": entry.id, "out": str(folder), "files": files}
    )
    return result


def prepare_folder(folder: Path, force: bool) -> Path:
    """*folder*, made (or emptied with *force*): refused if it holds files already."""
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise InputError(
                f"{folder} is not empty. Fix: pick a new folder, or pass --force to write over it."
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _copy_data(entry: RunEntry, folder: Path) -> str:
    """Copy the run's data file into ``data/``, checked against the run's fingerprint."""
    rerun = f"tinkerlab run {{path}} --target {entry.recipe.get('target')}"
    return copy_data(entry.recipe.get("source", {}), entry.data_sha256, f"run #{entry.id}",
                     rerun, folder)  # fmt: skip


def copy_data(source: dict[str, Any], sha256: str, what: str, rerun: str, folder: Path) -> str:
    """Copy the data file a recipe's *source* names into ``folder/data/``; its file name.

    Refused when the data was an in-memory table, is gone, or no longer matches *sha256*
    (the numbers would not reproduce): *what* names the record ("run #12"), *rerun* the
    command that records it again (``{path}`` is the file's path).
    """
    if source.get("kind") == "frame" or not source.get("path"):
        raise InputError(
            f"{what.capitalize()} was trained on an in-memory table, which no script can read "
            "again. Fix: save it (frame.to_csv('data.csv', index=False)), run the file, and "
            "export that."
        )
    path = Path(source["path"])
    if not path.is_file():
        raise InputError(
            f"The data of {what} is gone from {path}. Fix: put the file back, or run "
            "it again on where it is now and export the new record."
        )
    if sha256_of(path) != sha256:
        raise InputError(
            f"{path} changed since {what} (its SHA-256 differs), so the exported "
            "script would not reproduce its numbers. Fix: run it again "
            f"({rerun.format(path=path)}) and export that."
        )
    (folder / "data").mkdir(exist_ok=True)
    shutil.copy2(path, folder / "data" / path.name)
    return path.name


def _expected(entry: RunEntry) -> dict[str, Any]:
    """The scores the script prints, as the journal recorded them."""
    label = entry.model

    def table(scores: dict[str, dict[str, float | None]]) -> dict[str, Any]:
        return {
            name: {k: s.get(k) for k in ("cv_mean", "cv_std", "test")} for name, s in scores.items()
        }

    return {label: table(entry.metrics), "baseline": table(entry.baseline)}


def _copy_plots(entry: RunEntry, folder: Path) -> list[str]:
    return copy_plots(entry.plot_paths, folder)


def copy_plots(paths: list[Path], folder: Path) -> list[str]:
    """Copy the record's plot files into ``folder/plots/``; their names."""
    names = []
    for path in paths:
        if path.is_file():
            (folder / "plots").mkdir(exist_ok=True)
            shutil.copy2(path, folder / "plots" / path.name)
            names.append(path.name)
    return names


def _model_card(journal: Journal, entry: RunEntry, folder: Path, notices: list[str]) -> None:
    """Save the artifact in ``model/`` (trained again, same seed) and copy its card."""
    from tinkerlab.serve import save_journal_run

    saved = save_journal_run(entry.id, folder / "model", db=journal.url)
    notices.extend(saved.notices)
    card = (folder / "model" / "model-card.md").read_text(encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def pin(name: str) -> str | None:
    """``name==version`` as installed here, or None if it is not installed."""
    try:
        return f"{name}=={version(name)}"
    except PackageNotFoundError:
        return None


def smoke_test_needs() -> list[str]:
    """The requirement lines of the smoke test: pytest, pinned when it is installed here,
    listed all the same where it is not (the exported test cannot run without it)."""
    return ["# The smoke test (python -m pytest):", pin("pytest") or "pytest"]


def _requirements(entry: RunEntry, uses_tinkerlab: bool) -> str:
    """Pinned versions of what the script (and the smoke test) import, as installed now."""
    names = ["numpy", "pandas", "scikit-learn", "scipy"]
    fmt = entry.recipe.get("source", {}).get("format")
    names += {"parquet": ["pyarrow"], "excel": ["openpyxl"]}.get(str(fmt), [])
    if uses_tinkerlab:
        names.append("tinkerlab")
    pins = [p for p in map(pin, names) if p]
    lines = ["# What train.py needs, pinned to the versions that produced the numbers.", *pins]
    return "\n".join([*lines, *smoke_test_needs()]) + "\n"


def write_licence(folder: Path, author: str | None) -> str:
    """Write ``.gitignore`` and the MIT ``LICENSE``; the author named in it."""
    (folder / ".gitignore").write_text(_GITIGNORE)
    who = author or _git_user() or "the author"
    (folder / "LICENSE").write_text(_MIT.format(year=datetime.now(UTC).year, author=who))
    return who


def _git_user() -> str | None:
    try:
        done = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def git_commit(folder: Path, message: str, who: str) -> str:
    """``git init`` and a first commit with *message*; the commit's id."""
    if shutil.which("git") is None:
        raise InputError("git is not installed. Fix: install git, or export without --git.")
    env = {**os.environ}
    env.setdefault("GIT_AUTHOR_NAME", who)
    env.setdefault("GIT_COMMITTER_NAME", who)
    env.setdefault("GIT_AUTHOR_EMAIL", "author@example.invalid")
    env.setdefault("GIT_COMMITTER_EMAIL", "author@example.invalid")
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", message],
        ["git", "rev-parse", "HEAD"],
    ):
        done = subprocess.run(
            command, cwd=folder, capture_output=True, text=True, env=env, check=False
        )
        if done.returncode != 0:
            raise InputError(f"{' '.join(command)} failed in {folder}: {done.stderr.strip()}")
    return done.stdout.strip()


_GITIGNORE = """__pycache__/
.ipynb_checkpoints/
.pytest_cache/
.venv/
"""

_MIT = """MIT License (the code; the data keeps its own licence: see README.md)

Copyright (c) {year} {author}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

_SMOKE_TEST = '''"""Smoke test: train.py reproduces the scores in expected.json (run: pytest)."""

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
#: The script prints 4 decimals; another CPU or BLAS may move the last one or two.
TOLERANCE = 0.002
SCORE = re.compile(r"^\\s+(\\w+)\\s+cv (\\S+) ± (\\S+)\\s+test (\\S+)\\s*$")


def printed_scores(output):
    """{label: {metric: {"cv_mean", "cv_std", "test"}}} from the script's output."""
    blocks, label = {}, None
    for line in output.splitlines():
        match = SCORE.match(line)
        if match and label:
            mean, std, test = map(float, match.groups()[1:])
            blocks[label][match[1]] = {"cv_mean": mean, "cv_std": std, "test": test}
        elif line and not line[0].isspace():
            label = line.strip()
            blocks[label] = {}
    return blocks


def test_train_py_reproduces_the_recorded_scores():
    done = subprocess.run(
        [sys.executable, "train.py"], cwd=HERE, capture_output=True, text=True, check=True
    )
    printed = printed_scores(done.stdout)
    expected = json.loads((HERE / "expected.json").read_text())
    for label, metrics in expected.items():
        for metric, scores in metrics.items():
            for key, value in scores.items():
                if value is not None:
                    got = printed[label][metric][key]
                    assert abs(got - value) <= TOLERANCE, (label, metric, key, got, value)


if __name__ == "__main__":
    test_train_py_reproduces_the_recorded_scores()
    print("train.py reproduces expected.json")
'''
