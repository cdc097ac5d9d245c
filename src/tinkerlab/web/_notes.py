"""Notes about experiments that earlier labs kept in their own folder, moved into the journal.

Until the journal had experiment notes (revision 0007), the lab wrote a note about an
experiment to ``<lab>/experiments/<uid>/notes.jsonl``, one JSON line per note, where the
command line, a class's shared journal and ``export`` could not see it. When the lab opens
its journal, :func:`move_legacy_notes` adds those notes to it (oldest first, dated now: the
journal stamps every note when it is written) and renames each file it emptied to
``notes.jsonl.moved``, so a note is moved once and its words are never thrown away.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tinkerlab.journal import Journal
    from tinkerlab.web._config import LabConfig


def move_legacy_notes(config: LabConfig, journal: Journal) -> int:
    """Add the notes of every ``experiments/<uid>/notes.jsonl`` whose experiment this
    journal holds; return how many were moved. Files of another journal's experiments
    stay where they are."""
    files = sorted(config.folder("experiments").glob("*/notes.jsonl"))
    if not files:
        return 0
    ids = {e.uid: e.id for e in journal.list_experiments(limit=None)}
    moved = 0
    for path in files:
        experiment_id = ids.get(path.parent.name)
        if experiment_id is None:
            continue
        for text in _texts(path.read_text(encoding="utf-8")):
            journal.add_experiment_note(experiment_id, text)
            moved += 1
        path.rename(path.with_name("notes.jsonl.moved"))
    return moved


def _texts(lines: str) -> list[str]:
    """The non-empty note texts of a notes.jsonl file (a damaged line is skipped)."""
    texts = []
    for line in lines.splitlines():
        try:
            text = json.loads(line)["text"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(text, str) and text.strip():
            texts.append(text)
    return texts
