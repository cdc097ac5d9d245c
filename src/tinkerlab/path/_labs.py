"""Labs as data: one TOML file per lab in ``labs/``, read into frozen :class:`Lab` records.

A lab is a step of the path: what to do (goal, commands for the command line, Python and the
web lab), why it matters, hints in order, a solution, the check that decides it is done (a
kind from ``_checks.CHECKS`` and its parameters) and the labs it opens. Adding a lab is adding
a file; ``tests/path/test_labs.py`` checks every file against this schema, the check
registry and the command line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from tinkerlab.exceptions import NotFoundError

#: The phases of the path, in order: number -> (name, what the learner does in it).
PHASES: dict[int, tuple[str, str]] = {
    1: ("Run", "run working code on real data and read it"),
    2: ("Tinker", "change one thing at a time, predicting first"),
    3: ("Understand", "let theory fill the gaps your results opened"),
    4: ("Build", "use pre-trained models as parts"),
    5: ("Ship", "serve a model and watch it"),
    6: ("Scratch", "open the black box: algorithms from scratch"),
    7: ("Project", "your data, the whole workflow, a portfolio"),
}

_REQUIRED = (
    "id",
    "phase",
    "days",
    "title",
    "goal",
    "why",
    "hints",
    "solution",
    "commands",
    "check",
)


def day_range(first: int, last: int) -> str:
    """Days of the path in words: "day 3", or "days 4–5".

    >>> day_range(3, 3), day_range(4, 5)
    ('day 3', 'days 4–5')
    """
    return f"day {first}" if first == last else f"days {first}–{last}"


@dataclass(frozen=True)
class Lab:
    """One step of the learning path, read from ``labs/<id>_<name>.toml``."""

    id: str  # "2.3": phase, then the step within it
    phase: int  # a key of PHASES
    days: tuple[int, int]  # the days of the path it is meant for (first, last)
    title: str
    goal: str  # what to do, in one or two sentences
    why: str  # why it matters
    cli: tuple[str, ...]  # the commands to type
    python: tuple[str, ...]  # the same in Python, one line each
    web: str  # the web lab's page for it (tinkerlab lab), e.g. "/tinker"
    hints: tuple[str, ...]  # in order: the first gives least away
    solution: str
    check: dict[str, Any] = field(hash=False)  # {"kind": ..., parameters...}
    unlocks: tuple[str, ...] = ()  # the labs it opens

    @property
    def phase_name(self) -> str:
        """The phase's name: Run, Tinker, Understand, Build, Ship, Scratch, Project."""
        return PHASES[self.phase][0]

    @property
    def days_text(self) -> str:
        """The days it is meant for, in words: "day 3", "days 4–5"."""
        return day_range(*self.days)

    @property
    def key(self) -> tuple[int, ...]:
        """Sort key: "2.10" comes after "2.9"."""
        return tuple(int(part) for part in self.id.split("."))

    def to_dict(self) -> dict[str, Any]:
        """The lab as JSON-able data (``--json``, the web lab)."""
        return {
            "id": self.id,
            "phase": self.phase,
            "phase_name": self.phase_name,
            "days": list(self.days),
            "title": self.title,
            "goal": self.goal,
            "why": self.why,
            "commands": {"cli": list(self.cli), "python": list(self.python), "web": self.web},
            "hints": list(self.hints),
            "check": dict(self.check),
            "unlocks": list(self.unlocks),
        }


def parse_lab(text: str, where: str = "<lab>") -> Lab:
    """Read one lab from TOML *text*; a missing or mistyped field names the file and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{where}: not valid TOML ({error}).") from error
    missing = [name for name in _REQUIRED if name not in data]
    if missing:
        raise ValueError(f"{where}: the lab lacks {', '.join(missing)}.")
    commands = data["commands"]
    if "kind" not in data["check"]:
        raise ValueError(f"{where}: [check] needs a kind (one of tinkerlab.path.CHECKS).")
    first, last = data["days"]
    if data["phase"] not in PHASES or not 1 <= first <= last:
        raise ValueError(f"{where}: phase {data['phase']!r} or days {data['days']!r} is wrong.")
    return Lab(
        id=str(data["id"]),
        phase=int(data["phase"]),
        days=(int(first), int(last)),
        title=str(data["title"]),
        goal=str(data["goal"]),
        why=str(data["why"]),
        cli=tuple(commands.get("cli", ())),
        python=tuple(commands.get("python", ())),
        web=str(commands.get("web", "/")),
        hints=tuple(data["hints"]),
        solution=str(data["solution"]),
        check=dict(data["check"]),
        unlocks=tuple(data.get("unlocks", ())),
    )


@cache
def labs() -> tuple[Lab, ...]:
    """Every lab shipped with tinkerlab, in path order (1.1, 1.2, ..., 7.1).

    >>> [lab.id for lab in labs()][:3]
    ['1.1', '1.2', '1.3']
    """
    folder = resources.files("tinkerlab.path") / "labs"
    found = [
        parse_lab(entry.read_text(encoding="utf-8"), entry.name)
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    ]
    return tuple(sorted(found, key=lambda lab: lab.key))


def get_lab(lab_id: str) -> Lab:
    """The lab *lab_id* ("2.3"), or a :class:`NotFoundError` listing the ids there are.

    >>> get_lab("1.1").phase_name
    'Run'
    """
    for lab in labs():
        if lab.id == str(lab_id).strip():
            return lab
    ids = ", ".join(lab.id for lab in labs())
    raise NotFoundError(
        f"There is no lab {lab_id!r}. The labs are: {ids}. See them all with: tinkerlab path"
    )
