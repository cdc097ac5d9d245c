"""The FeedbackReport: the numbers, as JSON, as a self-contained HTML page, in Jupyter.

The HTML page needs nothing but itself: the styles are inline, the plots are PNG images
embedded as base64 (drawn with matplotlib's Agg renderer on a bare ``Figure``, never
through ``pyplot``), there is no script and no link to a CDN. Every piece of user text
(texts, column names, the query, labels, keywords) goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.feedback_analysis._sentiment import (
    NEGATIVE_AT,
    POSITIVE_AT,
    SENTIMENTS,
    LabelComparison,
    SentimentSummary,
)
from tinkerlab.feedback_analysis._similar import DuplicateSummary, SearchResult
from tinkerlab.feedback_analysis._themes import ThemeSummary
from tinkerlab.feedback_analysis._vectors import Method

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: How each vector space is described in reports.
METHOD_TITLES: dict[Method, str] = {
    "minilm": "MiniLM sentence embeddings (all-MiniLM-L6-v2, 384 numbers per text)",
    "tfidf": "TF-IDF words reduced by truncated SVD (latent semantic analysis)",
}
#: Colours of the sentiment buckets, in every plot and table.
COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}


@dataclass(repr=False)
class FeedbackReport:
    """What the feedback analyser found: sentiment, label scores, themes, search, duplicates.

    Build one with :func:`tinkerlab.feedback_analysis.analyse_feedback` (or ``tl.feedback``).
    ``to_dict()`` is what ``--json`` prints and the journal stores; ``to_html(path)``
    writes the full page; in Jupyter the report shows itself.
    """

    dataset: str  # "reviews", or the file's stem
    text_column: str
    label_column: str | None  # None: no labels, no trained classifier
    rows: int  # texts analysed (after sampling and skipping empty ones)
    rows_in_table: int  # rows in the table as read
    method: Method  # how texts became vectors: "minilm" or "tfidf" (the fallback)
    seed: int
    sentiment: SentimentSummary | None  # None when VADER is not installed
    classifiers: LabelComparison | None  # None without labels
    themes: ThemeSummary
    search: SearchResult | None  # None without a query
    duplicates: DuplicateSummary
    table: pd.DataFrame  # one row per text: row, text, sentiment, compound, theme, label
    notices: list[str] = field(default_factory=list)  # decisions the user should know about
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds
    id: int | None = None  # the journal's id, once recorded
    report_path: Path | None = None  # where the HTML page was written, if it was
    _plots: dict[str, bytes] | None = field(default=None, repr=False, compare=False)

    # --- plain data ------------------------------------------------------------------------

    @property
    def headline(self) -> str:
        """The findings in one line, as the journal lists them."""
        parts = [f"{self.themes.k} themes ({self.themes.themes[0].name}, …)"]
        if self.sentiment is not None:
            shares = self.sentiment.shares
            parts.append(f"{shares['positive']:.0%} positive, {shares['negative']:.0%} negative")
        if self.classifiers is not None:
            best = self.classifiers.best_trained
            vader = self.classifiers.get("vader")
            versus = f" vs VADER {vader.accuracy_mean:.3f}" if vader else ""
            name = {"tfidf": "TF-IDF", "minilm": "MiniLM"}.get(best.name, best.name)
            parts.append(f"{name} {best.accuracy_mean:.3f}{versus} accuracy")
        parts.append(f"{self.duplicates.exact_copies} exact duplicates")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Everything JSON can hold (what ``--json`` prints and the journal stores)."""
        return {
            "kind": "feedback",
            "id": self.id,
            "dataset": self.dataset,
            "text_column": self.text_column,
            "label_column": self.label_column,
            "rows": self.rows,
            "rows_in_table": self.rows_in_table,
            "method": self.method,
            "seed": self.seed,
            "headline": self.headline,
            "sentiment": None if self.sentiment is None else self.sentiment.to_dict(),
            "classifiers": None if self.classifiers is None else self.classifiers.to_dict(),
            "themes": self.themes.to_dict(),
            "search": None if self.search is None else self.search.to_dict(),
            "duplicates": self.duplicates.to_dict(),
            "notices": list(self.notices),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "report": None if self.report_path is None else str(self.report_path),
        }

    def __repr__(self) -> str:
        # The per-text table can hold thousands of rows; a report is named by its findings.
        ref = f"#{self.id} " if self.id is not None else ""
        return f"<FeedbackReport {ref}on {self.dataset}, {self.rows:,} texts: {self.headline}>"

    # --- plots -----------------------------------------------------------------------------

    def plots(self) -> dict[str, bytes]:
        """The report's plots as PNG bytes: ``{"sentiment.png": b"\\x89PNG..."}``."""
        if self._plots is None:
            plots = {"themes.png": _png(self._theme_sizes())}
            if len(self.themes.silhouette) > 1:
                plots["silhouette.png"] = _png(self._silhouette())
            if self.sentiment is not None:
                plots["sentiment.png"] = _png(self._sentiment_histogram())
            if self.classifiers is not None:
                plots["classifiers.png"] = _png(self._classifier_bars())
            self._plots = plots
        return self._plots

    def _sentiment_histogram(self) -> Figure:
        compound = self.table["compound"].to_numpy(dtype=float)
        figure = _figure(6.0, 3.4)
        axes = figure.add_subplot()
        edges = np.linspace(-1, 1, 41)  # 40 bins of 0.05
        counts, _ = np.histogram(compound, bins=edges)
        centres = (edges[:-1] + edges[1:]) / 2
        colours = [
            COLOURS["positive"]
            if c >= POSITIVE_AT
            else COLOURS["negative"]
            if c <= NEGATIVE_AT
            else COLOURS["neutral"]
            for c in centres
        ]
        axes.bar(centres, counts, width=0.048, color=colours)
        for cut in (NEGATIVE_AT, POSITIVE_AT):
            axes.axvline(cut, color="#555555", linewidth=0.8, linestyle="--")
        assert self.sentiment is not None
        shares = self.sentiment.shares
        axes.set_title(
            f"VADER compound score: {shares['positive']:.0%} positive, "
            f"{shares['neutral']:.0%} neutral, {shares['negative']:.0%} negative",
            fontsize=10,
        )
        axes.set_xlabel("compound score (−1 negative … +1 positive; dashed: ±0.05)")
        axes.set_ylabel("texts")
        return figure

    def _theme_sizes(self) -> Figure:
        themes = self.themes.themes
        figure = _figure(6.5, 0.9 + 0.45 * len(themes))
        axes = figure.add_subplot()
        names = [f"{t.number}. {_short(t.name, 40)}" for t in themes][::-1]
        counts = [t.count for t in themes][::-1]
        colours = [
            "#607d8b" if t.mean_compound is None else _sentiment_colour(t.mean_compound)
            for t in themes
        ][::-1]
        axes.barh(names, counts, color=colours)
        for y, theme in enumerate(themes[::-1]):
            axes.text(theme.count, y, f" {theme.share:.0%}", va="center", fontsize=8)
        axes.set_xlabel("texts")
        axes.set_xlim(0, max(counts) * 1.15)
        tinted = (
            " (colour: mean sentiment, red to green)" if themes[0].mean_compound is not None else ""
        )
        axes.set_title(f"Theme sizes{tinted}", fontsize=10)
        return figure

    def _silhouette(self) -> Figure:
        ks = sorted(self.themes.silhouette)
        values = [self.themes.silhouette[k] for k in ks]
        figure = _figure(5.0, 3.2)
        axes = figure.add_subplot()
        axes.plot(ks, values, marker="o", color="#1565c0")
        chosen = self.themes.k
        best = self.themes.silhouette[chosen]
        axes.plot([chosen], [best], marker="o", markersize=12, fillstyle="none", color="#c62828")
        axes.set_xticks(ks)
        axes.set_xlabel("number of themes k")
        axes.set_ylabel("mean silhouette")
        sampled = (
            f" (on {self.themes.silhouette_rows:,} of {self.themes.rows:,} texts)"
            if self.themes.silhouette_rows < self.themes.rows
            else ""
        )
        axes.set_title(f"Silhouette by k: k = {chosen} chosen{sampled}", fontsize=10)
        return figure

    def _classifier_bars(self) -> Figure:
        assert self.classifiers is not None
        scores = self.classifiers.scores
        figure = _figure(6.0, 0.9 + 0.5 * len(scores))
        axes = figure.add_subplot()
        names = [s.title for s in scores][::-1]
        means = [s.accuracy_mean for s in scores][::-1]
        spreads = [s.accuracy_std for s in scores][::-1]
        colours = ["#1565c0" if s.trained else "#9e9e9e" for s in scores][::-1]
        axes.barh(names, means, xerr=spreads, color=colours, capsize=3)
        for y, mean in enumerate(means):
            axes.text(0.01, y, f"{mean:.3f}", va="center", color="white", fontsize=8)
        axes.set_xlim(0, 1)
        axes.set_xlabel(f"accuracy, mean ± std over {self.classifiers.n_folds} folds")
        axes.set_title(f"Predicting {self.classifiers.label!r}: blue bars are trained", fontsize=10)
        return figure

    # --- HTML ------------------------------------------------------------------------------

    def html(self) -> str:
        """The whole report as one self-contained HTML page."""
        title = f"Feedback analysis: {self.dataset}"
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_e(title)}</title>\n<style>{_PAGE_STYLE} {_STYLE}</style>\n</head>\n"
            f'<body>\n<div class="tinkerlab-feedback">\n{self._body(full=True)}\n</div>\n'
            "</body>\n</html>\n"
        )

    def to_html(self, path: str | Path) -> Path:
        """Write :meth:`html` to *path* (UTF-8) and return the path."""
        target = Path(path).expanduser()
        target.write_text(self.html(), encoding="utf-8")
        self.report_path = target
        return target

    def _repr_html_(self) -> str:
        return (
            f'<div class="tinkerlab-feedback"><style>{_STYLE}</style>{self._body(full=False)}</div>'
        )

    def _body(self, *, full: bool) -> str:
        plots = self.plots()
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        label = f", labels from <code>{_e(self.label_column)}</code>" if self.label_column else ""
        sampled = (
            f" ({self.rows:,} of {self.rows_in_table:,} rows)"
            if self.rows < self.rows_in_table
            else ""
        )
        recorded = f" · journal analysis #{self.id}" if self.id is not None else ""
        parts = [
            f"<h1>Feedback analysis: {_e(self.dataset)}</h1>",
            f'<p class="meta">{self.rows:,} texts from column <code>{_e(self.text_column)}</code>'
            f"{sampled}{label} · vectors: {_e(METHOD_TITLES[self.method])} · seed {self.seed}"
            f"{recorded} · {when}</p>",
            f'<p class="headline">{_e(self.headline)}</p>',
        ]
        if self.notices:
            parts.append(
                '<ul class="notices">'
                + "".join(f"<li>{_e(n)}</li>" for n in self.notices)
                + "</ul>"
            )
        parts.append(self._sentiment_html(plots))
        parts.append(self._classifiers_html(plots))
        parts.append(self._themes_html(plots))
        if self.search is not None:
            parts.append(self._search_html())
        parts.append(self._duplicates_html())
        if full:
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
            parts.append(
                f'<p class="meta">Timings: {_e(steps)}. Made by tinkerlab; the methods and '
                "thresholds are explained in docs/feedback.md.</p>"
            )
        return "\n".join(p for p in parts if p)

    def _sentiment_html(self, plots: dict[str, bytes]) -> str:
        if self.sentiment is None:
            return (
                "<section><h2>Sentiment</h2><p>VADER is not installed, so there is no "
                "sentiment. Fix: <code>pip install 'tinkerlab[text]'</code></p></section>"
            )
        s = self.sentiment
        rows = "".join(
            f'<tr><td><span class="dot" style="background:{COLOURS[b]}"></span>{b}</td>'
            f"<td>{s.counts[b]:,}</td><td>{s.shares[b]:.1%}</td></tr>"
            for b in SENTIMENTS
        )
        by_label = ""
        if s.by_label:
            head = "".join(f"<th>{b}</th>" for b in SENTIMENTS)
            body = "".join(
                f"<tr><td>{_e(label)}</td>"
                + "".join(
                    f"<td>{counts[b] / (sum(counts.values()) or 1):.0%}</td>" for b in SENTIMENTS
                )
                + "</tr>"
                for label, counts in s.by_label.items()
            )
            column = _e(self.label_column or "")
            by_label = (
                f"<p>VADER's buckets within each value of <code>{column}</code> (a lexicon "
                "that agrees with the labels puts each label's texts mostly in one bucket):</p>"
                f"<table><tr><th>label</th>{head}</tr>{body}</table>"
            )
        return (
            "<section><h2>Sentiment (VADER)</h2>"
            "<p>VADER scores each text from a hand-rated lexicon and grammar rules, with no "
            f"training: a compound score in [−1, 1], positive from {POSITIVE_AT:+.2f}, negative "
            f"from {NEGATIVE_AT:+.2f} (the lexicon authors' thresholds). Mean compound score: "
            f"<b>{s.mean_compound:+.3f}</b>.</p>"
            f"<table><tr><th>sentiment</th><th>texts</th><th>share</th></tr>{rows}</table>"
            f"{by_label}{_img(plots, 'sentiment.png')}</section>"
        )

    def _classifiers_html(self, plots: dict[str, bytes]) -> str:
        c = self.classifiers
        if c is None:
            return ""
        rows = "".join(
            f"<tr><td>{_e(s.title)}</td>"
            f"<td>{'yes' if s.trained else 'no'}</td>"
            f"<td>{s.accuracy_mean:.3f} ± {s.accuracy_std:.3f}</td>"
            f"<td>{s.f1_mean:.3f} ± {s.f1_std:.3f}</td></tr>"
            for s in c.scores
        )
        classes = ", ".join(f"{_e(k)}: {v:,}" for k, v in c.classes.items())
        return (
            f"<section><h2>Does training on <code>{_e(c.label)}</code> beat VADER?</h2>"
            f"<p>{c.rows:,} labelled texts ({classes}); stratified {c.n_folds}-fold "
            "cross-validation, the same folds for every model below. VADER's row is a "
            "logistic regression on its four scores, so it predicts your labels too; macro "
            "F1 averages the classes, so always guessing the commonest label scores low.</p>"
            "<table><tr><th>model</th><th>trained on the words</th><th>accuracy</th>"
            "<th>macro F1</th></tr>"
            f"{rows}</table><p><b>{_e(c.verdict)}</b></p>{_img(plots, 'classifiers.png')}</section>"
        )

    def _themes_html(self, plots: dict[str, bytes]) -> str:
        t = self.themes
        if t.chosen_by == "silhouette":
            scores = ", ".join(f"k={k}: {v:.3f}" for k, v in sorted(t.silhouette.items()))
            sampled = (
                f" (measured on a random {t.silhouette_rows:,} of the {t.rows:,} texts)"
                if t.silhouette_rows < t.rows
                else ""
            )
            how = (
                f"k = {t.k} themes had the highest mean silhouette{sampled}: {scores}. Values "
                "near 0 mean themes that shade into each other, which is usual for feedback."
            )
        else:
            how = f"k = {t.k} themes, as asked (silhouette {t.silhouette[t.k]:.3f})."
        items = []
        for theme in t.themes:
            facts = [f"{theme.count:,} texts ({theme.share:.0%})"]
            if theme.mean_compound is not None and theme.sentiment is not None:
                facts.append(
                    f"mean sentiment {theme.mean_compound:+.2f}, "
                    f"{theme.sentiment['negative']:.0%} negative"
                )
            if theme.labels:
                facts.append(", ".join(f"{_e(k)} {v:.0%}" for k, v in theme.labels.items()))
            examples = "".join(
                f'<li>{_e(x.text)} <span class="meta">row {x.row}</span></li>'
                for x in theme.examples
            )
            items.append(
                f"<h3>{theme.number}. {_e(theme.name)}</h3>"
                f"<p>Keywords: <b>{_e(', '.join(theme.keywords) or '–')}</b> · "
                f"{' · '.join(facts)}</p>"
                f'<ul class="examples">{examples}</ul>'
            )
        return (
            "<section><h2>Themes</h2>"
            f"<p>k-means on {_e(METHOD_TITLES[self.method])}. {how} Each theme is named by "
            "the words that weigh more in its texts than in the others; the examples are "
            "the texts nearest its centre.</p>"
            f'<div class="plots">{_img(plots, "themes.png")}{_img(plots, "silhouette.png")}</div>'
            + "".join(items)
            + "</section>"
        )

    def _search_html(self) -> str:
        assert self.search is not None
        s = self.search
        how = "by meaning (MiniLM)" if s.method == "minilm" else "by shared words (TF-IDF)"
        rows = "".join(
            f"<tr><td>{h.rank}</td><td>{h.score:.3f}</td><td>{h.row}</td>"
            f"<td>{_e(h.sentiment or '–')}</td><td>{h.theme}</td><td>{_e(h.text)}</td></tr>"
            for h in s.hits
        )
        return (
            f"<section><h2>Search: “{_e(s.query)}”</h2><p>The texts most similar {how}; "
            "score: cosine similarity (1 = same direction).</p><table><tr><th>#</th>"
            "<th>score</th><th>row</th><th>sentiment</th><th>theme</th><th>text</th></tr>"
            f"{rows}</table></section>"
        )

    def _duplicates_html(self) -> str:
        d = self.duplicates
        lines = []
        for group in [*d.exact[:10], *d.near[:10]]:
            rows = ", ".join(str(r) for r in group.rows)
            if group.kind == "exact":
                lines.append(
                    f"<li><b>{len(group.rows)} copies</b> (rows {rows}): {_e(group.texts[0])}</li>"
                )
            else:
                texts = "".join(f"<li>{_e(x)}</li>" for x in group.texts)
                lines.append(
                    f"<li><b>near-duplicates</b>, similarity ≥ {group.similarity:.3f} (rows "
                    f"{rows}):<ul>{texts}</ul></li>"
                )
        more = len(d.exact) + len(d.near) - len(lines)
        return (
            "<section><h2>Duplicates</h2>"
            f"<p><b>{len(d.exact):,}</b> groups of exact copies ({d.exact_copies:,} texts repeat "
            "an earlier one once tags, case and spacing are ignored) and "
            f"<b>{len(d.near):,}</b> groups of near-duplicates ({d.near_rows:,} texts whose "
            f"cosine similarity is at least {d.threshold}).</p>"
            f"<ul>{''.join(lines)}</ul>"
            + (f'<p class="meta">…and {more:,} more groups (in the JSON).</p>' if more > 0 else "")
            + "</section>"
        )


#: The page's own layout (the HTML file only: in Jupyter the notebook owns the page).
_PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#212121;line-height:1.45}"
)
#: The report's styles, scoped to its own <div> so that a notebook keeps its look.
_STYLE = " ".join(
    f".tinkerlab-feedback {rule}"
    for rule in (
        "table{border-collapse:collapse;margin:.5rem 0}",
        "td,.tinkerlab-feedback th{border:1px solid #ddd;padding:.25rem .5rem;"
        "text-align:left;vertical-align:top}",
        "th{background:#f5f5f5}",
        ".meta{color:#757575;font-size:.9em}",
        ".headline{font-size:1.1em}",
        ".dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em}",
        ".examples li{margin:.3rem 0}",
        ".notices{color:#6d4c41}",
        "img{max-width:100%;margin:.5rem 0}",
    )
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _img(plots: dict[str, bytes], name: str) -> str:
    if name not in plots:
        return ""
    data = base64.b64encode(plots[name]).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(name)}">'


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sentiment_colour(compound: float) -> tuple[float, float, float]:
    """Red (-1) through grey (0) to green (+1)."""
    t = (max(-1.0, min(1.0, compound)) + 1) / 2
    red, grey, green = (
        np.array([0.78, 0.16, 0.16]),
        np.array([0.62, 0.62, 0.62]),
        np.array([0.18, 0.49, 0.2]),
    )
    colour = grey + (green - grey) * (2 * t - 1) if t >= 0.5 else red + (grey - red) * (2 * t)
    return (float(colour[0]), float(colour[1]), float(colour[2]))


__all__ = ["METHOD_TITLES", "FeedbackReport"]
