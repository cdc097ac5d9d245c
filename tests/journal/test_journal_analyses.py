"""Analyses (tinkerlab feedback): recorded with their report file, completely or not at all."""

from __future__ import annotations

import math

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tinkerlab.exceptions import InputError, JournalError, NotFoundError
from tinkerlab.journal import AnalysisEntry, Journal

PAGE = b"<!DOCTYPE html><html><body>5 themes</body></html>"
SUMMARY = {"headline": "5 themes (tea, coffee, cup, ...)", "themes": {"k": 5}, "rows": 5000}


@pytest.fixture
def journal(journal_url):
    with Journal(journal_url) as journal:
        yield journal


def _files(journal):
    folder = journal.plots_dir.parent / "analyses"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_an_analysis_is_recorded_with_its_report(journal):
    entry = journal.record_analysis("feedback", "reviews", SUMMARY, {"feedback.html": PAGE})
    assert isinstance(entry, AnalysisEntry)
    assert entry.id == 1
    assert (entry.kind, entry.dataset, entry.summary) == ("feedback", "reviews", SUMMARY)
    assert entry.headline == "5 themes (tea, coffee, cup, ...)"
    assert entry.created_at.tzinfo is not None
    assert entry.file_paths == [entry.files_dir / "feedback.html"]
    assert entry.file_paths[0].read_bytes() == PAGE
    assert _files(journal) == [entry.uid, f"{entry.uid}/feedback.html"]
    again = journal.get_analysis(entry.id)
    assert (again.summary, again.file_paths, again.uid) == (SUMMARY, entry.file_paths, entry.uid)


def test_analyses_are_listed_newest_first_and_filtered(journal):
    first = journal.record_analysis("feedback", "reviews", SUMMARY)
    second = journal.record_analysis("feedback", "tickets", {"headline": "2 themes"})
    third = journal.record_analysis("survey", "reviews", {})
    assert [a.id for a in journal.analyses()] == [third.id, second.id, first.id]
    assert [a.id for a in journal.analyses("feedback")] == [second.id, first.id]
    assert [a.id for a in journal.analyses(dataset="reviews")] == [third.id, first.id]
    assert [a.id for a in journal.analyses(limit=1)] == [third.id]
    assert first.files_dir is None
    assert first.file_paths == []
    assert third.headline == ""
    assert journal.count_runs() == 0  # an analysis is not a run


def test_numbers_json_cannot_hold_are_stored_as_null(journal):
    entry = journal.record_analysis("feedback", "reviews", {"silhouette": {"2": math.nan}})
    assert journal.get_analysis(entry.id).summary == {"silhouette": {"2": None}}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("", "reviews", {}), r"needs a kind, such as 'feedback'"),
        (("feedback", 3, {}), r"dataset must be a string"),
        (("feedback", "reviews", ["not", "a", "dict"]), r"summary"),
        (("feedback", "reviews", {"x": object()}), r"summary"),
    ],
)
def test_bad_values_are_refused_before_anything_is_written(journal, arguments, message):
    with pytest.raises(InputError, match=message):
        journal.record_analysis(*arguments)
    assert journal.analyses() == []
    assert _files(journal) == []


def test_a_file_name_with_a_folder_is_refused(journal):
    with pytest.raises(InputError, match=r"not a plain file name"):
        journal.record_analysis("feedback", "reviews", {}, {"../report.html": PAGE})
    assert journal.analyses() == []
    assert _files(journal) == []


def test_a_failing_commit_leaves_no_row_and_no_file(journal, monkeypatch):
    journal.record_analysis("feedback", "reviews", SUMMARY, {"feedback.html": PAGE})
    before = _files(journal)

    def fail_commit(session):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Session, "commit", fail_commit)
    with pytest.raises(JournalError, match=r"Could not record the analysis in the journal"):
        journal.record_analysis("feedback", "tickets", SUMMARY, {"feedback.html": PAGE})
    monkeypatch.undo()
    assert [a.dataset for a in journal.analyses()] == ["reviews"]
    assert _files(journal) == before


def test_an_unknown_or_malformed_id_says_how_to_list_them(journal):
    with pytest.raises(NotFoundError, match=r"No analysis with id 7.*tinkerlab journal analyses"):
        journal.get_analysis(7)
    with pytest.raises(InputError, match=r"An analysis id is a whole number.*journal analyses"):
        journal.get_analysis("7")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"limit must be 0 or more"):
        journal.analyses(limit=-1)
