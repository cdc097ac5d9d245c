"""Where the learner is on the path: checks run and recorded, the next lab, progress by phase.

A lab is done once its check has passed; the journal keeps the first pass (``labs_done``).
:func:`refresh` runs the checks that only read the journal for the labs not done yet, so work
done without ``tinkerlab path check`` still counts; the checks that run a script, call a
service or read a project folder run only when asked (``tinkerlab path check ID``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tinkerlab.path._checks import CHECKS, CheckResult, Where
from tinkerlab.path._labs import PHASES, Lab, get_lab, labs

if TYPE_CHECKING:
    from tinkerlab.journal import Journal

#: Check kinds that read the journal only: cheap, run by :func:`refresh` on every ``path``.
JOURNAL_ONLY = (
    "run",
    "experiment",
    "question_on_finding",
    "card_read",
    "math",
    "test",
    "analysis",
    "net_experiment",
    "ladder",
)


def check_lab(
    journal: Journal, lab_id: str, where: Where | None = None, *, record: bool = True
) -> CheckResult:
    """Run lab *lab_id*'s check on the learner's work; record it in *journal* if it passed,
    and point the pass at the next lab to do."""
    result = _check(journal, get_lab(lab_id), where or Where(), record)
    if result.passed and record:
        refresh(journal)  # the labs your journal already proves are not "next"
        result = replace(result, next_command=_after_pass(journal))
    return result


def _check(journal: Journal, lab: Lab, where: Where, record: bool) -> CheckResult:
    """Run *lab*'s check; record a pass when *record*."""
    result = CHECKS[lab.check["kind"]].run(journal, lab, where)
    if result.passed and record:
        journal.record_lab_done(lab.id, result.found)
    return result


def _after_pass(journal: Journal) -> str:
    """Where to go after a pass: the first lab not done yet, in path order (the lab a pass
    opens may be done already), or the checklist once every lab is."""
    done = {entry.lab_id for entry in journal.labs_done()}
    upcoming = next((lab for lab in labs() if lab.id not in done), None)
    if upcoming is None:
        return "tinkerlab path checklist"
    return f"tinkerlab path show {upcoming.id}"


def refresh(journal: Journal) -> list[str]:
    """Run the journal-only checks of the labs not done yet; the ids of those that passed now."""
    done = {entry.lab_id for entry in journal.labs_done()}
    fresh = []
    for lab in labs():
        if lab.id in done or lab.check["kind"] not in JOURNAL_ONLY:
            continue
        if _check(journal, lab, Where(), record=True).passed:
            fresh.append(lab.id)
    return fresh


def hint(lab_id: str, number: int = 1) -> str:
    """Hint *number* (1 first, giving least away) of lab *lab_id*, with how many there are.

    >>> hint("1.1").startswith("Hint 1 of")
    True
    """
    lab = get_lab(lab_id)
    number = max(1, min(number, len(lab.hints)))
    more = f" (next: tinkerlab path hint {lab.id} {number + 1})" if number < len(lab.hints) else ""
    return f"Hint {number} of {len(lab.hints)}: {lab.hints[number - 1]}{more}"


@dataclass(frozen=True)
class Progress:
    """Where the learner stands: labs done, the next one, each phase, the day of the path."""

    done: dict[str, datetime]  # lab id -> when its check first passed
    next_lab: Lab | None  # the first lab not done, in path order (None: the path is done)
    day: int  # days since the journal's first record (1 on the first day)
    started: datetime | None  # the journal's first run or experiment

    @property
    def total(self) -> int:
        """How many labs the path has."""
        return len(labs())

    def phases(self) -> list[dict[str, Any]]:
        """Per phase: its name, days, labs done of labs."""
        out = []
        for number, (name, about) in PHASES.items():
            inside = [lab for lab in labs() if lab.phase == number]
            if not inside:
                continue
            out.append(
                {
                    "phase": number,
                    "name": name,
                    "about": about,
                    "days": [
                        min(lab.days[0] for lab in inside),
                        max(lab.days[1] for lab in inside),
                    ],
                    "done": sum(lab.id in self.done for lab in inside),
                    "labs": len(inside),
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the web lab's home page."""
        nxt = self.next_lab
        return {
            "done": {lab: when.isoformat() for lab, when in self.done.items()},
            "labs_done": len(self.done),
            "labs": self.total,
            "day": self.day,
            "started": None if self.started is None else self.started.isoformat(),
            "next": None if nxt is None else nxt.to_dict(),
            "command": None if nxt is None else (nxt.cli[0] if nxt.cli else nxt.solution),
            "phases": self.phases(),
        }


def progress(journal: Journal, *, refresh_checks: bool = True) -> Progress:
    """Where the learner stands on the path (running the journal-only checks first)."""
    if refresh_checks:
        refresh(journal)
    done = {entry.lab_id: entry.created_at for entry in journal.labs_done()}
    nxt = next((lab for lab in labs() if lab.id not in done), None)
    firsts = [entry.created_at for entry in journal.list_runs(limit=None)[-1:]]
    firsts += [entry.created_at for entry in journal.list_experiments(limit=None)[-1:]]
    firsts += list(done.values())
    started = min(firsts) if firsts else None
    day = 1 if started is None else (datetime.now(UTC) - started).days + 1
    return Progress(done, nxt, day, started)


def next_step(journal: Journal) -> dict[str, Any]:
    """The next lab and the progress so far, as plain data: what the web lab's home shows.

    ``{"next": {...lab...}, "command": "tinkerlab run titanic", "labs_done": 3, "labs": 20,
    "day": 4, "phases": [...], "test": {...the understanding test's score...}}``.
    """
    from tinkerlab.path._understanding import score_record

    data = progress(journal).to_dict()
    data["test"] = score_record(journal)
    return data
