"""Notes about experiments, kept in the lab's folder.

The journal's notes table belongs to runs (``notes.run_id`` is required), so a note about
an experiment is kept beside the lab, one JSON line per note in
``<lab>/experiments/<uid>/notes.jsonl`` (the experiment's uid, which is unique across
journals). When the journal grows experiment notes, these move there.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tinkerlab.exceptions import InputError

if TYPE_CHECKING:
    from tinkerlab.web._config import LabConfig

#: The longest note kept (characters).
MAX_NOTE = 10_000
_UID = re.compile(r"^[0-9a-f]{32}$")


def add_experiment_note(config: LabConfig, uid: str, text: str) -> None:
    """Keep *text* as a note about the experiment *uid*."""
    text = text.strip()
    if not text:
        raise InputError("A note cannot be empty. Fix: write what you noticed, then save it.")
    if len(text) > MAX_NOTE:
        raise InputError(
            f"A note holds at most {MAX_NOTE} characters; this one has {len(text)}. "
            "Fix: shorten it, or split it in two."
        )
    folder = config.folder("experiments") / _checked(uid)
    folder.mkdir(exist_ok=True)
    line = {"text": text, "created_at": datetime.now(UTC).isoformat(timespec="seconds")}
    with (folder / "notes.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def experiment_notes(config: LabConfig, uid: str) -> list[dict[str, str]]:
    """The notes about experiment *uid*, oldest first."""
    path = config.folder("experiments") / _checked(uid) / "notes.jsonl"
    if not path.exists():
        return []
    notes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            notes.append(json.loads(line))
        except ValueError:
            continue
    return notes


def _checked(uid: str) -> str:
    if not _UID.match(uid):
        raise InputError(f"{uid!r} is not an experiment's uid.")
    return uid
