"""The understanding test (seed 002): predict what a change does, explain what your results did.

Two kinds of question, each scored and kept in the journal (``test_answers``):

* **predict** — an experiment the learner has not run (a row of :data:`QUESTIONS`, on a
  built-in dataset): they predict the curve's shape, the experiment runs through the library
  exactly as ``tinkerlab tinker --predict`` would, and the shape it shows scores the answer.
* **explain** — a finding the detectors made in one of the learner's own experiments: they
  see its numbers and pick the explanation (multiple choice over the phenomena's
  descriptions), scored against the phenomenon detected.

Questions are drawn deterministically from the journal (the first not yet asked), so a
script can answer them: ``tinkerlab path test --predict peak --explain 2``.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import InputError

if TYPE_CHECKING:
    from tinkerlab.journal import AnswerEntry, ExperimentEntry, Journal

#: Experiments the test can draw: fast on the built-in data, and each teaches a shape.
#: (dataset, model, knob, values)
QUESTIONS: tuple[tuple[str, str, str, tuple[Any, ...]], ...] = (
    ("iris", "knn", "n_neighbors", (1, 3, 5, 10, 20, 40, 80)),
    ("wine", "decision_tree", "max_depth", (1, 2, 3, 4, 6, 8, 12)),
    ("breast_cancer", "logistic_regression", "C", (0.0001, 0.001, 0.01, 0.1, 1.0, 10.0)),
    ("penguins", "knn", "train_size", (0.1, 0.2, 0.4, 0.7, 1.0)),
    ("iris", "knn", "label_noise", (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)),
    ("diabetes", "ridge", "alpha", (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)),
)

SHAPES = ("up", "down", "peak", "valley", "flat")


@dataclass(frozen=True)
class PredictQuestion:
    """An experiment the learner has not run: predict the shape of its validation curve."""

    dataset: str
    model: str
    knob: str
    values: tuple[Any, ...]

    @property
    def text(self) -> str:
        """The question, in words."""
        shown = ", ".join(str(v) for v in self.values)
        return (
            f"On {self.dataset}, a {self.model} model, {self.knob} = {shown}: as {self.knob} "
            f"grows, what does the validation score do? ({', '.join(SHAPES)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, with the text."""
        return {
            **asdict(self),
            "values": list(self.values),
            "text": self.text,
            "choices": list(SHAPES),
        }


@dataclass(frozen=True)
class ExplainQuestion:
    """A finding in one of the learner's experiments: which explanation fits its numbers?"""

    experiment_id: int
    text: str  # the experiment and its numbers, without naming the finding
    choices: tuple[tuple[str, str], ...]  # (phenomenon id, its description), shuffled
    expected: tuple[str, ...]  # the phenomena the detectors found there

    def to_dict(self) -> dict[str, Any]:
        """JSON-able (the expected answer left out: the web lab shows it after answering)."""
        return {
            "experiment_id": self.experiment_id,
            "text": self.text,
            "choices": [{"id": i, "text": t} for i, t in self.choices],
        }


@dataclass(frozen=True)
class Scored:
    """An answer, scored: right, wrong, or (a curve too noisy to tell) not scored."""

    kind: str
    answer: str
    expected: str
    correct: bool | None
    experiment_id: int | None
    explanation: str  # what happened, in words

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return asdict(self)


def draw_prediction(journal: Journal) -> PredictQuestion | None:
    """The first experiment of :data:`QUESTIONS` whose dataset and knob the learner has not
    swept (rotating past those already asked); None when every one has been run."""
    ran = {(e.dataset, e.knob) for e in journal.list_experiments(limit=None)}
    fresh = [q for q in QUESTIONS if (q[0], q[2]) not in ran]
    if not fresh:
        return None
    asked = sum(a.kind == "predict" for a in journal.answers())
    dataset, model, knob, values = fresh[asked % len(fresh)]
    return PredictQuestion(dataset, model, knob, values)


def answer_prediction(journal: Journal, question: PredictQuestion, shape: str) -> Scored:
    """Run *question*'s experiment with *shape* as the prediction, and score it."""
    from tinkerlab import experiment
    from tinkerlab.insight import detect, unlocked_cards
    from tinkerlab.options import settle

    shape = shape.strip().lower()
    if shape not in SHAPES:
        raise InputError(f"A shape is one of {', '.join(SHAPES)}; got {shape!r}.")
    settings = settle(
        "tinker",
        {
            "dataset": question.dataset,
            "knob": question.knob,
            "values": list(question.values),
            "model": question.model,
            "predict": shape,
            "db": journal.url,
        },
    )
    result = experiment.tinker_settled(settings, store=journal, detect=detect)
    unlocked = unlocked_cards(journal)
    journal.record_unlocks([(card, trig, where) for card, (trig, where) in unlocked.items()])
    stored = journal.get_experiment(int(result.id or 0)).prediction
    observed = (stored.observed_shape if stored else None) or "unknown"
    correct = stored.shape_hit if stored else None
    journal.record_answer("predict", question.to_dict(), shape, observed, correct, result.id)
    if correct is None:
        words = f"The curve was {observed}: too noisy to score (not counted)."
    else:
        words = f"The curve went {observed}: you said {shape}, {'right' if correct else 'wrong'}."
    return Scored("predict", shape, observed, correct, result.id, words)


def _numbers(entry: ExperimentEntry) -> str:
    """The first and last values' mean training and validation scores, in words: the same
    numbers as the experiment's table (adaptive repeats' folds included)."""
    from tinkerlab.path._export_sweep import best_label, every_fold

    metric = str(entry.spec.get("metric", "")) or next(iter(entry.points[0].test), "")
    said = []
    for point in (entry.points[0], entry.points[-1]) if entry.points else ():
        train = every_fold(entry, point, "train", metric)
        test = every_fold(entry, point, "test", metric)
        if test:
            fit = f"training {sum(train) / len(train):.3f}, " if train else ""
            said.append(
                f"at {entry.knob} = {point.label}: {fit}validation {sum(test) / len(test):.3f}"
            )
    return f"{'; '.join(said)}; best value {best_label(entry)} ({metric})"


def draw_explanation(journal: Journal) -> ExplainQuestion | None:
    """A finding in the learner's own finished experiments (those not asked about first)."""
    from tinkerlab.insight import PHENOMENA

    asked = {a.question.get("experiment_id") for a in journal.answers() if a.kind == "explain"}
    found = [
        e for e in reversed(journal.list_experiments(limit=None))
        if e.status == "finished" and e.summary.get("phenomena")
    ]  # fmt: skip
    if not found:
        return None
    entry = next((e for e in found if e.id not in asked), found[0])
    entry = journal.get_experiment(entry.id)  # with its points
    expected = tuple(f["id"] for f in entry.summary["phenomena"] if f.get("id") in PHENOMENA)
    if not expected:
        return None
    rng = random.Random(entry.id)
    others = [p for p in PHENOMENA if p not in expected]
    choices = [expected[0], *rng.sample(others, 3)]
    rng.shuffle(choices)
    text = (
        f"In experiment #{entry.id} you changed {entry.knob} on {entry.dataset} "
        f"({entry.model}): {_numbers(entry)}. Which explains what happened?"
    )
    return ExplainQuestion(entry.id, text, tuple((c, PHENOMENA[c]) for c in choices), expected)


def answer_explanation(journal: Journal, question: ExplainQuestion, choice: int | str) -> Scored:
    """Score *choice* (1-based number, or a phenomenon id) against the detected finding."""
    ids = [c for c, _ in question.choices]
    if isinstance(choice, str) and choice.strip().isdigit():
        choice = int(choice)
    if isinstance(choice, int):
        if not 1 <= choice <= len(ids):
            raise InputError(f"Pick a choice from 1 to {len(ids)}; got {choice}.")
        picked = ids[choice - 1]
    elif choice in ids:
        picked = choice
    else:
        raise InputError(
            f"Pick a choice by number (1 to {len(ids)}) or id ({', '.join(ids)}); got {choice!r}."
        )
    correct = picked in question.expected
    data = {**question.to_dict(), "expected": list(question.expected)}
    journal.record_answer(
        "explain", data, picked, question.expected[0], correct, question.experiment_id
    )
    words = f"The detectors found {', '.join(question.expected)}: you picked {picked}, " + (
        "right." if correct else f"wrong (tinkerlab theory {_card(question.expected[0])})."
    )
    return Scored("explain", picked, question.expected[0], correct, question.experiment_id, words)


def _card(phenomenon: str) -> str:
    from tinkerlab.insight import READ_NEXT

    return READ_NEXT.get(phenomenon, phenomenon)


def score_record(journal: Journal) -> dict[str, Any]:
    """The understanding test's score over time: answers, right among the scored, history."""
    answers: list[AnswerEntry] = journal.answers()
    history, right, scored = [], 0, 0
    for a in answers:
        if a.correct is not None:
            scored += 1
            right += bool(a.correct)
        history.append({"when": a.created_at.isoformat(), "kind": a.kind, "correct": a.correct,
                        "share": None if not scored else round(right / scored, 3)})  # fmt: skip
    by_kind = {
        kind: {
            "answers": sum(a.kind == kind for a in answers),
            "right": sum(a.kind == kind and a.correct is True for a in answers),
        }
        for kind in ("predict", "explain")
    }
    return {
        "answers": len(answers),
        "scored": scored,
        "right": right,
        "share": None if not scored else round(right / scored, 3),
        "by_kind": by_kind,
        "history": history,
    }
