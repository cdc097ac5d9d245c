"""Projects: seed 001's workflow on the learner's own data, each step proved by evidence.

``tinkerlab project new NAME --data FILE --target COL`` makes a folder::

    NAME/
      project.toml   the name, the target, the data file and its SHA-256, source, licence
      problem.md     the problem statement to fill in (its TODO lines)
      clean.py       a cleaning script to edit: reads data/FILE, writes data/clean.csv
      data/FILE      the data, copied (or referenced, with --no-copy)
      models/        where `tinkerlab save` puts the artifact
      monitoring/    where the drift report goes

Each step of :data:`STEPS` is a command, and its status comes from evidence: the folder's
files and the journal's records on the project's data (matched by SHA-256, raw or clean),
never from a tick.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import InputError, NotFoundError
from tinkerlab.path._checks import CheckResult, Where, failed, passed

if TYPE_CHECKING:
    from tinkerlab.data import Source
    from tinkerlab.journal import Journal
    from tinkerlab.path._labs import Lab

PROJECT_FILE = "project.toml"
CLEAN_FILE = "data/clean.csv"
_TODO = "TODO:"


@dataclass(frozen=True)
class Project:
    """A project folder, as ``project.toml`` describes it."""

    folder: Path
    name: str
    target: str
    data: str  # the data file, relative to the folder ("data/customers.csv") or absolute
    sha256: str  # of the data as it was when the project began
    source: str  # where the data comes from
    licence: str  # the data's licence

    @property
    def data_path(self) -> Path:
        """The data file on this machine."""
        path = Path(self.data)
        return path if path.is_absolute() else self.folder / path


@dataclass(frozen=True)
class StepStatus:
    """One step of the workflow: done or not, the evidence, and the command that does it."""

    name: str
    done: bool
    evidence: str  # what proves it, or what is missing
    command: str  # what to type (inside the project folder)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "step": self.name,
            "done": self.done,
            "evidence": self.evidence,
            "command": self.command,
        }


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_project(
    name: str,
    data: str | Path,
    target: str,
    *,
    where: str | Path = ".",
    copy: bool = True,
    source: str = "",
    licence: str = "",
) -> Project:
    """Make the folder of a new project on *data*, predicting column *target*.

    Parameters
    ----------
    name : str
        The project's name and folder (letters, digits, ``-`` and ``_``).
    data : str or Path
        The data file (CSV, Parquet, JSON, Excel); copied into ``data/`` unless *copy* is
        False, and its SHA-256 recorded either way.
    target : str
        The column to predict; it must be in the file.
    where : str or Path, default="."
        The folder to make the project in.
    source, licence : str
        Where the data comes from and its licence (the export's README shows them).

    Examples
    --------
    >>> project = new_project("churn", "customers.csv", "churned")  # doctest: +SKIP
    >>> project.data                                                 # doctest: +SKIP
    'data/customers.csv'
    """
    from tinkerlab.data import load

    clean = "".join(c for c in name if c.isalnum() or c in "-_")
    if not clean or clean != name:
        raise InputError(
            f"A project name uses letters, digits, '-' and '_' only; got {name!r}. "
            f"Fix: tinkerlab project new {clean or 'my-project'} ..."
        )
    file = Path(data).expanduser().resolve()
    if not file.is_file():
        raise InputError(
            f"There is no data file at {file}. Fix: name a CSV, Parquet, JSON or Excel file."
        )
    folder = Path(where).expanduser().resolve() / name
    if folder.exists():
        raise InputError(f"{folder} exists already. Fix: pick another name, or remove it first.")
    dataset = load(file, target=target)  # checks the file reads and has the target
    folder.mkdir(parents=True)
    for sub in ("data", "models", "monitoring"):
        (folder / sub).mkdir()
    stored = str(file)
    if copy:
        shutil.copy2(file, folder / "data" / file.name)
        stored = f"data/{file.name}"
    project = Project(
        folder, name, target, stored, sha256_of(file), source or _TODO, licence or _TODO
    )
    (folder / PROJECT_FILE).write_text(_project_toml(project), encoding="utf-8")
    (folder / "problem.md").write_text(_problem_md(project, dataset.task or ""), encoding="utf-8")
    (folder / "clean.py").write_text(_clean_py(project, dataset.source), encoding="utf-8")
    (folder / ".gitignore").write_text("models/\n__pycache__/\n.ipynb_checkpoints/\n")
    return project


def _quote(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def _project_toml(project: Project) -> str:
    return (
        "# A tinkerlab project: tinkerlab project status reads this file.\n"
        f"name = {_quote(project.name)}\n"
        f"target = {_quote(project.target)}\n"
        f"created = {_quote(datetime.now(UTC).isoformat(timespec='seconds'))}\n\n"
        "[data]\n"
        f"file = {_quote(project.data)}\n"
        f"sha256 = {_quote(project.sha256)}  # of the file when the project began\n"
        f"source = {_quote(project.source)}  # where it comes from (a URL, a person)\n"
        f"licence = {_quote(project.licence)}  # e.g. CC BY 4.0, or 'private'\n"
    )


def _problem_md(project: Project, task: str) -> str:
    return f"""# {project.name}: the problem

Predict `{project.target}` ({task}) from the other columns of `{project.data}`.
Replace each TODO line with your answer; `tinkerlab project status` counts them.

## Who needs this prediction, and what will they do with it?

{_TODO} one paragraph.

## What does a good result look like (which metric, how much better than guessing)?

{_TODO} one paragraph.

## What does a wrong prediction cost, each way?

{_TODO} one paragraph.
"""


def _clean_py(project: Project, source: Source) -> str:
    """The cleaning script: it reads the data exactly as tinkerlab read it (the same reader
    and options: separator, encoding, sheet), so its numbers and tinkerlab's agree."""
    from tinkerlab.data import reading_code

    name = Path(project.data).name
    reading = reading_code(replace(source, path=project.data), var="frame")
    return f'''"""Clean the raw data of {project.name}: edit it, then run it (python clean.py).

It reads {name}, applies the steps below and writes {CLEAN_FILE}; the next steps of the
workflow use the clean file. Keep each step one line with a comment that says why.
"""

import pandas as pd

# read as tinkerlab read it (tinkerlab run prints the same rows and columns)
{reading}print(f"read {{len(frame)}} rows, {{frame.shape[1]}} columns")

# 1. Exact duplicate rows say the same thing twice: keep one.
frame = frame.drop_duplicates()
# 2. Stray spaces make "yes" and "yes " two categories.
for column in frame.columns:
    if pd.api.types.is_string_dtype(frame[column]):
        frame[column] = frame[column].str.strip()
# 3. A row without the target cannot teach anything.
frame = frame.dropna(subset=[{project.target!r}])

frame.to_csv({CLEAN_FILE!r}, index=False)
print(f"wrote {{len(frame)}} rows to {CLEAN_FILE}")
'''


def open_project(folder: str | Path = ".") -> Project:
    """The project in *folder* (its ``project.toml``), or a NotFoundError that says how to start."""
    folder = Path(folder).expanduser().resolve()
    file = folder / PROJECT_FILE
    if not file.is_file():
        raise NotFoundError(
            f"{folder} is not a tinkerlab project (no {PROJECT_FILE}). Fix: cd into one, pass "
            "its folder, or start one: tinkerlab project new NAME --data FILE --target COLUMN"
        )
    try:
        spec = tomllib.loads(file.read_text(encoding="utf-8"))
        data = spec["data"]
        return Project(
            folder, spec["name"], spec["target"], data["file"], data["sha256"],
            data.get("source", _TODO), data.get("licence", _TODO),
        )  # fmt: skip
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise InputError(
            f"{file} is not a valid project file ({error}). Fix: repair it by hand."
        ) from error


def project_shas(project: Project) -> dict[str, str]:
    """The fingerprints of the project's data: the raw file's and the clean file's, if any."""
    shas = {project.sha256: Path(project.data).name}
    clean = project.folder / CLEAN_FILE
    if clean.is_file():
        shas[sha256_of(clean)] = CLEAN_FILE
    return shas


@dataclass
class _Evidence:
    """What the journal holds about the project's data, gathered once for every step."""

    runs: list[Any]
    experiments: list[Any]
    looks: list[Any]
    notes: list[Any]
    exports: list[Any]


def gather(journal: Journal, project: Project) -> _Evidence:
    """What the journal holds about the project's data: its runs, finished experiments,
    looks, notes and exports."""
    shas = project_shas(project)
    stems = {Path(p).stem for p in shas.values()}
    runs = [r for r in journal.list_runs(limit=None) if r.data_sha256 in shas]
    experiments = [
        e
        for e in journal.list_experiments(limit=None)
        if e.status == "finished"
        and e.spec.get("recipe", {}).get("source", {}).get("sha256") in shas
    ]
    looks = [a for a in journal.analyses("look", limit=None) if _looked_at(a, shas, stems)]
    notes: list[Any] = [n for r in runs for n in journal.notes(r.id)]
    notes += [n for e in experiments for n in journal.experiment_notes(e.id)]
    run_ids = {r.id for r in runs}
    experiment_ids = {e.id for e in experiments}
    exports = [
        a
        for a in journal.analyses("export", limit=None)
        if a.summary.get("run") in run_ids
        or a.summary.get("experiment") in experiment_ids
        or a.summary.get("sha256") == project.sha256  # the project's own export
    ]
    return _Evidence(runs, experiments, looks, notes, exports)


def _looked_at(look: Any, shas: Mapping[str, str], stems: set[str]) -> bool:
    """Whether *look* read the project's data: by its fingerprint (an edited file with the
    same name is other data), or by the file's name for a look recorded before looks kept
    one."""
    sha = look.summary.get("sha256")
    return sha in shas if sha else Path(look.dataset).stem in stems


def _problem(p: Project, ev: _Evidence) -> str | None:
    path = p.folder / "problem.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else _TODO
    return None if _TODO in text else "problem.md answers its questions"


def _data(p: Project, ev: _Evidence) -> str | None:
    path = p.data_path
    same = path.is_file() and sha256_of(path) == p.sha256
    return f"{p.data} matches its SHA-256" if same else None


def _cleaning(p: Project, ev: _Evidence) -> str | None:
    return f"{CLEAN_FILE} written by clean.py" if (p.folder / CLEAN_FILE).is_file() else None


def _eda(p: Project, ev: _Evidence) -> str | None:
    return f"look #{ev.looks[0].id}" if ev.looks else None


def _knob(*kinds: str) -> Callable[[Project, _Evidence], str | None]:
    def found(p: Project, ev: _Evidence) -> str | None:
        hits = [e for e in ev.experiments if e.knob_kind in kinds or e.knob in kinds]
        return f"experiment #{hits[0].id} ({hits[0].knob})" if hits else None

    return found


def _train(p: Project, ev: _Evidence) -> str | None:
    return f"run #{ev.runs[0].id} ({ev.runs[0].model})" if ev.runs else None


def _evaluate(p: Project, ev: _Evidence) -> str | None:
    curve = _knob("train_size", "seed")(p, ev)
    if curve:
        return curve
    return _about(ev.notes[0]) if ev.notes else None


def _about(note: Any) -> str:
    """Which record a note is about: "your note on run #3" or "... on experiment #2"."""
    from tinkerlab.journal import ExperimentNoteEntry

    if isinstance(note, ExperimentNoteEntry):
        return f"your note on experiment #{note.experiment_id}"
    return f"your note on run #{note.run_id}"


def _deploy(p: Project, ev: _Evidence) -> str | None:
    shas = project_shas(p)
    for meta in sorted((p.folder / "models").glob("*/meta.json")):
        saved = json.loads(meta.read_text(encoding="utf-8")).get("data", {}).get("sha256")
        if saved in shas:
            return f"artifact {meta.parent.relative_to(p.folder)}"
    return None


def _monitor(p: Project, ev: _Evidence) -> str | None:
    for report in sorted((p.folder / "monitoring").glob("*.json")):
        try:
            rows = json.loads(report.read_text(encoding="utf-8")).get("rows")
        except ValueError:
            continue
        if isinstance(rows, int) and rows > 0:
            return f"{report.relative_to(p.folder)}: drift over {rows} rows"
    return None


def _export(p: Project, ev: _Evidence) -> str | None:
    """The project's own export first: its parts' exports are recorded too, inside it."""
    whole = [a for a in ev.exports if a.summary.get("project") == p.name]
    found = (whole or ev.exports)[:1]
    return f"exported to {found[0].summary.get('out')}" if found else None


#: Seed 001's workflow, then the portfolio: (step, what proves it, the command that does it).
#: Commands are formatted with the project: {use} (the clean file once there is one, else
#: the raw data), {target}, {run} (the newest run on the data), {name}, {data}.
STEPS: tuple[tuple[str, Callable[[Project, _Evidence], str | None], str], ...] = (
    ("problem", _problem, "edit problem.md: answer its TODO lines"),
    ("data", _data, "sha256sum {data}  (tinkerlab project new copied it)"),
    ("cleaning", _cleaning, "python clean.py"),
    ("eda", _eda, "tinkerlab look {use} --target {target}"),
    (
        "features",
        _knob("features", "add_feature"),
        "tinkerlab tinker {use} --target {target} --knob features --predict differs",
    ),
    ("model", _knob("model"), "tinkerlab compare {use} --target {target} --budget 60"),
    ("train", _train, "tinkerlab run {use} --target {target} --model MODEL"),
    (
        "evaluate",
        _evaluate,
        "tinkerlab tinker {use} --target {target} --knob train_size --predict up",
    ),
    ("deploy", _deploy, "tinkerlab save {run} models/{name}"),
    (
        "monitor",
        _monitor,
        # serve runs until stopped: the other two go in a second terminal, rows before the report
        "tinkerlab serve models/{name} (leave it running), then in another terminal: "
        "tinkerlab predict http://127.0.0.1:8000 --file {use} && "
        "tinkerlab monitor http://127.0.0.1:8000 --json > monitoring/drift.json",
    ),
    ("export", _export, "tinkerlab export --out ../{name}-portfolio --git"),
)


def project_status(journal: Journal, folder: str | Path = ".") -> list[StepStatus]:
    """The workflow's steps for the project in *folder*, each done or not, with its evidence."""
    project = open_project(folder)
    ev = gather(journal, project)
    use = CLEAN_FILE if (project.folder / CLEAN_FILE).is_file() else project.data
    words = {
        "use": use,
        "target": project.target,
        "run": ev.runs[0].id if ev.runs else "RUN_ID",
        "name": project.name,
        "data": project.data,
    }
    out = []
    for name, prove, command in STEPS:
        found = prove(project, ev)
        out.append(StepStatus(name, found is not None, found or "not yet", command.format(**words)))
    return out


#: The steps lab 7.1 needs done (deploy and monitor need a running service: optional there).
FINAL_STEPS = ("problem", "data", "cleaning", "eda", "model", "train", "evaluate", "export")


def check_project(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A project on data tinkerlab does not ship, with the workflow's steps done and exported."""
    try:
        project = open_project(where.project or ".")
    except NotFoundError as error:
        return failed(
            lab,
            str(error).split(" Fix:")[0],
            "tinkerlab project new NAME --data FILE --target COLUMN",
        )
    steps = {s.name: s for s in project_status(journal, project.folder)}
    found = [f"{s.name}: {s.evidence}" for s in steps.values() if s.done]
    todo = [steps[name] for name in FINAL_STEPS if not steps[name].done]
    if todo:
        names = ", ".join(s.name for s in todo)
        return failed(
            lab, f"Project {project.name}: not done yet: {names}.", todo[0].command, found
        )
    return passed(lab, found, project=str(project.folder))
