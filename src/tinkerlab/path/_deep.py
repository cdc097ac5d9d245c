"""The checks of the deep-learning labs and of the from-scratch ladder.

* ``net_experiment``: finished experiments with a neural network (the registry's ``mlp_torch``,
  ``cnn``, ``text_rnn``, ``text_transformer``), the lab's knob, predicted first, and what the
  lab's question needs in the values: the models of an image ladder compared on the same
  folds, or learning rates spanning enough decades for one of them to diverge.
* ``ladder``: a ``tinkerlab scratch ladder`` recorded in the journal, its rungs scored and
  each NumPy rung above the baseline.

Both say ``pip install 'tinkerlab[deep]'`` when a failed check needs torch and it is missing.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from tinkerlab.path._checks import describe_experiment, failed, has_prediction, next_command, passed

if TYPE_CHECKING:
    from tinkerlab.journal import ExperimentEntry, Journal
    from tinkerlab.path._checks import CheckResult, Where
    from tinkerlab.path._labs import Lab

#: The registry's neural networks (docs/deep.md).
NETS = ("mlp_torch", "cnn", "text_rnn", "text_transformer")
#: What installs them.
DEEP_INSTALL = "pip install 'tinkerlab[deep]'"


def deep_missing() -> bool:
    """True when the ``deep`` extra (torch, skorch) is not installed."""
    return find_spec("torch") is None or find_spec("skorch") is None


def _or_install(lab: Lab, missing: str, found: list[str] | None = None) -> CheckResult:
    """A failed check; its next command installs the extra first when it is missing."""
    if deep_missing():
        return failed(
            lab,
            f"{missing} The neural networks need the deep extra (torch), which is not "
            f"installed: {DEEP_INSTALL}, then {next_command(lab)}",
            DEEP_INSTALL,
            found or [],
        )
    return failed(lab, missing, next_command(lab), found or [])


# --- net experiments -------------------------------------------------------------------------


def check_net_experiment(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A finished experiment changing the lab's knob of a neural network, as the lab asks."""
    knobs = [str(k) for k in lab.check.get("knobs", [])]
    predicted = bool(lab.check.get("predicted", True))
    every = [journal.get_experiment(e.id) for e in journal.list_experiments(limit=None)]
    ours = [e for e in every if e.knob in knobs and _fits(e, lab.check)]
    done = [e for e in ours if e.status == "finished"]
    good = [e for e in done if (has_prediction(e) or not predicted) and not _lacks(e, lab.check)]
    if good:
        return passed(lab, [describe_experiment(good[-1])], experiment=good[-1].id)
    need = _need(lab.check, knobs, predicted)
    notes = [_lacks(e, lab.check) or "it had no prediction made first" for e in done]
    if done:
        return _or_install(lab, f"{need}. Experiment #{done[-1].id}: {notes[-1]}.")
    unfinished = [e for e in ours if e.status in ("running", "interrupted")]
    if unfinished:
        return failed(
            lab,
            f"{need}. Experiment #{unfinished[0].id} is {unfinished[0].status}.",
            f"tinkerlab tinker --resume {unfinished[0].id}",
        )
    return _or_install(lab, f"{need}: none in your journal yet.")


def _fits(entry: ExperimentEntry, check: dict[str, Any]) -> bool:
    """On the lab's dataset, with a net (or, for a model comparison, with nets among them)."""
    dataset = check.get("dataset")
    if dataset and entry.dataset != dataset:
        return False
    if entry.knob == "model":
        return any(v in NETS for v in entry.spec.get("values", []))
    return entry.model in NETS


def _lacks(entry: ExperimentEntry, check: dict[str, Any]) -> str:
    """What the experiment's values lack for the lab's question ("" when nothing)."""
    values = list(entry.spec.get("values", []))
    wanted = [str(m) for m in check.get("models", [])]
    if wanted:
        missing = [m for m in wanted if m not in values]
        if missing:
            return f"it compared {', '.join(map(str, values))}, without {', '.join(missing)}"
    ratio = float(check.get("span", 0))
    numbers = [float(v) for v in values if isinstance(v, int | float) and v > 0]
    if ratio and (not numbers or max(numbers) / min(numbers) < ratio):
        got = f"{min(numbers):g} to {max(numbers):g}" if numbers else "no numbers"
        return f"its values span {got}, less than a factor {ratio:g}"
    return ""


def _need(check: dict[str, Any], knobs: list[str], predicted: bool) -> str:
    on = f" on {check['dataset']}" if check.get("dataset") else ""
    need = f"A finished experiment changing {' or '.join(knobs)} of a neural network{on}"
    if check.get("models"):
        need += f" comparing {', '.join(check['models'])}"
    if check.get("span"):
        need += f", its values spanning a factor of at least {float(check['span']):g}"
    return need + (", with a prediction made before it ran" if predicted else "")


# --- the from-scratch ladder -----------------------------------------------------------------


def check_ladder(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A recorded ``scratch ladder`` whose rungs were scored, each NumPy rung above the baseline."""
    dataset = lab.check.get("dataset")
    rungs = int(lab.check.get("rungs", 5))
    found = [
        a for a in journal.analyses("ladder", limit=None) if not dataset or a.dataset == dataset
    ]
    if not found:
        on = f" on {dataset}" if dataset else ""
        return failed(lab, f"No from-scratch ladder{on} in your journal yet.", next_command(lab))
    problems = []
    for analysis in reversed(found):  # the newest first
        problem = _ladder_problem(analysis.summary, rungs)
        if not problem:
            steps = [s for s in analysis.summary["steps"] if s["status"] == "done"]
            scores = ", ".join(f"{s['step']}: {s['cv_mean']:.3f}" for s in steps)
            return passed(
                lab,
                [f"ladder #{analysis.id} on {analysis.dataset}: CV accuracy by rung {scores}"],
                analysis=analysis.id,
            )
        problems.append(f"ladder #{analysis.id}: {problem}")
    if any("skipped" in p for p in problems) and deep_missing():
        return failed(
            lab, f"{problems[0]}. Install torch: {DEEP_INSTALL}, then climb again.", DEEP_INSTALL
        )
    return failed(lab, problems[0] + ".", next_command(lab))


def _ladder_problem(summary: dict[str, Any], rungs: int) -> str:
    """Why a recorded ladder does not pass ("" when it does)."""
    steps = summary.get("steps") or []
    done = [s for s in steps if s.get("status") == "done" and s.get("cv_mean") is not None]
    if len(done) < rungs:
        skipped = [f"{s['step']} ({s.get('note') or 'skipped'})" for s in steps if s not in done]
        return f"{len(done)} of the {rungs} rungs were scored; skipped: {', '.join(skipped)}"
    baseline = float(summary.get("baseline", 0.0))
    numpy_rungs = [s for s in done if "scratch" in str(s.get("name", ""))]
    low = [s for s in numpy_rungs if float(s["cv_mean"]) <= baseline]
    if low:
        names = ", ".join(f"{s['step']} ({s['cv_mean']:.3f})" for s in low)
        return (
            f"rungs {names} scored no better than always guessing the most frequent class "
            f"({baseline:.3f}): too few epochs to learn; climb again with --epochs 50"
        )
    return ""
