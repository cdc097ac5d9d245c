"""Portfolio export of a project: its workflow, and every run and experiment on its data.

``tinkerlab export ./churn-study --out DIR`` writes::

    DIR/
      README.md        the problem, seed 001's workflow step by step with its evidence
                       (linked to the folders below), the runs and experiments in tables
      problem.md, project.toml, clean.py    the project's own files
      data/            its data (the raw file, and data/clean.csv once cleaned)
      runs/run-12/     each run on the project's data, exported (train.py reproduces it)
      experiments/experiment-3/   each finished experiment on it (sweep.py replays it)
      pytest.ini       so that ``python -m pytest`` here runs every smoke test below
      requirements.txt the union of the parts', pinned
      .gitignore, LICENSE

Each part is a folder of its own that reproduces its numbers from inside itself.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.path._checks import primary_metric
from tinkerlab.path._export import (
    Exported,
    export_run,
    git_commit,
    prepare_folder,
    write_licence,
)
from tinkerlab.path._export_sweep import best_label, export_experiment, kind_of
from tinkerlab.path._project import CLEAN_FILE, gather, open_project, project_status
from tinkerlab.path._readme import reproduce_section
from tinkerlab.path._readme_sweep import what_changed

if TYPE_CHECKING:
    from tinkerlab.journal import Journal
    from tinkerlab.path._project import Project, StepStatus


def export_project(
    journal: Journal,
    project: str | Path,
    out: str | Path,
    *,
    git: bool = False,
    author: str | None = None,
    force: bool = False,
) -> Exported:
    """Write the project in folder *project* as a portfolio folder at *out* (see the module).

    Parameters
    ----------
    journal : Journal
        The journal that holds the project's runs, experiments and notes.
    project : str or Path
        The project's folder (``tinkerlab project new``).
    out : str or Path
        The folder to write; it must not exist, or be empty, unless *force*. It may not
        lie inside the project's folder.
    git : bool, default=False
        ``git init`` the folder and make a first commit.
    author : str, optional
        The name in LICENSE (default: git's ``user.name``, else "the author").

    Raises
    ------
    InputError
        If the project has neither a run nor a finished experiment on its data, *out* lies
        inside the project, or a part cannot be exported (its data changed).
    """
    from tinkerlab.exceptions import InputError

    proj = open_project(project)
    target = Path(out).expanduser().resolve()
    if target == proj.folder or proj.folder in target.parents:
        raise InputError(
            f"{target} lies inside the project {proj.folder}. Fix: export next to it, "
            f"e.g. --out {proj.folder.parent / (proj.name + '-portfolio')}"
        )
    evidence = gather(journal, proj)
    evidence.experiments = [journal.get_experiment(e.id) for e in evidence.experiments]
    if not evidence.runs and not evidence.experiments:
        raise InputError(
            f"Project {proj.name} has no run and no finished experiment on its data yet: "
            "nothing to export. Fix: tinkerlab project status (in the project's folder) "
            "says what to do next."
        )
    folder = prepare_folder(target, force)
    _copy_own_files(proj, folder)
    notices: list[str] = []
    runs = [_part(journal, "run", r.id, folder, proj, notices) for r in evidence.runs]
    experiments = [
        _part(journal, "experiment", e.id, folder, proj, notices) for e in evidence.experiments
    ]
    steps = project_status(journal, proj.folder)
    (folder / "pytest.ini").write_text(_PYTEST_INI)
    who = write_licence(folder, author)
    requirements = _requirements(folder)
    (folder / "requirements.txt").write_text(requirements)
    needs_tinkerlab = any(line.startswith("tinkerlab") for line in requirements.splitlines())
    readme = _readme(proj, steps, evidence, runs, experiments, needs_tinkerlab)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    parts = [*runs, *experiments]
    result = Exported(folder, None, files, notices, kind="project", project=proj.name, parts=parts)
    if git:
        message = f"{proj.name}: a tinkerlab project, exported with its runs and experiments"
        result.commit = git_commit(folder, message, who)
    summary = {
        "project": proj.name,
        "sha256": proj.sha256,
        "runs": [r.id for r in evidence.runs],
        "experiments": [e.id for e in evidence.experiments],
        "out": str(folder),
        "files": files,
    }
    journal.record_analysis("export", proj.data, summary)
    return result


def _copy_own_files(proj: Project, folder: Path) -> None:
    for name in ("problem.md", "project.toml", "clean.py"):
        if (proj.folder / name).is_file():
            shutil.copy2(proj.folder / name, folder / name)
    (folder / "data").mkdir()
    if proj.data_path.is_file():
        shutil.copy2(proj.data_path, folder / "data" / proj.data_path.name)
    if (proj.folder / CLEAN_FILE).is_file():
        shutil.copy2(proj.folder / CLEAN_FILE, folder / CLEAN_FILE)


def _part(
    journal: Journal, kind: str, number: int, folder: Path, proj: Project, notices: list[str]
) -> str:
    """Export one run or experiment into ``runs/`` or ``experiments/``; its folder."""
    where = f"{kind}s/{kind}-{number}"
    if kind == "run":
        done = export_run(journal, number, folder / where, project=proj.folder)
    else:
        done = export_experiment(journal, number, folder / where, project=proj.folder)
    for notice in done.notices:  # the project's own (project.toml) once, a part's with its folder
        text = notice if notice.startswith("project.toml") else f"{where}: {notice}"
        if text not in notices:
            notices.append(text)
    return where


def _requirements(folder: Path) -> str:
    pins: list[str] = []
    for path in sorted(folder.glob("*/*/requirements.txt")):
        for line in path.read_text().splitlines():
            if line and not line.startswith("#") and line not in pins:
                pins.append(line)
    head = "# What every part's script and smoke test needs, pinned (the union of the parts')."
    return "\n".join([head, *sorted(pins, key=str.lower)]) + "\n"


def _readme(
    proj: Project,
    steps: list[StepStatus],
    evidence: Any,
    runs: list[str],
    experiments: list[str],
    needs_tinkerlab: bool,
) -> str:
    links = {f"run #{r.id}": f"runs/run-{r.id}" for r in evidence.runs}
    links |= {f"experiment #{e.id}": f"experiments/experiment-{e.id}" for e in evidence.experiments}
    problem = (proj.folder / "problem.md").read_text(encoding="utf-8")
    body = problem.split("\n", 1)[1] if problem.startswith("# ") else problem
    body = "\n".join(
        f"#{line}" if line.startswith("#") else line
        for line in body.splitlines()
        if "tinkerlab project status" not in line
    )
    parts = [
        f"# {proj.name}\n",
        f"Predict `{proj.target}` from `{Path(proj.data).name}`: a project that follows the "
        "workflow problem → data → cleaning → EDA → features → model → train → evaluate → "
        "deploy → monitor. Each run and experiment below is a folder that reproduces its own "
        "numbers (`python -m pytest` here checks them all).\n",
        "## Problem\n",
        body.strip() + "\n",
        "## Data\n",
        f"- File: `data/{proj.data_path.name}` (SHA-256 `{proj.sha256}`)\n"
        f"- Source: {proj.source or 'TODO'}\n- Licence: {proj.licence or 'TODO'}\n",
        "## The workflow, step by step\n",
        _steps(steps, links),
        "## Runs\n",
        _runs(evidence.runs),
        "## Experiments\n",
        _experiments(evidence.experiments),
        "## Reproduce\n",
        reproduce_section(
            "python -m pytest          # every part's script against its recorded numbers\n",
            needs_tinkerlab,
        ),
        f"\n*Exported by tinkerlab: {_count(len(runs), 'run')}, "
        f"{_count(len(experiments), 'experiment')}.*\n",
    ]
    return "\n".join(parts)


def _steps(steps: list[StepStatus], links: dict[str, str]) -> str:
    lines = ["| # | step | done | evidence |", "|---|---|---|---|"]
    for number, step in enumerate(steps, 1):
        evidence = step.evidence if step.done else f"not yet: `{step.command}`"
        if step.name == "export":  # this folder: not a path on the machine that wrote it
            step = replace(step, done=True)
            evidence = "this folder (`tinkerlab export`)"
        for text, link in links.items():
            if step.done and text in evidence:
                evidence = evidence.replace(text, f"[{text}]({link})")
        lines.append(f"| {number} | {step.name} | {'yes' if step.done else 'no'} | {evidence} |")
    return "\n".join(lines) + "\n"


def _runs(runs: list[Any]) -> str:
    if not runs:
        return "None.\n"
    lines = ["| run | model | cross-validated score (mean ± std) | test |", "|---|---|---|---|"]
    for r in runs:
        name = primary_metric(r)  # rmse for regression, as tinkerlab run shows it first
        s = r.metrics[name]
        lines.append(
            f"| [#{r.id}](runs/run-{r.id}) | {r.model} | {name} {s.get('cv_mean', 0):.4f} ± "
            f"{s.get('cv_std', 0):.4f} | {_num(s.get('test'))} |"
        )
    return "\n".join(lines) + "\n"


def _experiments(experiments: list[Any]) -> str:
    if not experiments:
        return "None.\n"
    lines = ["| experiment | what | best | prediction |", "|---|---|---|---|"]
    for e in experiments:
        p = e.prediction
        said = "none" if p is None else f"{p.shape or p.best_value} ({_outcome(p.shape_hit)})"
        best = best_label(e)
        lines.append(
            f"| [#{e.id}](experiments/experiment-{e.id}) | {kind_of(e)}: "
            f"{what_changed(e, kind_of(e))} | {best} | {said} |"
        )
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    """``1 run``, ``3 runs``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _outcome(hit: bool | None) -> str:
    return {True: "right", False: "wrong", None: "not scored"}[hit]


def _num(value: Any) -> str:
    return "n/a" if value is None else f"{value:.4f}"


#: Every part has a test_reproduce.py: importlib mode lets pytest collect them side by side.
_PYTEST_INI = """[pytest]
addopts = --import-mode=importlib
"""
