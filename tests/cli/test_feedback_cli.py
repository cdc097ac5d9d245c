"""``tinkerlab feedback`` end to end: the terminal report, --json, the HTML file, the journal,
and bad input (exit 2, one paragraph with the value and the fix, the journal untouched)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tinkerlab.journal import Journal


@pytest.fixture(scope="module")
def reviews() -> pd.DataFrame:
    from tinkerlab.data import load

    return load("reviews").frame


@pytest.fixture
def feedback_csv(reviews, tmp_path):
    """``feedback_csv(n, *extra_reviews)``: a user's CSV of n reviews (+ planted ones)."""

    def make(n: int = 80, *extra: str) -> str:
        frame = reviews.loc[: n - 1, ["product", "review", "score"]].copy()
        frame["stars"] = [5 if s == "great" else 3 for s in frame.score]
        planted = pd.DataFrame(
            {"product": [f"P{i}" for i in range(len(extra))], "review": list(extra)}
        )
        frame = pd.concat([frame, planted.assign(score="other", stars=1)], ignore_index=True)
        path = tmp_path / "my_feedback.csv"
        frame.to_csv(path, index=False)
        return str(path)

    return make


def _analyses() -> list:
    with Journal() as journal:
        return journal.analyses()


@pytest.fixture
def bad(cli, tinkerlab_home):
    """``bad(args...)``: exit 2, an error paragraph, no traceback, nothing recorded."""

    def snapshot() -> tuple[int, list[str]]:
        count = len(_analyses())
        files = sorted(
            str(p.relative_to(tinkerlab_home))
            for p in tinkerlab_home.rglob("*")
            if "journal.sqlite" not in p.name
        )
        return count, files

    def invoke(*args: str) -> str:
        before = snapshot()
        result = cli(*args)
        assert result.code == 2, f"exit {result.code}: {result.err}{result.out}"
        assert "Traceback" not in result.err + result.out
        assert result.message.startswith("Error:")
        assert snapshot() == before, "bad input must leave the journal untouched"
        return result.message

    return invoke


def test_json_parses_and_the_analysis_is_recorded(cli):
    result = cli("feedback", "reviews", "--sample", "150", "--method", "tfidf", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["id"] == 1
    assert (data["dataset"], data["text_column"], data["label_column"]) == (
        "reviews",
        "review",
        "score",
    )
    assert (data["rows"], data["rows_in_table"], data["method"]) == (150, 5000, "tfidf")
    assert 2 <= data["themes"]["k"] <= 8
    assert [s["name"] for s in data["classifiers"]["scores"]] == ["majority", "vader", "tfidf"]
    report = Path(data["report"])
    assert report.is_file()
    assert data["journal_report"] == data["report"]
    listing = cli("journal", "analyses", "--json")
    assert listing.code == 0
    (entry,) = json.loads(listing.out)
    assert (entry["id"], entry["kind"], entry["dataset"]) == (1, "feedback", "reviews")
    assert entry["headline"] == data["headline"]
    assert entry["files"] == [str(report)]


def test_the_terminal_report_with_minilm_and_a_search(cli):
    result = cli(
        "feedback", "reviews", "--sample", "60", "--search", "arrived broken", "--top", "3"
    )
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "Feedback on reviews: 60 texts in 'review' (60 of 5,000 rows), labels 'score'" in out
    assert "MiniLM embeddings" in out
    for heading in (
        "Sentiment (VADER compound score, ±0.05)",
        "Predicting 'score': stratified 5-fold CV, 60 labelled texts",
        "MiniLM embeddings → logistic regression",
        "themes (chosen by silhouette), largest first",
        "Examples, nearest each theme's centre:",
        "Search by meaning: 'arrived broken'",
        "Duplicates:",
        "Recorded as analysis #1 (tinkerlab journal analyses).",
        "Report:",
    ):
        assert heading in out, heading
    listing = " ".join(cli("journal", "analyses").out.split())
    assert "Analyses: 1, newest first" in listing
    assert "feedback" in listing


def test_a_users_csv_with_text_label_and_out(cli, feedback_csv, tmp_path):
    out = tmp_path / "report.html"
    result = cli(
        "feedback",
        feedback_csv(80),
        "--text",
        "review",
        "--label",
        "score",
        "--method",
        "tfidf",
        "--out",
        str(out),
        "--no-record",
    )
    assert result.code == 0, result.err
    assert "Feedback on my_feedback: 80 texts in 'review', labels 'score'" in " ".join(
        result.out.split()
    )
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"Report: {out}" in "".join(result.out.split("\n"))
    assert _analyses() == []


def test_unrecorded_without_out_writes_under_the_home(cli, tinkerlab_home):
    result = cli("feedback", "reviews", "--sample", "40", "--method", "tfidf", "--no-record")
    assert result.code == 0, result.err
    assert (tinkerlab_home / "reports" / "feedback-reviews.html").is_file()
    assert "Recorded as" not in result.out
    assert _analyses() == []


def test_user_text_is_never_read_as_markup(cli, feedback_csv):
    planted = "The [bold]zanzibar[/bold] spice tin came [red]dented[/red], sadly."
    result = cli(
        "feedback",
        feedback_csv(40, planted),
        "--method",
        "tfidf",
        "--search",
        "zanzibar [link]",
        "--no-record",
    )
    assert result.code == 0, result.err
    assert "'zanzibar [link]'" in result.out  # the query, as typed
    assert "[bold]zanzibar[/bold]" in result.out  # the review, as written


def test_help_has_an_example(cli):
    result = cli("feedback", "--help")
    assert result.code == 0
    assert "Example" in result.out
    assert "--json" in result.out
    assert "--search" in result.out


# %% bad input


def test_a_missing_file_or_an_unknown_built_in(bad, tmp_path):
    assert "nope.csv" in bad("feedback", str(tmp_path / "nope.csv"))
    assert "Did you mean 'reviews'" in bad("feedback", "reveiws")


def test_an_unknown_or_unsuitable_column(bad, feedback_csv):
    path = feedback_csv(30)
    assert "Column 'reveiw' (--text) is not in 'my_feedback'. Did you mean 'review'?" in bad(
        "feedback", path, "--text", "reveiw"
    )
    message = bad("feedback", path, "--text", "stars")
    assert "'stars' of 'my_feedback' holds numbers (int64), not text" in message
    assert "candidates: 'product', 'review', 'score'" in message
    assert "Did you mean 'score'" in bad("feedback", path, "--label", "scroe")


def test_an_empty_table(bad, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("review,score\n")
    assert "no data rows" in bad("feedback", str(path))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--themes", "1"], "themes=1 (--themes) is out of range: ask for 2 to 30 themes"),
        (["--themes", "99"], "themes=99 (--themes) is out of range"),
        (["--themes", "29"], "themes=29 (--themes) is too many for 20 texts: at most 19"),
        (["--search", "   "], "is empty. Fix: say what to look for"),
        (["--top", "0"], "top=0 (--top) is out of range"),
        (["--sample", "3"], "sample=3 (--sample) is too small"),
        (["--method", "bert"], "--method must be minilm or tfidf. Got 'bert' instead."),
        (["--label", "score", "--no-label"], "--label score and --no-label contradict"),
    ],
)
def test_options_out_of_range(bad, feedback_csv, options, message):
    assert message in bad("feedback", feedback_csv(20), "--method", "tfidf", *options)


def test_an_output_that_cannot_be_written(bad, feedback_csv, tmp_path):
    path = feedback_csv(20)
    assert "does not exist" in bad("feedback", path, "--out", str(tmp_path / "no" / "r.html"))
    assert "it is the data file being read" in bad("feedback", path, "--out", path)
