"""The feedback analyser on the bundled reviews: columns, sentiment, labels, themes, search,
duplicates, the HTML report, the TF-IDF fallback, and every bad input."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.exceptions import DatasetError, InputError
from tinkerlab.feedback_analysis import (
    NEAR_DUPLICATE,
    STOP_WORDS,
    THEME_RANGE,
    FeedbackReport,
    analyse_feedback,
    clean_text,
)

ROWS = 240  # reviews in the MiniLM report: about 10 s to encode once, then cached
SMASHED = (
    "My parcel arrived completely smashed: every glass jar was broken and the jam had "
    "leaked all over the box."
)
SCRIPT = '<script>alert("gotcha")</script> Best <b>tea</b> ever & cheap, I drink it daily.'


def _near_copy(text: str) -> str:
    """*text* with one word changed: what a reviewer pasting their review twice does."""
    return text.replace("delicious", "tasty", 1)


@pytest.fixture(scope="module")
def planted(reviews: pd.DataFrame) -> dict[str, str]:
    copy = "  " + reviews.review[3].upper().replace("! ", "!<br />  ") + "  "
    return {
        "exact": copy,  # row 3 again: other case, spacing and a <br />
        "near": _near_copy(reviews.review[7]),  # row 7 with one word changed
        "distinct": SMASHED,
        "script": SCRIPT,
    }


@pytest.fixture(scope="module")
def minilm_report(
    reviews: pd.DataFrame,
    planted: dict[str, str],
    shared_embeddings: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> FeedbackReport:
    """One MiniLM analysis of 240 reviews and the planted rows (rows 240-243), shared."""
    home = tmp_path_factory.mktemp("home")
    (home / "cache").mkdir()
    (home / "cache" / "embeddings").symlink_to(shared_embeddings)
    frame = reviews.loc[: ROWS - 1, ["product", "review", "score"]].copy()
    extra = pd.DataFrame(
        {
            "product": [f"PLANTED{i}" for i in range(4)],
            "review": list(planted.values()),
            "score": ["great", "great", "other", "great"],
        }
    )
    frame = pd.concat([frame, extra], ignore_index=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(home))
        return analyse_feedback(
            frame, label="score", search="the jars arrived broken", top=5, method="minilm"
        )


# %% the table: which column, which rows


def test_the_text_column_is_detected_and_the_label_is_read(slice_of):
    report = analyse_feedback(slice_of(60), label="score", method="tfidf", themes=2)
    assert report.text_column == "review"  # product is an id, score a category
    assert report.label_column == "score"
    assert report.rows == report.rows_in_table == 60
    assert list(report.table.columns) == ["row", "text", "sentiment", "compound", "theme", "label"]
    assert report.table["row"].tolist() == list(range(60))


def test_a_built_in_uses_its_own_target_as_the_label_unless_told_not_to():
    report = analyse_feedback("reviews", sample=60, method="tfidf", themes=2)
    assert report.label_column == "score"
    assert any("Used 'score' as the label" in n for n in report.notices)
    report = analyse_feedback("reviews", label=False, sample=60, method="tfidf", themes=2)
    assert report.label_column is None
    assert report.classifiers is None
    assert "label" not in report.table.columns


def test_a_sample_is_seeded_and_keeps_the_original_row_numbers():
    one = analyse_feedback("reviews", label=False, sample=50, method="tfidf", themes=2, seed=3)
    two = analyse_feedback("reviews", label=False, sample=50, method="tfidf", themes=2, seed=3)
    rows = one.table["row"].tolist()
    assert rows == two.table["row"].tolist()
    assert rows == sorted(rows)
    assert max(rows) > 50  # drawn from all 5,000 rows, not the first 50
    assert one.rows == 50
    assert one.rows_in_table == 5000
    assert any("random sample of 50 of the 5,000 rows" in n for n in one.notices)


def test_the_same_seed_gives_the_same_report(slice_of):
    first = analyse_feedback(slice_of(120), label="score", method="tfidf", search="coffee")
    again = analyse_feedback(slice_of(120), label="score", method="tfidf", search="coffee")
    strip = {"timings", "classifiers"}
    a = {k: v for k, v in first.to_dict().items() if k not in strip}
    b = {k: v for k, v in again.to_dict().items() if k not in strip}
    assert a == b
    assert [s.accuracy for s in first.classifiers.scores] == [
        s.accuracy for s in again.classifiers.scores
    ]


def test_markup_is_cleaned_before_anything_reads_the_texts():
    assert clean_text("Good.<br /><br />Really &amp; truly.") == "Good. Really & truly."
    assert clean_text("5 < 6 and 7 > 2") == "5 < 6 and 7 > 2"  # not a tag
    assert {"br", "don", "ve", "the"} <= STOP_WORDS


# %% sentiment and labels


def test_vader_buckets_use_the_plus_minus_0_05_thresholds(minilm_report):
    table = minilm_report.table
    expected = np.where(
        table.compound >= 0.05, "positive", np.where(table.compound <= -0.05, "negative", "neutral")
    )
    assert table.sentiment.tolist() == expected.tolist()
    s = minilm_report.sentiment
    assert s.counts == table.sentiment.value_counts().reindex(list(s.counts)).fillna(0).to_dict()
    assert sum(s.shares.values()) == pytest.approx(1.0)
    # The lexicon agrees with the stars: 'great' reviews are positive more often.
    assert s.by_label["great"]["positive"] / sum(s.by_label["great"].values()) > (
        s.by_label["other"]["positive"] / sum(s.by_label["other"].values())
    )


def test_training_on_2000_labels_beats_vader_on_the_same_folds(slice_of):
    report = analyse_feedback(slice_of(2000), label="score", method="tfidf", themes=2)
    c = report.classifiers
    assert [s.name for s in c.scores] == ["majority", "vader", "tfidf"]  # no MiniLM here
    assert all(len(s.accuracy) == len(s.f1_macro) == 5 for s in c.scores)
    tfidf, vader, majority = c.get("tfidf"), c.get("vader"), c.get("majority")
    # Measured: TF-IDF 0.786 ± 0.020, VADER 0.735 ± 0.014, majority 0.649.
    assert tfidf.accuracy_mean > vader.accuracy_mean + 0.03
    assert tfidf.f1_mean > vader.f1_mean
    assert all(t > v for t, v in zip(tfidf.accuracy, vader.accuracy, strict=True))
    assert vader.accuracy_mean > majority.accuracy_mean + 0.05
    assert majority.f1_mean < 0.45  # always 'great': macro F1 sees through it
    assert c.best_trained is tfidf
    assert c.verdict.startswith("Training on your labels pays")
    assert c.classes == {"great": 1299, "other": 701}


def test_with_few_labels_the_lexicon_holds_its_own(minilm_report):
    # 244 labelled reviews are too few to learn words from: VADER (a logistic regression
    # on 4 numbers) beats both trained models here (measured: VADER 0.717, TF-IDF 0.684,
    # MiniLM 0.668, majority 0.668), and the verdict says so.
    c = minilm_report.classifiers
    assert [s.name for s in c.scores] == ["majority", "vader", "tfidf", "minilm"]
    vader = c.get("vader").accuracy_mean
    assert all(vader > s.accuracy_mean for s in c.scores if s.name != "vader")
    assert c.verdict.startswith("The off-the-shelf lexicon holds its own")
    assert "More labels may change this." in c.verdict


# %% themes


def test_themes_are_chosen_by_silhouette_and_cover_every_text(minilm_report):
    t = minilm_report.themes
    assert t.chosen_by == "silhouette"
    assert sorted(t.silhouette) == list(range(THEME_RANGE[0], THEME_RANGE[1] + 1))
    assert t.k == max(t.silhouette, key=t.silhouette.get)
    assert len(t.themes) == t.k
    assert sum(theme.count for theme in t.themes) == minilm_report.rows == ROWS + 4
    assert [theme.count for theme in t.themes] == sorted((x.count for x in t.themes), reverse=True)
    assert minilm_report.table.theme.value_counts().to_dict() == {
        theme.number: theme.count for theme in t.themes
    }


def test_each_theme_is_named_by_words_found_in_its_own_texts(minilm_report):
    table = minilm_report.table
    for theme in minilm_report.themes.themes:
        assert theme.keywords, theme
        assert theme.name == ", ".join(theme.keywords[:3])
        assert not set(" ".join(theme.keywords).split()) & STOP_WORDS
        examples = " ".join(x.text.lower() for x in theme.examples)
        assert any(k in examples for k in theme.keywords), (theme.keywords, examples)
        # The first keyword is more common inside the theme than outside it.
        word = re.compile(rf"\b{re.escape(theme.keywords[0])}\b", re.IGNORECASE)
        has = table.text.str.contains(word)
        inside = table.theme == theme.number
        assert has[inside].mean() > has[~inside].mean(), theme.keywords[0]
        similarities = [x.similarity for x in theme.examples]
        assert similarities == sorted(similarities, reverse=True)


def test_a_number_of_themes_can_be_given(slice_of):
    report = analyse_feedback(slice_of(80), method="tfidf", themes=3)
    assert report.themes.k == 3
    assert report.themes.chosen_by == "given"
    assert list(report.themes.silhouette) == [3]


def test_the_silhouette_is_sampled_on_large_tables(monkeypatch, slice_of):
    from tinkerlab.feedback_analysis import _themes

    monkeypatch.setattr(_themes, "SILHOUETTE_SAMPLE", 50)
    report = analyse_feedback(slice_of(120), method="tfidf", themes=2)
    assert report.themes.silhouette_rows == 50
    assert report.themes.rows == 120
    assert any("measured on a random 50 of the 120 texts" in n for n in report.notices)


# %% search and duplicates


def test_search_finds_the_planted_review_first(minilm_report):
    s = minilm_report.search
    assert s.method == "minilm"
    assert s.query == "the jars arrived broken"
    assert len(s.hits) == 5
    assert s.hits[0].row == ROWS + 2  # the planted "arrived completely smashed" review
    assert s.hits[0].text.startswith("My parcel arrived completely smashed")
    assert s.hits[0].label == "other"
    assert s.hits[0].sentiment == "negative"
    scores = [h.score for h in s.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1] + 0.05


def test_duplicates_group_the_planted_copies_and_nothing_else(minilm_report):
    d = minilm_report.duplicates
    assert d.threshold == NEAR_DUPLICATE["minilm"] == 0.95
    exact = [set(g.rows) for g in d.exact]
    near = [set(g.rows) for g in d.near]
    assert {3, ROWS} in exact  # upper case, spaces and a <br /> do not hide a copy
    assert {7, ROWS + 1} in near  # one word changed
    grouped = set().union(*exact, *near)
    assert ROWS + 2 not in grouped
    assert ROWS + 3 not in grouped
    group = next(g for g in d.near if set(g.rows) == {7, ROWS + 1})
    assert NEAR_DUPLICATE["minilm"] <= group.similarity < 1.0
    assert d.exact_copies == sum(len(g) - 1 for g in exact)


def test_the_tfidf_search_matches_words(slice_of):
    frame = slice_of(60, ("The zeppelin-shaped gummies arrived melted into one lump.", "other"))
    report = analyse_feedback(frame, method="tfidf", search="zeppelin gummies", top=3)
    assert report.search.method == "tfidf"
    assert report.search.hits[0].row == 60
    with pytest.raises(InputError, match=r"None of the words of 'xyzzy'.*tinkerlab\[text\]"):
        analyse_feedback(frame, method="tfidf", search="xyzzy")


# %% the report: JSON, HTML, Jupyter


def test_to_dict_is_plain_json(minilm_report):
    data = json.loads(json.dumps(minilm_report.to_dict()))
    assert data["kind"] == "feedback"
    assert data["method"] == "minilm"
    assert data["themes"]["k"] == minilm_report.themes.k
    assert data["classifiers"]["scores"][2]["accuracy"]["folds"]
    assert data["headline"].startswith(f"{minilm_report.themes.k} themes (")
    assert data["search"]["hits"][0]["row"] == ROWS + 2


def test_the_html_report_is_self_contained_and_escapes_user_text(minilm_report, tmp_path):
    from dataclasses import replace

    hits = list(minilm_report.search.hits)
    hits[1] = replace(hits[1], text='5 < 6 & "quoted"')  # text that is not markup
    report = replace(
        minilm_report,
        search=replace(minilm_report.search, query="<script>alert(1)</script>", hits=tuple(hits)),
    )
    path = report.to_html(tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert report.report_path == path
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the query, shown as text
    assert "5 &lt; 6 &amp; &quot;quoted&quot;" in page
    # The planted review's tags were stripped before anything read it.
    assert report.table.text[ROWS + 3] == 'alert("gotcha") Best tea ever & cheap, I drink it daily.'
    for theme in report.themes.themes:
        assert f"<b>{', '.join(theme.keywords)}</b>" in page
    assert page.count('src="data:image/png;base64,') == 4  # sentiment, labels, sizes, k
    assert "http://" not in page
    assert "https://" not in page
    assert "<link" not in page
    assert report.headline in report._repr_html_()


# %% the TF-IDF fallback, and the verb that records


def test_without_the_text_extra_tfidf_and_svd_stand_in(monkeypatch, slice_of, tmp_path):
    from tinkerlab import pretrained

    monkeypatch.setattr(pretrained, "is_installed", lambda name: False)
    report = analyse_feedback(slice_of(80), label="score", search="coffee")
    assert report.method == "tfidf"
    assert report.sentiment is None  # VADER comes with the same extra
    assert "sentiment" not in report.table.columns
    assert [s.name for s in report.classifiers.scores] == ["majority", "tfidf"]
    assert report.classifiers.verdict.startswith(("Training", "The off-the-shelf"))
    assert "always guessing the commonest label" in report.classifiers.verdict
    notices = " ".join(report.notices)
    assert "MiniLM is not installed" in notices
    assert "VADER is not installed" in notices
    assert report.duplicates.threshold == NEAR_DUPLICATE["tfidf"]
    page = report.to_html(tmp_path / "fallback.html").read_text(encoding="utf-8")
    assert "TF-IDF words reduced by truncated SVD" in page
    assert "pip install &#x27;tinkerlab[text]&#x27;" in page or "tinkerlab[text]" in page


def test_tl_feedback_records_the_analysis_and_its_report(slice_of):
    report = tl.feedback(slice_of(60), label="score", method="tfidf", themes=2)
    assert report.id == 1
    assert report.report_path.is_file()
    assert report.report_path.name == "feedback.html"
    again = tl.feedback(slice_of(60), method="tfidf", themes=2)  # the verb is still a verb
    assert again.id == 2
    with tl.open_journal() as journal:
        entries = journal.analyses()
    assert [e.id for e in entries] == [2, 1]
    assert entries[1].summary["headline"] == report.headline
    assert entries[1].file_paths == [report.report_path]
    # The package is feedback_analysis: importing it leaves the verb tl.feedback in place.
    importlib.import_module("tinkerlab.feedback_analysis")
    assert callable(tl.feedback)


def test_unrecorded_analyses_leave_the_journal_alone(slice_of):
    report = tl.feedback(slice_of(40), method="tfidf", themes=2, record=False)
    assert report.id is None
    assert report.report_path is None
    with tl.open_journal() as journal:
        assert journal.analyses() == []


# %% bad input: what happened, the value, the fix


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"text": "reveiw"}, r"Column 'reveiw' \(--text\) is not in .*Did you mean 'review'"),
        ({"text": "stars"}, r"'stars' .* holds numbers \(int64\), not text.*'review'"),
        ({"label": "scroe"}, r"Column 'scroe' \(--label\) is not in .*Did you mean 'score'"),
        ({"label": "review"}, r"'review' is the text itself"),
        ({"label": "stars"}, r"more than 20: it looks like a number"),
        ({"label": "rare"}, r"fewer than 5 texts \('x': 2\)"),
        ({"label": "one"}, r"has only 'same'.*at least two classes"),
        ({"themes": 1}, r"themes=1 \(--themes\) is out of range: ask for 2 to 30"),
        ({"themes": 31}, r"themes=31 .* out of range"),
        ({"themes": 29}, r"themes=29 .* too many for 25 texts: at most 24"),
        ({"search": "   "}, r"The search query '   ' is empty.*--search \"arrived broken\""),
        ({"top": 0}, r"top=0 \(--top\) is out of range"),
        ({"sample": 5}, r"sample=5 \(--sample\) is too small"),
        ({"method": "bert"}, r"method='bert' \(--method\) is not known"),
    ],
)
def test_bad_options_are_refused_with_a_fix(slice_of, options, message):
    frame = slice_of(25)
    frame["stars"] = range(25)
    frame["rare"] = ["x"] * 2 + ["y"] * 23
    frame["one"] = "same"
    with pytest.raises(InputError, match=message):
        analyse_feedback(frame, **{"method": "tfidf", **options})


def test_tables_without_usable_text_are_refused(slice_of, tmp_path):
    numbers = pd.DataFrame({"a": range(30), "b": range(30)})
    with pytest.raises(InputError, match=r"No column of 'DataFrame' looks like free text"):
        analyse_feedback(numbers)
    two = slice_of(30)
    two["title"] = two["review"].str[::-1]
    with pytest.raises(InputError, match=r"2 columns of free text: 'review', 'title'.*--text"):
        analyse_feedback(two)
    with pytest.raises(InputError, match=r"holds 3 non-empty texts; .* at least 10"):
        analyse_feedback(slice_of(3), text="review")
    with pytest.raises(DatasetError, match=r"no data rows"):
        analyse_feedback(slice_of(0).iloc[:0], text="review")
    (tmp_path / "header.csv").write_text("review,score\n")
    with pytest.raises(DatasetError, match=r"no data rows"):
        analyse_feedback(tmp_path / "header.csv")
    with pytest.raises(DatasetError, match=r"no built-in dataset called 'reveiws'.*'reviews'"):
        analyse_feedback("reveiws")
    with pytest.raises(InputError, match=r"takes a built-in name, a file path"):
        analyse_feedback(42)  # type: ignore[arg-type]


def test_a_csv_file_with_no_label_needs_no_target(slice_of, tmp_path):
    path = tmp_path / "my_feedback.csv"
    slice_of(40).to_csv(path, index=False)
    report = analyse_feedback(path, method="tfidf", themes=2)
    assert report.dataset == "my_feedback"
    assert report.text_column == "review"
    assert report.label_column is None
    report = analyse_feedback(str(path), text="review", label="score", method="tfidf", themes=2)
    assert report.classifiers.classes == {"great": 28, "other": 12}
