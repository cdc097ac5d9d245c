"""Analyses that are not runs (``tinkerlab feedback``): their findings and report files.

An analysis is recorded like a run: its row and its files (the HTML report) in
``analyses/<uid>/``, both or neither.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tinkerlab.exceptions import InputError
from tinkerlab.journal import _checks as check
from tinkerlab.journal._database import Database, newest_first, tinkerlab_version
from tinkerlab.journal._entries import AnalysisEntry, to_entry
from tinkerlab.journal._files import StagedFiles, stored_files
from tinkerlab.journal._json import json_object
from tinkerlab.journal._tables import AnalysisRow


def record_analysis(
    db: Database,
    kind: str,
    dataset: str,
    summary: Mapping[str, Any],
    files: Mapping[str, bytes] | None,
) -> AnalysisEntry:
    """Store an analysis of *dataset* and write its *files*, both or neither."""
    kind = check.text(kind, "kind").strip()
    if not kind:
        raise InputError("An analysis needs a kind, such as 'feedback'; got an empty one.")
    contents = check.files(files or {}, "files")  # plain names and bytes, checked first
    row = AnalysisRow(
        uid=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
        kind=kind,
        dataset=check.text(dataset, "dataset"),
        summary=json_object(summary, "summary"),
        file_names=sorted(contents),
        tinkerlab_version=tinkerlab_version(),
    )
    folder = db.folder("analyses")
    with (
        StagedFiles(folder, row.uid, contents, what="the analysis's files") as staged,
        db.writing("record the analysis in") as session,
    ):
        session.add(row)
        session.flush()
        staged.place()
        session.commit()
    return analysis_entry(db, row)


def analyses(
    db: Database, kind: str | None, dataset: str | None, limit: int | None
) -> list[AnalysisEntry]:
    """Analyses, newest first (of one *kind* or *dataset*, if given)."""
    query = newest_first(AnalysisRow, limit, kind=kind, dataset=dataset)
    with db.reading() as session:
        rows = session.scalars(query).all()
    return [analysis_entry(db, row) for row in rows]


def get_analysis(db: Database, analysis_id: int) -> AnalysisEntry:
    """Analysis *analysis_id*, or a NotFoundError saying how to list them."""
    check.check_id(analysis_id, "analyses")
    with db.reading() as session:
        row = db.require(session, AnalysisRow, analysis_id)
    return analysis_entry(db, row)


def analysis_entry(db: Database, row: AnalysisRow) -> AnalysisEntry:
    """The entry for *row*, with its files' paths on this machine."""
    files_dir, file_paths = stored_files(db.folder("analyses"), row.uid, row.file_names)
    return to_entry(AnalysisEntry, row, files_dir=files_dir, file_paths=file_paths)
