"""The path's Python API: each verb opens the journal (or uses one handed to it).

``tl.path.check("2.3")`` in a notebook is ``tinkerlab path check 2.3`` on the command line;
both call these functions, so they cannot disagree. Pass ``journal=`` to use a journal that
is already open (the web lab's), or ``db=`` to name another one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinkerlab.path import _checklist, _export, _progress, _project, _understanding
from tinkerlab.path._checks import CheckResult, Where

if TYPE_CHECKING:
    from tinkerlab.journal import Journal

T = TypeVar("T")


@contextmanager
def opened(journal: Journal | None, db: str | None) -> Iterator[Journal]:
    """*journal* as it is, or the journal at *db* opened for the block and closed after."""
    if journal is not None:
        yield journal
        return
    from tinkerlab.journal import Journal

    with Journal(db) as store:
        yield store


def _with(journal: Journal | None, db: str | None, call: Callable[[Journal], T]) -> T:
    with opened(journal, db) as store:
        return call(store)


def check(
    lab_id: str,
    *,
    script: str | Path | None = None,
    url: str = "http://127.0.0.1:8000",
    token: str | None = None,
    project: str | Path | None = None,
    timeout: float = 300.0,
    db: str | None = None,
    journal: Journal | None = None,
) -> CheckResult:
    """Check lab *lab_id* against your work; a pass is recorded in the journal.

    Parameters
    ----------
    lab_id : str
        The lab, e.g. ``"2.3"`` (``tinkerlab path`` lists them).
    script : str or Path, optional
        Your edited script (lab 1.3); default ``train.py`` in this folder.
    url, token : str, optional
        Your running service (labs 5.1 and 5.2).
    project : str or Path, optional
        Your project folder (lab 7.1); default this folder.
    timeout : float, default=300
        Seconds your script may run.

    Returns
    -------
    CheckResult
        ``passed``, ``found`` (the evidence), ``missing`` and ``next_command``.

    Examples
    --------
    >>> import tinkerlab as tl
    >>> result = tl.path.check("1.1", db="sqlite://")   # an empty journal
    >>> result.passed, result.next_command
    (False, 'tinkerlab run titanic')
    """
    where = Where(
        script=None if script is None else Path(script),
        url=url,
        token=token,
        project=None if project is None else Path(project),
        timeout=timeout,
    )
    return _with(journal, db, lambda j: _progress.check_lab(j, lab_id, where))


def status(*, db: str | None = None, journal: Journal | None = None) -> _progress.Progress:
    """Where you are on the path: labs done, the next lab, progress by phase and day."""
    return _with(journal, db, _progress.progress)


def next_step(journal: Journal) -> dict[str, Any]:
    """The next lab and the progress so far as plain data (the web lab's home page)."""
    return _progress.next_step(journal)


def checklist(
    *, db: str | None = None, journal: Journal | None = None
) -> list[_checklist.ChecklistItem]:
    """The self-assessment checklist, each item met or not from your journal's evidence."""
    return _with(journal, db, _checklist.checklist)


def draw_prediction(
    *, db: str | None = None, journal: Journal | None = None
) -> _understanding.PredictQuestion | None:
    """The understanding test's next experiment to predict (None: you have run them all)."""
    return _with(journal, db, _understanding.draw_prediction)


def answer_prediction(
    question: _understanding.PredictQuestion,
    shape: str,
    *,
    db: str | None = None,
    journal: Journal | None = None,
) -> _understanding.Scored:
    """Run *question*'s experiment with your *shape* prediction, and score it."""
    return _with(journal, db, lambda j: _understanding.answer_prediction(j, question, shape))


def draw_explanation(
    *, db: str | None = None, journal: Journal | None = None
) -> _understanding.ExplainQuestion | None:
    """A finding in your own experiments to explain (None: no finding yet)."""
    return _with(journal, db, _understanding.draw_explanation)


def answer_explanation(
    question: _understanding.ExplainQuestion,
    choice: int | str,
    *,
    db: str | None = None,
    journal: Journal | None = None,
) -> _understanding.Scored:
    """Score your *choice* (a number from 1, or a phenomenon id) against the finding."""
    return _with(journal, db, lambda j: _understanding.answer_explanation(j, question, choice))


def score(*, db: str | None = None, journal: Journal | None = None) -> dict[str, Any]:
    """The understanding test's score over time."""
    return _with(journal, db, _understanding.score_record)


def project_status(
    folder: str | Path = ".", *, db: str | None = None, journal: Journal | None = None
) -> list[_project.StepStatus]:
    """The workflow's steps for the project in *folder*, each done or not, with evidence."""
    return _with(journal, db, lambda j: _project.project_status(j, folder))


def export(
    subject: int | str | Path | None,
    out: str | Path,
    *,
    project: str | Path | None = None,
    git: bool = False,
    author: str | None = None,
    force: bool = False,
    db: str | None = None,
    journal: Journal | None = None,
) -> _export.Exported:
    """Write a run, an experiment or a project as a GitHub-ready portfolio folder at *out*.

    *subject* is a run's number (``12`` or ``"run:12"``), an experiment's
    (``"experiment:3"``, short ``"e3"``) or a project's folder (``"./churn-study"``); None
    means the project in the current folder (one with a ``project.toml``). The
    folder reproduces its own numbers: see ``docs/path.md``. *project* (for a run or an
    experiment) adds a project's problem, data source and licence to the README.

    >>> import tinkerlab as tl
    >>> tl.path.export("experiment:3", "portfolio/depth")  # doctest: +SKIP
    """
    kind, number, folder = parse_subject(subject)

    def write(j: Journal) -> _export.Exported:
        from tinkerlab.path._export_project import export_project
        from tinkerlab.path._export_sweep import export_experiment

        if kind == "project":
            return export_project(j, folder, out, git=git, author=author, force=force)
        if kind == "experiment":
            return export_experiment(
                j, number, out, project=project, git=git, author=author, force=force
            )
        return _export.export_run(
            j, number, out, project=project, git=git, author=author, force=force
        )

    return _with(journal, db, write)


def parse_subject(subject: int | str | Path | None) -> tuple[str, int, Path]:
    """What *subject* names: ``("run", 12, _)``, ``("experiment", 3, _)`` or
    ``("project", 0, folder)``; None names the project in the current folder."""
    from tinkerlab.exceptions import InputError
    from tinkerlab.journal import parse_record

    if subject is None:
        if (Path.cwd() / "project.toml").is_file():
            return "project", 0, Path.cwd()
        raise InputError(
            f"Name what to export: {Path.cwd()} is not a project's folder (it has no "
            "project.toml). Fix: cd into your project's folder and run tinkerlab export "
            "--out ../my-portfolio, or name it: tinkerlab export ./my-project --out "
            "../my-portfolio, tinkerlab export 12 --out ... (run 12), tinkerlab export e3 "
            "--out ... (experiment 3); tinkerlab journal lists runs and experiments."
        )
    text = str(subject).strip()
    record = parse_record(subject if isinstance(subject, int) else text)
    if record is not None and not (Path(text) / "project.toml").is_file():
        return record[0], record[1], Path()
    folder = Path(text).expanduser()
    if (folder / "project.toml").is_file():
        return "project", 0, folder
    raise InputError(
        f"Cannot tell what to export from {text!r}: it is not a run's number, an "
        "experiment's or a project's folder (one with a project.toml). Fix: tinkerlab export "
        "12 (run 12), tinkerlab export experiment:3, or tinkerlab export ./my-project "
        "(inside a project's folder, tinkerlab export --out DIR exports it; tinkerlab "
        "journal lists runs and experiments)."
    )
