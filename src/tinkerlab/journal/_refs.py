"""How a learner names a record on the command line: ``12`` or ``run:12`` is a run,
``e3`` or ``experiment:3`` an experiment (``#`` and ``r``/``exp`` are accepted too)."""

from __future__ import annotations

import re
from typing import Literal

RecordKind = Literal["run", "experiment"]

_REF = re.compile(r"(?:(run|r|experiment|exp|e):?)?#?(\d+)", flags=re.IGNORECASE)


def parse_record(text: int | str) -> tuple[RecordKind, int] | None:
    """``("run", 12)`` for ``"12"``/``"run:12"``, ``("experiment", 3)`` for ``"e3"``; None
    for anything else.

    >>> parse_record("e3"), parse_record("run:12"), parse_record(7), parse_record("three")
    (('experiment', 3), ('run', 12), ('run', 7), None)
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return "run", text
    match = _REF.fullmatch(str(text).strip())
    if match is None:
        return None
    return ("experiment" if (match[1] or "r").lower().startswith("e") else "run"), int(match[2])
