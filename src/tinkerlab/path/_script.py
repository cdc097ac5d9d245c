"""Lab 1.3's check: run the learner's edited script and compare its scores with its run's.

A generated script says which run it came from in its docstring ("from a run (journal run
12)") and prints one block of scores per model::

    logistic_regression
      accuracy           cv 0.7804 ± 0.0288  test 0.8015
    baseline
      accuracy           cv 0.6180 ± 0.0009  test 0.6183

The check runs the script in a subprocess (its own folder as the working directory, with a
timeout), reads those blocks back, and passes when the script was changed and its first
block's cross-validated primary score beats both the run it came from and the baseline.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.path._checks import CheckResult, Where, failed, passed, primary_metric

if TYPE_CHECKING:
    from tinkerlab.journal import Journal, RunEntry
    from tinkerlab.path._labs import Lab

#: A score line: "  accuracy           cv 0.7804 ± 0.0288  test 0.8015".
_SCORE = re.compile(
    r"^\s+(?P<metric>\w+)\s+cv (?P<mean>-?[\d.]+(?:e-?\d+)?|nan) ± "
    r"(?P<std>-?[\d.]+(?:e-?\d+)?|nan)\s+test (?P<test>-?[\d.]+(?:e-?\d+)?|nan)\s*$"
)
#: Metrics where lower is better (the script prints errors as positive numbers).
LOWER_IS_BETTER = ("rmse", "mae", "mse", "log_loss")


def parse_scores(output: str) -> dict[str, dict[str, dict[str, float]]]:
    """The blocks a generated script prints: ``{label: {metric: {cv_mean, cv_std, test}}}``.

    >>> out = "knn\\n  accuracy  cv 0.9500 ± 0.0200  test 0.9667\\n"
    >>> parse_scores(out)["knn"]["accuracy"]["test"]
    0.9667
    """
    blocks: dict[str, dict[str, dict[str, float]]] = {}
    label = None
    for line in output.splitlines():
        match = _SCORE.match(line)
        if match and label is not None:
            blocks[label][match["metric"]] = {
                "cv_mean": float(match["mean"]),
                "cv_std": float(match["std"]),
                "test": float(match["test"]),
            }
        elif line and not line[0].isspace():
            label = line.strip()
            blocks.setdefault(label, {})
    return {name: scores for name, scores in blocks.items() if scores}


def run_script(path: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run *path* with this Python, in its own folder (relative data paths work)."""
    return subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def origin_run(journal: Journal, text: str) -> RunEntry | None:
    """The journal run a script names in its docstring, else the newest on its dataset."""
    from tinkerlab.exceptions import NotFoundError

    named = re.search(r"journal run (\d+)\)", text)
    if named:
        try:
            return journal.get_run(int(named[1]))
        except NotFoundError:
            return None
    head = re.match(r'"""(\w+) on (\S+):', text)
    if head is None:
        return None
    runs = journal.list_runs(limit=1, dataset=head[2], model=head[1])
    return runs[0] if runs else None


def changed_lines(original: str, edited: str) -> int:
    """How many lines were changed, added or removed (blank lines and spacing ignored).

    A line edited in place counts once, not as one line removed and one added.

    >>> changed_lines("a = 1\nb = 2\n", "a = 1\nb = 3\n")
    1
    """
    strip = [" ".join(line.split()) for line in original.splitlines() if line.strip()]
    mine = [" ".join(line.split()) for line in edited.splitlines() if line.strip()]
    blocks = difflib.SequenceMatcher(a=strip, b=mine, autojunk=False).get_opcodes()
    # a replaced block of 2 lines by 3 is 3 lines changed: the longer side of each block
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in blocks if tag != "equal")


def check_script(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """The learner's script was changed, runs, and beats its run and the baseline."""
    from tinkerlab.journal import as_run

    path = (where.script or Path("train.py")).expanduser().resolve()
    make = "tinkerlab run titanic --model logistic_regression --script train.py"
    if not path.is_file():
        return failed(lab, f"There is no script at {path}: write one from a run first.", make)
    text = path.read_text(encoding="utf-8", errors="replace")
    entry = origin_run(journal, text)
    if entry is None:
        return failed(
            lab,
            f"{path.name} names no run of your journal (its docstring should say 'journal run "
            "N'): write it from a recorded run.",
            make,
        )
    edits = changed_lines(as_run(entry).script(), text)
    if edits == 0:
        return failed(
            lab,
            f"{path.name} is exactly as tinkerlab wrote it from run #{entry.id}: change a line "
            "first (section 4 builds the pipeline: a parameter, a column, the model).",
            f"python {path.name}",
        )
    return _compare(lab, path, entry, edits, where.timeout)


def _compare(lab: Lab, path: Path, entry: RunEntry, edits: int, timeout: float) -> CheckResult:
    """Run the script and compare its first block with the run and the baseline."""
    try:
        done = run_script(path, timeout)
    except subprocess.TimeoutExpired:
        return failed(lab, f"{path.name} ran for more than {timeout:.0f} s.", f"python {path}")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        return failed(lab, f"{path.name} failed: {last}", f"python {path}")
    blocks = parse_scores(done.stdout)
    metric = primary_metric(entry)
    mine = next((s for label, s in blocks.items() if label != "baseline"), None)
    if mine is None or metric not in mine:
        return failed(
            lab,
            f"{path.name} ran but printed no {metric} score block (keep the report() calls).",
            f"python {path}",
        )
    lower = metric in LOWER_IS_BETTER
    ours = mine[metric]["cv_mean"]
    theirs = float(entry.metrics[metric]["cv_mean"] or 0.0)
    baseline = blocks.get("baseline", {}).get(metric, {}).get("cv_mean")
    beats_run = ours < round(theirs, 4) if lower else ours > round(theirs, 4)
    beats_base = baseline is None or (ours < baseline if lower else ours > baseline)
    numbers: dict[str, Any] = {
        "metric": metric,
        "script": ours,
        "run": theirs,
        "baseline": baseline,
    }
    found = [
        f"{path.name} differs from run #{entry.id}'s script in {edits} line(s)",
        f"cv {metric}: {ours:.4f} (run #{entry.id}: {theirs:.4f}, baseline: {baseline})",
    ]
    if beats_run and beats_base:
        return passed(lab, found, **numbers)
    better = "lower" if lower else "higher"
    return failed(
        lab,
        f"The cross-validated {metric} must be {better} than run #{entry.id}'s {theirs:.4f}"
        f"{'' if beats_base else ' and the baseline'}; your script gets {ours:.4f}. "
        "Try another line: a parameter (C, max_depth) or another model, then check again.",
        f"tinkerlab path check 1.3 --script {path}",  # it runs the script itself
        found,
    )
