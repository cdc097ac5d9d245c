"""The self-assessment checklist (seed 002): each "I can..." backed by evidence in the journal.

An item is met only when the journal holds the work that shows it; otherwise it says what
is missing and the command that makes it. The items are a table of plain data: a sentence
and a function from the journal's records to the evidence (or None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.path._checks import has_prediction

if TYPE_CHECKING:
    from tinkerlab.journal import Journal


@dataclass(frozen=True)
class ChecklistItem:
    """One statement of the checklist, met or not, with its evidence or the next command."""

    statement: str  # "I can ..."
    met: bool
    evidence: str  # what shows it, or what is missing
    command: str  # what to type to show it

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "statement": self.statement,
            "met": self.met,
            "evidence": self.evidence,
            "command": self.command,
        }


@dataclass
class _Records:
    """The journal's records, read once for every item."""

    runs: list[Any]
    experiments: list[Any]
    predictions: list[Any]
    done: set[str]
    answers: list[Any]
    exports: list[Any]
    cards_read: dict[str, int]


def _own_file(r: _Records) -> str | None:
    own = [e for e in r.runs if e.recipe.get("source", {}).get("kind") == "file"]
    return f"run #{own[0].id} on {Path(own[0].dataset).name}" if own else None


def _lab(lab_id: str) -> Callable[[_Records], str | None]:
    return lambda r: f"lab {lab_id}'s check passed" if lab_id in r.done else None


def _predicted(r: _Records) -> str | None:
    good = [e for e in r.experiments if e.status == "finished" and has_prediction(e)]
    return f"{len(good)} experiments predicted first" if len(good) >= 3 else None


def _calibrated(r: _Records) -> str | None:
    scored = [p for p in r.predictions if p.shape_hit is not None]
    hits = sum(bool(p.shape_hit) for p in scored)
    if len(scored) >= 3 and hits / len(scored) >= 0.5:
        return f"{hits} of {len(scored)} scored shapes right"
    return None


def _knob(*kinds: str) -> Callable[[_Records], str | None]:
    def found(r: _Records) -> str | None:
        hit = [e for e in r.experiments if e.status == "finished" and e.knob_kind in kinds]
        return f"experiment #{hit[0].id} ({hit[0].knob} on {hit[0].dataset})" if hit else None

    return found


def _finding(phenomenon: str, card: str) -> Callable[[_Records], str | None]:
    """The phenomenon detected in an experiment or a run of the learner's (lab 3.1 accepts
    either), and its card read."""

    def found(r: _Records) -> str | None:
        if card not in r.cards_read:
            return None
        records = [("experiment", e) for e in r.experiments] + [("run", e) for e in r.runs]
        for kind, entry in records:
            ids = {f.get("id") for f in entry.summary.get("phenomena", [])}
            if phenomenon in ids:
                return f"{phenomenon} in {kind} #{entry.id}, card {card} read"
        return None

    return found


def _explained(r: _Records) -> str | None:
    right = [a for a in r.answers if a.kind == "explain" and a.correct]
    return f"{len(right)} findings explained right in the test" if len(right) >= 2 else None


def _exported(r: _Records) -> str | None:
    """A project exported: a run's or an experiment's export alone is not a project."""
    projects = [a for a in r.exports if a.summary.get("project")]
    if not projects:
        return None
    summary = projects[0].summary
    return f"project {summary['project']} exported to {summary.get('out')}"


#: The checklist: (statement, evidence function, command that shows it).
ITEMS: tuple[tuple[str, Callable[[_Records], str | None], str], ...] = (
    (
        "I can train and evaluate a model on data of my own",
        _own_file,
        "tinkerlab run FILE --target COLUMN",
    ),
    ("I can read and change the code a run writes", _lab("1.3"), "tinkerlab path show 1.3"),
    (
        "I predict before I look",
        _predicted,
        "tinkerlab tinker titanic --knob max_depth --model decision_tree --predict peak",
    ),
    ("My predictions beat a coin toss", _calibrated, "tinkerlab journal predictions"),
    (
        "I can tell a real difference from noise",
        _finding("noise_dominated", "variance_confidence_intervals"),
        "tinkerlab theory variance_confidence_intervals",
    ),
    (
        "I know how much the seed alone moves a score",
        _knob("seed"),
        "tinkerlab tinker titanic --model random_forest --knob seed --values 0:9 --predict flat",
    ),
    (
        "I can recognise overfitting in my own results",
        _finding("overfitting", "overfitting"),
        "tinkerlab path show 3.1",
    ),
    (
        "I can tell whether more data would help",
        _knob("train_size"),
        "tinkerlab tinker penguins --knob train_size --predict up",
    ),
    ("I can compare models fairly", _knob("model"), "tinkerlab compare wine --budget 60"),
    ("I can explain what happened in my results", _explained, "tinkerlab path test"),
    ("I can ship a model others can call", _lab("5.1"), "tinkerlab path show 5.1"),
    (
        "I can take a project from problem to portfolio",
        _exported,
        "tinkerlab path show 7.1",
    ),
)


def checklist(journal: Journal) -> list[ChecklistItem]:
    """Every item of the self-assessment checklist, met or not, from the journal's evidence."""
    records = _Records(
        runs=journal.list_runs(limit=None),
        experiments=journal.list_experiments(limit=None),
        predictions=journal.predictions(),
        done={entry.lab_id for entry in journal.labs_done()},
        answers=journal.answers(),
        exports=journal.analyses("export", limit=None),
        cards_read=journal.cards_read(),
    )
    out = []
    for statement, prove, command in ITEMS:
        found = prove(records)
        out.append(ChecklistItem(statement, found is not None, found or "no evidence yet", command))
    return out
