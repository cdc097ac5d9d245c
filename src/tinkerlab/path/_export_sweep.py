"""Portfolio export of an experiment: a sweep, a comparison or a search, replayable.

``tinkerlab export experiment:3 --out DIR`` writes::

    DIR/
      README.md          the question, the table of values with their scores and spread,
                         what I predicted and how it was scored, the verdict, the findings,
                         the chart, my questions about it
      sweep.py           replays the experiment with tinkerlab (nothing recorded) and prints
                         one line per value: "label  mean ± std (N folds)"
      expected.json      those numbers as the journal recorded them, fold by fold
      test_reproduce.py  the smoke test: runs sweep.py and compares (python -m pytest)
      data/FILE          the data, checked against the experiment's fingerprint
      plots/             the experiment's chart
      requirements.txt   tinkerlab and what it computes with, pinned
      .gitignore, LICENSE

The numbers are reproducible because every fit of an experiment is seeded by the recipe's
seed and the fold's number, never by the worker or the order of completion
(``tinkerlab.experiment._evaluate``): the replay fits the same folds and gets the same scores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.path._export import (
    Exported,
    copy_data,
    copy_plots,
    git_commit,
    pin,
    prepare_folder,
    smoke_test_needs,
    write_licence,
)
from tinkerlab.path._project import open_project

if TYPE_CHECKING:
    from tinkerlab.journal import ExperimentEntry, Journal, PointEntry


def export_experiment(
    journal: Journal,
    experiment_id: int,
    out: str | Path,
    *,
    project: str | Path | None = None,
    git: bool = False,
    author: str | None = None,
    force: bool = False,
) -> Exported:
    """Write experiment *experiment_id* as a portfolio folder at *out* (see the module).

    Parameters
    ----------
    journal : Journal
        The journal that holds the experiment, its prediction and the questions about it.
    experiment_id : int
        The experiment (``tinkerlab journal experiments``): a ``tinker`` sweep, a
        ``compare`` or a ``search``. It must have finished.
    out : str or Path
        The folder to write; it must not exist, or be empty, unless *force*.
    project : str or Path, optional
        A project folder (``tinkerlab project new``): its data source and licence go into
        the README.
    git : bool, default=False
        ``git init`` the folder and make a first commit.
    author : str, optional
        The name in LICENSE (default: git's ``user.name``, else "the author").

    Raises
    ------
    InputError
        If the experiment has not finished, was on an in-memory table, or its data file is
        gone or changed; or *out* holds files already.
    """
    from tinkerlab.exceptions import InputError
    from tinkerlab.path._readme_sweep import write_sweep_readme

    entry = journal.get_experiment(experiment_id)
    if entry.status != "finished":
        raise InputError(
            f"Experiment #{entry.id} is {entry.status}, so its numbers are not all there. "
            f"Fix: finish it (tinkerlab tinker --resume {entry.id}) and export it then."
        )
    folder = prepare_folder(Path(out).expanduser().resolve(), force)
    proj = open_project(project) if project is not None else None
    recipe = entry.spec["recipe"]
    source = recipe.get("source", {})
    rerun = f"tinkerlab tinker {{path}} --target {recipe.get('target')} --knob {entry.knob}"
    data_name = copy_data(source, source.get("sha256"), f"experiment #{entry.id}", rerun, folder)
    notices: list[str] = []
    expected = expected_points(entry)
    (folder / "sweep.py").write_text(sweep_script(entry, f"data/{data_name}"), encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    (folder / "test_reproduce.py").write_text(_SMOKE_TEST, encoding="utf-8")
    plots = copy_plots([p for p in entry.plot_paths if p.suffix == ".png"], folder)
    (folder / "requirements.txt").write_text(_requirements(source.get("format")))
    who = write_licence(folder, author)
    readme = write_sweep_readme(journal, entry, proj, data_name, plots, expected, notices)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    result = Exported(folder, None, files, notices, kind="experiment", experiment_id=entry.id)
    if git:
        message = f"{kind_of(entry)} of {entry.knob} on {Path(entry.dataset).name}: exported from "
        result.commit = git_commit(folder, message + f"tinkerlab (experiment #{entry.id})", who)
    journal.record_analysis(
        "export", entry.dataset, {"experiment": entry.id, "out": str(folder), "files": files}
    )
    return result


def kind_of(entry: ExperimentEntry) -> str:
    """``tinker``, ``compare`` or ``search``: the command that made the experiment."""
    return str(entry.spec.get("kind") or "tinker")


def best_label(entry: ExperimentEntry) -> str:
    """The best value's label as the experiment's table names it ("8", "random_forest"),
    or "n/a" when nothing could be fitted.

    A sweep's and a search's summary keep it as ``best_label``; a comparison's keeps only
    the best model's position among the values (``best``, which may be 0).
    """
    summary = entry.summary
    if summary.get("best_label") is not None:
        return str(summary["best_label"])
    best = summary.get("best")
    if best is None:
        return "n/a"
    labels = [str(label) for label in entry.spec.get("labels") or []]
    return labels[best] if isinstance(best, int) and 0 <= best < len(labels) else str(best)


def expected_points(entry: ExperimentEntry) -> dict[str, Any]:
    """The validation scores of every finished value, as the experiment's table showed them."""
    metric = str(entry.spec.get("metric") or entry.summary.get("metric"))
    points = {}
    for point in entry.points:
        scores = every_fold(entry, point, "test", metric)
        if scores:
            points[point.label] = {
                "mean": sum(scores) / len(scores),
                "std": _std(scores),
                "folds": len(scores),
                "train_mean": _mean(every_fold(entry, point, "train", metric)),
            }
    return {"metric": metric, "points": points}


def every_fold(entry: ExperimentEntry, point: PointEntry, side: str, metric: str) -> list[float]:
    """*point*'s scores on every fold (*side* "train" or "test"), as the experiment's table
    counts them: the folds recorded with the point, then those adaptive repeats added after
    it was recorded (the summary's ``extra_folds``). Failed folds (None) are left out."""
    recorded = getattr(point, side).get(metric, [])
    extra = (entry.summary.get("extra_folds") or {}).get(str(point.position)) or {}
    return [float(v) for v in [*recorded, *(extra.get(side) or [])] if v is not None]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _std(values: list[float]) -> float:
    """The population standard deviation (NumPy's default), as tinkerlab's tables show."""
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)


def _requirements(fmt: Any) -> str:
    names = ["tinkerlab", "numpy", "pandas", "scikit-learn", "scipy"]
    names += {"parquet": ["pyarrow"], "excel": ["openpyxl"]}.get(str(fmt), [])
    pins = [p for p in map(pin, names) if p]
    lines = ["# What sweep.py needs, pinned to the versions that produced the numbers.", *pins]
    return "\n".join([*lines, *smoke_test_needs()]) + "\n"


# --- the script ---------------------------------------------------------------------------


def replay_call(entry: ExperimentEntry) -> tuple[str, dict[str, Any]]:
    """The public verb (``tinker``, ``compare``, ``search``) and the options that replay
    *entry* (its dataset is passed on its own: a built-in's name, or the copied file)."""
    spec = entry.spec
    recipe = spec["recipe"]
    source = recipe.get("source", {})
    options: dict[str, Any] = {}
    if source.get("kind") != "builtin":
        options["target"] = recipe["target"]
        read = source.get("read_options") or {}
        options.update({ours: read[k] for k, ours in _READING.items() if k in read})
    pre = recipe.get("preprocessing") or {}
    if pre.get("text_features", "tfidf") != "tfidf":
        options["text_features"] = pre["text_features"]
    kind = kind_of(entry)
    if kind == "compare":
        options["models"] = list(spec["values"])
        options["budget"] = spec.get("budget_s")
        if spec.get("timeout_s") is not None:
            options["timeout"] = spec["timeout_s"]
        options["race"] = bool(spec.get("racing"))
    else:
        options["model"] = recipe["model"]
        params = dict(recipe.get("params") or {})
        if kind == "search":
            options["knobs"] = _search_knobs(spec)
            options["strategy"] = spec.get("strategy", "grid")
            if options["strategy"] != "grid":
                options["candidates"] = len(spec["values"])
            options["race"] = bool(spec.get("racing"))
        else:
            params.pop(str(spec["knob"]), None)
            options["knob"] = spec["knob"]
            options["values"] = [v for v in spec["values"] if v is not None]
            if spec.get("mode"):
                options["mode"] = spec["mode"]
            if recipe.get("impl", "sklearn") != "sklearn":
                options["impl"] = recipe["impl"]
            if pre.get("add"):
                options["add"] = list(pre["add"])
        if params:
            options["params"] = params
    options.update(
        metric=spec.get("metric"),
        # the repeats it ended with: adaptive repeats may have added some after the first look
        repeats=entry.summary.get("repeats") or spec.get("repeats", 1),
        cv=recipe.get("cv_folds"),
        test_size=recipe.get("test_size"),
        seed=recipe.get("seed"),
        record=False,
    )
    return kind, options


#: A source's read options, by the name the verbs take them under.
_READING = {"sep": "sep", "encoding": "encoding", "sheet_name": "sheet"}


def _search_knobs(spec: dict[str, Any]) -> dict[str, str]:
    """Each knob's values in the order the grid met them (a random search: its domain)."""
    if spec.get("strategy", "grid") != "grid":
        # "C in 0.1:100 (log)" -> "0.1:100": the same domain and seed draw the same settings
        return {
            text.split(" in ", 1)[0]: text.split(" in ", 1)[1].split(" (", 1)[0].replace(" ", "")
            for text in spec.get("domains", [])
        }
    knobs: dict[str, list[Any]] = {name: [] for name in spec.get("knobs", [])}
    for setting in spec["values"]:
        for name, value in setting.items():
            if value not in knobs[name]:
                knobs[name].append(value)
    return {name: ",".join(_text(v) for v in values) for name, values in knobs.items()}


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def sweep_script(entry: ExperimentEntry, data: str) -> str:
    """``sweep.py``: replays *entry* with tinkerlab's public verb, prints each value's score."""
    from tinkerlab._version import __version__

    kind, options = replay_call(entry)
    source = entry.spec["recipe"].get("source", {})
    builtin = source.get("kind") == "builtin"
    dataset = repr(source.get("name")) if builtin else f"str(HERE / {data!r})"
    body = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in options.items()) + "}"
    rows = _ROWS[kind]
    return _SCRIPT.format(
        what=f"{kind_of(entry)} of {entry.knob} with {entry.model} on {entry.dataset}",
        id=entry.id,
        version=__version__,
        kind=kind,
        dataset=dataset,
        options=body,
        rows=rows,
        metric=entry.spec.get("metric"),
    )


#: How each verb's result lists its values: (label, mean, std, folds) rows.
_ROWS = {
    "tinker": "[(r.label, r.cv_mean, r.cv_std, r.n_folds) for r in result.frame.itertuples()]",
    "compare": "[(r.model, r.mean, r.std, r.folds) for r in result.frame.itertuples()]",
    "search": (
        "[(c.label, float(np.mean(c.scores)), float(np.std(c.scores)), len(c.scores))\n"
        "        for c in result.candidates if c.scores]"
    ),
}

_SCRIPT = '''"""The {what}: journal experiment {id}, replayed.

Generated by tinkerlab {version}. Every fit is seeded by the recipe's seed and the fold's
number, so this prints the scores the journal recorded (expected.json; python -m pytest
compares them). Nothing is written to a journal.
Re-run it with: python sweep.py
"""

from pathlib import Path

import numpy as np

import tinkerlab as tl

HERE = Path(__file__).parent

# The experiment's settings, as recorded: the data, the model, the folds, the values.
options = {options}

result = tl.{kind}({dataset}, **options)

# One line per value: its validation {metric}, mean ± std over the folds it was scored on.
rows = {rows}
for label, mean, std, folds in rows:
    print(f"{{str(label):<40}} {{mean:.4f}} ± {{std:.4f}} ({{folds}} folds)")
print()
print(result.verdict_text())
'''

_SMOKE_TEST = '''"""Smoke test: sweep.py reproduces the scores in expected.json (run: pytest)."""

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
#: The script prints 4 decimals; another CPU or BLAS may move the last one or two.
TOLERANCE = 0.002
LINE = re.compile(r"^(.*\\S)\\s+(-?\\d+\\.\\d+) ± (\\d+\\.\\d+) \\((\\d+) folds\\)$")


def printed_points(output):
    """{label: (mean, std, folds)} from the script's output."""
    found = {}
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            found[match[1]] = (float(match[2]), float(match[3]), int(match[4]))
    return found


def test_sweep_py_reproduces_the_recorded_scores():
    done = subprocess.run(
        [sys.executable, "sweep.py"], cwd=HERE, capture_output=True, text=True, check=True
    )
    printed = printed_points(done.stdout)
    expected = json.loads((HERE / "expected.json").read_text())["points"]
    assert expected, "expected.json lists no point"
    for label, want in expected.items():
        mean, std, folds = printed[label]
        assert folds == want["folds"], (label, folds, want["folds"])
        assert abs(mean - want["mean"]) <= TOLERANCE, (label, mean, want["mean"])
        assert abs(std - want["std"]) <= TOLERANCE, (label, std, want["std"])


if __name__ == "__main__":
    test_sweep_py_reproduces_the_recorded_scores()
    print("sweep.py reproduces expected.json")
'''
