"""The checks: each looks for evidence in the learner's own work, never for a tick.

A lab's ``[check]`` names a kind of this table, :data:`CHECKS`, and its parameters. Each kind
is one function ``(journal, lab, where) -> CheckResult`` that reads the journal (runs,
experiments with their predictions and findings, questions, cards read, analyses, answers),
the learner's files (a script it runs, a project folder) or a live service (a request it
sends). A failed check says exactly what is missing and the next command to type.

The script check (``_script.py``), the service check (``_served.py``) and the project check
(``_project.py``) live in their own modules; this one holds the journal's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.journal import ExperimentEntry, Journal, RunEntry
    from tinkerlab.path._labs import Lab


@dataclass(frozen=True)
class Where:
    """Where a check looks beyond the journal: the learner's script, service and project."""

    script: Path | None = None  # the edited script (lab 1.3); default: train.py here
    url: str = "http://127.0.0.1:8000"  # the learner's service (labs 5.1, 5.2)
    token: str | None = None  # its bearer token, when it is bound beyond loopback
    project: Path | None = None  # the project folder (lab 7.1); default: this folder
    timeout: float = 300.0  # seconds a script may run before the check gives up


@dataclass(frozen=True)
class CheckResult:
    """What a check found: passed or not, the evidence, what is missing, what to type next."""

    lab_id: str
    passed: bool
    found: tuple[str, ...] = ()  # the evidence, in words ("run #4: knn on mine.csv")
    missing: str = ""  # what is missing, when it failed
    next_command: str = ""  # the next thing to type
    details: dict[str, Any] = field(default_factory=dict, compare=False)  # numbers, for --json

    def to_dict(self) -> dict[str, Any]:
        """JSON-able (``--json``, the web lab)."""
        return {
            "lab": self.lab_id,
            "passed": self.passed,
            "found": list(self.found),
            "missing": self.missing,
            "next": self.next_command,
            "details": self.details,
        }

    def __str__(self) -> str:
        head = f"Lab {self.lab_id}: " + ("passed" if self.passed else "not yet")
        lines = [head, *(f"  found: {item}" for item in self.found)]
        if not self.passed:
            lines.append(f"  missing: {self.missing}")
        if self.next_command:
            lines.append(f"  next: {self.next_command}")
        return "\n".join(lines)


def passed(lab: Lab, found: Sequence[str], **details: Any) -> CheckResult:
    """A passed check, pointing at the lab it opens."""
    after = f"tinkerlab path show {lab.unlocks[0]}" if lab.unlocks else "tinkerlab path"
    return CheckResult(lab.id, True, tuple(found), "", after, details)


def failed(lab: Lab, missing: str, command: str, found: Sequence[str] = ()) -> CheckResult:
    """A failed check: what is missing and the command that makes it."""
    return CheckResult(lab.id, False, tuple(found), missing, command)


def next_command(lab: Lab) -> str:
    """The command a failed check of *lab* suggests: its ``[check] next``, else its solution."""
    return str(lab.check.get("next", lab.solution))


# --- runs ------------------------------------------------------------------------------------


def primary_metric(entry: RunEntry) -> str:
    """The score a run shows first: accuracy for classification, RMSE for regression."""
    if entry.task == "regression" and "rmse" in entry.metrics:
        return "rmse"
    return next(iter(entry.metrics), "")


def describe_run(entry: RunEntry) -> str:
    """``run #4: knn on mine.csv (accuracy 0.83)``, with the run's primary score."""
    name = primary_metric(entry)
    scores = entry.metrics.get(name)
    score = scores.get("cv_mean") if scores else None
    shown = f" ({name} {score:.3f})" if isinstance(score, float) else ""
    return f"run #{entry.id}: {entry.model} on {entry.dataset}{shown}"


def _run_wanted(params: dict[str, Any]) -> tuple[str, Callable[[RunEntry], bool]]:
    """What a run check asks for, in words, and the test a run must pass."""
    source = params.get("source")
    impl = params.get("impl")
    features = params.get("text_features")
    words = {
        "builtin": "a run on a built-in dataset",
        "file": "a run on a file of your own (not a built-in dataset)",
        None: "a run",
    }[source]
    if impl:
        words += f" with --impl {impl}"
    if features:
        words += f" with --text-features {' or '.join(features)}"

    def fits(entry: RunEntry) -> bool:
        recipe = entry.recipe
        if source and recipe.get("source", {}).get("kind") != source:
            return False
        if impl and recipe.get("impl", "sklearn") != impl:
            return False
        chosen = recipe.get("preprocessing", {}).get("text_features", "tfidf")
        return not features or chosen in features

    return words, fits


def check_run(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A recorded run of the kind the lab asks for (built-in, own file, scratch, text)."""
    words, fits = _run_wanted(lab.check)
    runs = journal.list_runs(limit=None)
    hits = [entry for entry in runs if fits(entry)]
    if hits:
        return passed(lab, [describe_run(hits[-1])], run=hits[-1].id)
    seen = sorted({entry.dataset for entry in runs})
    counted = "Your one run so far is" if len(runs) == 1 else f"Your {len(runs)} runs so far are"
    have = f" {counted} on: {', '.join(seen)}." if runs else ""
    return failed(
        lab, f"No {words.removeprefix('a ')} in your journal yet.{have}", next_command(lab)
    )


# --- experiments -----------------------------------------------------------------------------


def describe_experiment(entry: ExperimentEntry) -> str:
    """``experiment #3: max_depth on titanic, predicted peak``."""
    guess = entry.prediction
    said = ""
    if guess is not None:
        parts = [guess.shape, guess.best_value, guess.best_score]
        said = ", predicted " + " / ".join(str(p) for p in parts if p is not None)
    return f"experiment #{entry.id}: {entry.knob} on {entry.dataset}{said}"


def has_prediction(entry: ExperimentEntry) -> bool:
    """The experiment had a prediction (shape, best value or score) made before it ran."""
    guess = entry.prediction
    if guess is None:
        return False
    return any(v is not None for v in (guess.shape, guess.best_value, guess.best_score))


def check_experiment(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """Finished experiments changing the lab's knob kinds, each predicted first if asked."""
    knobs = list(lab.check.get("knobs", []))
    count = int(lab.check.get("count", 1))
    predicted = bool(lab.check.get("predicted", True))
    every = journal.list_experiments(limit=None)
    kind = [e for e in every if not knobs or e.knob_kind in knobs or e.knob in knobs]
    done = [e for e in kind if e.status == "finished"]
    good = [e for e in done if has_prediction(e) or not predicted]
    if len(good) >= count:
        found = [describe_experiment(e) for e in good[:count]]
        return passed(lab, found, experiments=[e.id for e in good])
    what = " or ".join(knobs) if knobs else "any knob"
    need = f"{count} finished experiment{'s' if count > 1 else ''} changing {what}"
    need += ", each with a prediction made before it ran" if predicted else ""
    found = [describe_experiment(e) for e in good]
    unfinished = [e for e in kind if e.status in ("running", "interrupted")]
    if unfinished:
        e = unfinished[0]
        note = f" Experiment #{e.id} is {e.status}."
        return failed(
            lab, f"{need}; you have {len(good)}.{note}", f"tinkerlab tinker --resume {e.id}"
        )
    unpredicted = [e for e in done if not has_prediction(e)]
    note = ""
    if predicted and unpredicted:
        e = unpredicted[0]
        note = (
            f" Experiment #{e.id} ({e.knob} on {e.dataset}) had no prediction: a result seen "
            "before predicting does not count; run one again with --predict."
        )
    return failed(lab, f"{need}; you have {len(good)}.{note}", next_command(lab), found)


# --- understanding: findings, questions, cards, the math -------------------------------------


def _findings(summary: dict[str, Any]) -> set[str]:
    return {f.get("id", "") for f in summary.get("phenomena", []) if isinstance(f, dict)}


def check_question_on_finding(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A question linked to an experiment (or run) in which one of the phenomena was found."""
    wanted = set(lab.check.get("phenomena", []))
    names = " or ".join(sorted(wanted))
    experiments = [e for e in journal.list_experiments(limit=None) if _findings(e.summary) & wanted]
    runs = [r for r in journal.list_runs(limit=None) if _findings(r.summary) & wanted]
    if not experiments and not runs:
        return failed(
            lab,
            f"None of your experiments or runs shows {names} yet (tinkerlab explain "
            "--experiment ID lists an experiment's findings).",
            lab.cli[0],
        )
    asked = journal.questions()
    on_experiments = {e.id for e in experiments}
    on_runs = {r.id for r in runs}
    linked = [q for q in asked if q.experiment_id in on_experiments or q.run_id in on_runs]
    if linked:
        q = linked[-1]
        subject = f"experiment #{q.experiment_id}" if q.experiment_id else f"run #{q.run_id}"
        return passed(lab, [f"{subject} shows {names}", f"your question: {q.text!r}"])
    if experiments:
        subject, flag = f"Experiment #{experiments[0].id}", f"--experiment {experiments[0].id}"
    else:
        subject, flag = f"Run #{runs[0].id}", f"--run {runs[0].id}"
    return failed(
        lab,
        f"{subject} shows {names}, but you have asked no question about it yet.",
        f'tinkerlab why "why is the training score so much higher?" {flag}',
        [f"{subject.lower()} shows {names}"],
    )


def check_card_read(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A theory card unlocked by a phenomenon in the learner's work, then opened."""
    from tinkerlab.insight import PHENOMENA

    by_finding = [u for u in journal.unlocks() if u.trigger in PHENOMENA]
    if not by_finding:
        return failed(
            lab,
            "No card has been unlocked by a phenomenon in your work yet (cards unlocked by "
            "a first run or a knob do not count here).",
            "tinkerlab path show 3.1",
        )
    read = journal.cards_read()
    opened = [u for u in by_finding if u.card_id in read]
    if opened:
        u = opened[0]
        return passed(lab, [f"card {u.card_id}, unlocked by {u.trigger} in {u.source}, read"])
    u = by_finding[0]
    return failed(
        lab,
        f"Card {u.card_id} was unlocked by {u.trigger} in {u.source}, but not opened yet.",
        f"tinkerlab theory {u.card_id}",
    )


def check_math(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """At least ``count`` topics of the math timeline unlocked by the learner's work and read."""
    from tinkerlab.insight import math_timeline

    count = int(lab.check.get("count", 2))
    steps = math_timeline(journal)
    read = journal.cards_read()
    done = [s for s in steps if s.unlocked is not None and s.card in read]
    if len(done) >= count:
        return passed(
            lab, [f"{s.card}: unlocked by {s.unlocked[0]}, read" for s in done if s.unlocked]
        )
    unread = [s for s in steps if s.unlocked is not None and s.card not in read]
    command = f"tinkerlab theory {unread[0].card}" if unread else "tinkerlab path math"
    return failed(
        lab,
        f"{len(done)} of the {count} math topics needed are unlocked and read "
        f"({len(unread)} more unlocked but unread).",
        command,
    )


def check_test(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """At least ``count`` answers of the understanding test, ``share`` of the scored right."""
    count = int(lab.check.get("count", 3))
    share = float(lab.check.get("share", 0.5))
    answers = journal.answers()
    scored = [a for a in answers if a.correct is not None]
    right = sum(bool(a.correct) for a in scored)
    found = [f"{len(answers)} answers, {right} of {len(scored)} scored ones right"]
    if len(answers) < count:
        return failed(
            lab, f"{count} answers needed; you have {len(answers)}.", "tinkerlab path test", found
        )
    if not scored or right / len(scored) < share:
        return failed(
            lab,
            f"At least {share:.0%} of the scored answers must be right.",
            "tinkerlab path test",
            found,
        )
    return passed(lab, found)


def check_analysis(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """A recorded analysis of the lab's kind (``feedback``, ``look``)."""
    kind = str(lab.check.get("analysis", "feedback"))
    found = journal.analyses(kind, limit=1)
    if found:
        a = found[0]
        return passed(lab, [f"analysis #{a.id}: {kind} of {a.dataset}: {a.headline}".rstrip(": ")])
    return failed(lab, f"No {kind} analysis in your journal yet.", next_command(lab))


@dataclass(frozen=True)
class CheckKind:
    """One kind of check: what it looks at, and the function that looks."""

    name: str
    looks_at: str  # in words, for docs/path.md and `tinkerlab path show`
    run: Callable[[Journal, Lab, Where], CheckResult]


def _table() -> dict[str, CheckKind]:
    from tinkerlab.path._deep import check_ladder, check_net_experiment
    from tinkerlab.path._project import check_project
    from tinkerlab.path._script import check_script
    from tinkerlab.path._served import check_served

    kinds = [
        CheckKind("run", "your journal's runs (their data source, model and settings)", check_run),
        CheckKind("script", "your edited script: it runs it and compares its scores", check_script),
        CheckKind(
            "experiment",
            "your finished experiments and the predictions made first",
            check_experiment,
        ),
        CheckKind(
            "question_on_finding",
            "a question about an experiment showing the finding",
            check_question_on_finding,
        ),
        CheckKind("card_read", "theory cards your findings unlocked, and opened", check_card_read),
        CheckKind("math", "the math timeline's topics unlocked and read", check_math),
        CheckKind("test", "your understanding test answers", check_test),
        CheckKind("analysis", "your journal's analyses (feedback, look)", check_analysis),
        CheckKind("served", "your running service: it sends a request", check_served),
        CheckKind(
            "project", "your project folder and the journal's work on its data", check_project
        ),
        CheckKind(
            "net_experiment",
            "your finished experiments with a neural network (knob, values, prediction)",
            check_net_experiment,
        ),
        CheckKind(
            "ladder", "your recorded from-scratch ladder and its rungs' scores", check_ladder
        ),
    ]
    return {kind.name: kind for kind in kinds}


#: Every kind of check, by the name a lab's ``[check] kind`` gives.
CHECKS: dict[str, CheckKind] = _table()
