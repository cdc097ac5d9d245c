"""``tinkerlab feedback``: sentiment, themes, search and duplicates in a column of texts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from tinkerlab.cli._output import Db, Json, console, print_json, progress

if TYPE_CHECKING:
    from tinkerlab.feedback_analysis import (
        DuplicateSummary,
        FeedbackReport,
        LabelComparison,
        SearchResult,
        SentimentSummary,
        ThemeSummary,
    )

_COLOURS = {"positive": "green", "neutral": "bright_black", "negative": "red"}


def feedback(
    data: Annotated[
        str, typer.Argument(help="A built-in name (reviews) or a file: CSV, Parquet, JSON, Excel.")
    ],
    text: Annotated[
        str | None,
        typer.Option(help="The column of texts (needed when there is no, or more than one)."),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            help="A column of labels (stars, great/other...): trains a classifier and scores "
            "it beside VADER with 5-fold CV. Default: a built-in dataset's own target."
        ),
    ] = None,
    no_label: Annotated[
        bool, typer.Option("--no-label", help="No trained classifier, even for a built-in.")
    ] = False,
    themes: Annotated[
        int | None,
        typer.Option(help="Number of themes, 2 to 30 (default: the best silhouette over 2-8)."),
    ] = None,
    search: Annotated[
        str | None, typer.Option(help='Find the texts most similar to this, e.g. "arrived broken".')
    ] = None,
    top: Annotated[int, typer.Option(help="Search hits and duplicate groups to list.")] = 5,
    sample: Annotated[
        int | None,
        typer.Option(help="Analyse a random sample of this many rows (quicker first look)."),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            help="How texts become vectors: minilm (meaning; default when installed) or tfidf "
            "(words; fast, no extra needed)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sample, folds and k-means.")] = 0,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the HTML report here too (default: kept in the journal)."),
    ] = None,
    record: Annotated[
        bool, typer.Option(help="Record the analysis and its report in the journal.")
    ] = True,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Analyse feedback: sentiment, themes, search and duplicates, with a report.

    Any table with a column of texts. Sentiment comes from VADER; with labels,
    a classifier trained on them is scored beside VADER on the same folds.
    Themes are k-means groups of MiniLM embeddings (TF-IDF without the text
    extra), named by their most distinctive words. Writes a self-contained
    HTML report with plots and records the analysis in the journal
    (tinkerlab journal analyses). Details: docs/feedback.md

    Examples:

      tinkerlab feedback reviews --search "arrived broken"

      tinkerlab feedback my_feedback.csv --text review --label score

      tinkerlab feedback reviews --sample 500 --themes 4 --out report.html
    """
    from tinkerlab import _api
    from tinkerlab.cli._run import _check_outputs
    from tinkerlab.exceptions import InputError

    if no_label and label is not None:
        raise InputError(
            f"--label {label} and --no-label contradict each other. Fix: keep one of them."
        )
    if method is not None and method not in ("minilm", "tfidf"):
        raise InputError(
            f"--method must be minilm or tfidf. Got {method!r} instead. Fix: --method tfidf"
        )
    if out is not None:
        out = _check_outputs(data, [out])[0]
    options = {
        "themes": themes,
        "search": search,
        "top": top,
        "sample": sample,
        "method": method,
        "seed": seed,
    }
    with progress(not json_out) as step:
        report = _api.feedback(
            data,
            text,
            False if no_label else label,
            record=record,
            db=db,
            progress=step,
            **options,
        )
    kept = report.report_path  # the journal's copy, when recorded
    if out is not None:
        report.to_html(out)
    elif kept is None:
        report.to_html(_default_path(report.dataset))
    if json_out:
        print_json({**report.to_dict(), "journal_report": None if kept is None else str(kept)})
        return
    _render(report, top, kept)


def _default_path(dataset: str) -> Path:
    """``$TINKERLAB_HOME/reports/feedback-<dataset>.html`` for an unrecorded analysis."""
    import re

    from tinkerlab._home import home

    folder = home() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"feedback-{re.sub(r'[^A-Za-z0-9_.-]+', '_', dataset)}.html"


def _render(report: FeedbackReport, top: int, kept: Path | None) -> None:
    """Print the report section by section: header, sentiment, classifiers, themes, search..."""
    _render_header(report)
    if report.sentiment is not None:
        _render_sentiment(report.sentiment)
    if report.classifiers is not None:
        _render_classifiers(report.classifiers)
    _render_themes(report.themes)
    if report.search is not None:
        _render_search(report.search)
    _render_duplicates(report.duplicates, top)
    _render_footer(report, kept)


def _render_header(report: FeedbackReport) -> None:
    """Print what was analysed (dataset, columns, rows, vectors, seed) and the notices."""
    labelled = f", labels {escape(repr(report.label_column))}" if report.label_column else ""
    sampled = (
        f" ({report.rows:,} of {report.rows_in_table:,} rows)"
        if report.rows < report.rows_in_table
        else ""
    )
    vectors = "MiniLM embeddings" if report.method == "minilm" else "TF-IDF + SVD (words)"
    console.print(
        f"[bold]Feedback on {escape(report.dataset)}[/]: {report.rows:,} texts in "
        f"{escape(repr(report.text_column))}{sampled}{labelled}; {vectors}; seed {report.seed}."
    )
    for notice in report.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}")


def _render_sentiment(s: SentimentSummary) -> None:
    """Print the sentiment table: each bucket's count and share, and its share of each label."""
    from rich.table import Table

    table = Table(title="Sentiment (VADER compound score, ±0.05)")
    table.add_column("sentiment")
    table.add_column("texts", justify="right")
    table.add_column("share", justify="right")
    labels = list(s.by_label or {})
    for name in labels:
        table.add_column(f"of {escape(name)}", justify="right")
    for bucket in ("positive", "neutral", "negative"):
        by_label = s.by_label or {}
        cells = [f"{by_label[n][bucket] / (sum(by_label[n].values()) or 1):.0%}" for n in labels]
        table.add_row(
            f"[{_COLOURS[bucket]}]{bucket}[/]",
            f"{s.counts[bucket]:,}",
            f"{s.shares[bucket]:.1%}",
            *cells,
        )
    console.print(table)


def _render_classifiers(c: LabelComparison) -> None:
    """Print the cross-validated scores of each classifier and the verdict."""
    from rich.table import Table

    table = Table(
        title=f"Predicting {escape(repr(c.label))}: stratified {c.n_folds}-fold CV, "
        f"{c.rows:,} labelled texts"
    )
    for column in ("model", "trained on the words", "accuracy", "macro F1"):
        table.add_column(column)
    for score in c.scores:
        table.add_row(
            escape(score.title),
            "yes" if score.trained else "no",
            f"{score.accuracy_mean:.3f} ± {score.accuracy_std:.3f}",
            f"{score.f1_mean:.3f} ± {score.f1_std:.3f}",
        )
    console.print(table)
    console.print(f"  [bold]{escape(c.verdict)}[/]")


def _render_themes(t: ThemeSummary) -> None:
    """Print the themes table, the silhouette score of each k, and each theme's examples."""
    from rich.table import Table

    how = "chosen by silhouette" if t.chosen_by == "silhouette" else "as asked"
    table = Table(title=f"{t.k} themes ({how}), largest first")
    for column in ("#", "theme: most distinctive words", "texts", "share", "sentiment"):
        table.add_column(column, overflow="fold")
    for theme in t.themes:
        mood = "–"
        if theme.mean_compound is not None and theme.sentiment is not None:
            mood = f"mean {theme.mean_compound:+.2f}, {theme.sentiment['negative']:.0%} negative"
        if theme.labels:
            mood += "; " + ", ".join(f"{escape(k)} {v:.0%}" for k, v in theme.labels.items())
        table.add_row(
            str(theme.number),
            f"[bold]{escape(', '.join(theme.keywords) or '–')}[/]",
            f"{theme.count:,}",
            f"{theme.share:.0%}",
            mood,
        )
    console.print(table)
    scores = "  ".join(
        f"[bold]k={k}: {v:.3f}[/]" if k == t.k else f"k={k}: {v:.3f}"
        for k, v in sorted(t.silhouette.items())
    )
    sampled = (
        f" (on a random {t.silhouette_rows:,} of {t.rows:,} texts)"
        if t.silhouette_rows < t.rows
        else ""
    )
    console.print(f"  Silhouette{sampled}: {scores}")
    console.print("  Examples, nearest each theme's centre:")
    for theme in t.themes:
        console.print(f"  [bold]{theme.number}. {escape(theme.name)}[/]")
        for x in theme.examples:
            console.print(f"    • {escape(_cut(x.text, 140))} [bright_black](row {x.row})[/]")


def _render_search(found: SearchResult) -> None:
    """Print the search hits, best first, with their score, row, sentiment and theme."""
    from rich.table import Table

    how = "by meaning" if found.method == "minilm" else "by shared words"
    table = Table(title=f"Search {how}: {escape(repr(found.query))}")
    for column in ("#", "score", "row", "sentiment", "theme", "text"):
        table.add_column(column, overflow="fold")
    for hit in found.hits:
        mood = hit.sentiment or "–"
        table.add_row(
            str(hit.rank),
            f"{hit.score:.3f}",
            str(hit.row),
            f"[{_COLOURS.get(mood, 'default')}]{mood}[/]",
            str(hit.theme),
            escape(_cut(hit.text, 200)),
        )
    console.print(table)


def _render_duplicates(d: DuplicateSummary, top: int) -> None:
    """Print how many exact and near-duplicate groups there are, and the first ``top`` of each."""
    console.print(
        f"[bold]Duplicates:[/] {len(d.exact):,} groups of exact copies ({d.exact_copies:,} "
        f"repeated texts); {len(d.near):,} groups of near-duplicates (cosine ≥ {d.threshold})."
    )
    for group in [*d.exact[:top], *d.near[:top]]:
        rows = ", ".join(str(r) for r in group.rows[:8]) + (" …" if len(group.rows) > 8 else "")
        if group.kind == "exact":
            console.print(
                f"  {len(group.rows)} copies, rows {rows}: {escape(_cut(group.texts[0], 110))}"
            )
            continue
        first, *others = group.texts
        console.print(f"  near-duplicates ({group.similarity:.3f}), rows {rows}:")
        console.print(f"    – {escape(_cut(first, 110))}")
        for text in others[:3]:
            console.print(f"    – {escape(_cut(text, 110))}")


def _render_footer(report: FeedbackReport, kept: Path | None) -> None:
    """Print the timings, the journal id and where the HTML report (and its copy) were written."""
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
    console.print(f"[bright_black]Timings: {escape(steps)}.[/]")
    if report.id is not None:
        console.print(f"Recorded as analysis [bold]#{report.id}[/] (tinkerlab journal analyses).")
    if report.report_path is not None:
        console.print(f"Report: [bold]{escape(str(report.report_path))}[/]")
    if kept is not None and kept != report.report_path:
        console.print(f"  (a copy is kept with the journal: {escape(str(kept))})")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["feedback"]
