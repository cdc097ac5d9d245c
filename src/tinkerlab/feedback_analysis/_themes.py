"""Themes: k-means over the texts' vectors, named by their most distinctive words.

1. **Group.** k-means (``n_init=4``, seeded) on the unit-length vectors of the meaning
   space, for every k in ``THEME_RANGE`` unless the user fixed k.
2. **Choose k.** The silhouette of a text is (b - a) / max(a, b), where a is its mean
   distance to its own theme and b to the nearest other theme: near 1 when themes are
   tight and apart, near 0 when they overlap. The k with the highest mean silhouette
   wins. Computing it is quadratic in the rows, so above ``SILHOUETTE_SAMPLE`` rows it is
   measured on a seeded random sample of that size (scikit-learn's ``sample_size``).
3. **Name.** A theme's keywords are the words and word pairs whose TF-IDF weight is
   highest in its texts *compared with the other texts* (mean inside minus mean
   outside), so "coffee" names the coffee theme and "good", said everywhere, names none.
   Terms in fewer than ``KEYWORD_MIN_ROWS`` texts (typos, names) or in more than half of
   them are never keywords; a term adding no new word ("dogs" after "dog", "dog food"
   after "dog" and "food"), or repeating a word for the third time ("great taste" after
   "great" and "great product"), is skipped.
4. **Show.** Its size, its mean sentiment, and the texts nearest its centre (by cosine
   similarity to the centroid), which read like the theme's typical member.

Sentence embeddings rarely form well-separated clusters: silhouettes of 0.03 to 0.1 are
usual, and mean that themes shade into each other. They summarise the feedback; they are
not natural kinds.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tinkerlab.feedback_analysis._clean import normalise, snippet
from tinkerlab.feedback_analysis._vectors import Progress, TextSpace

#: The numbers of themes tried when none is given (inclusive). Fewer than 2 is no
#: grouping; more than 8 is more than a person reads at a glance.
THEME_RANGE = (2, 8)
#: The largest number of themes a user may ask for.
MAX_THEMES = 30
#: Above this many texts, the silhouette is measured on a random sample of this size.
SILHOUETTE_SAMPLE = 2000
#: Keywords per theme (the first three name it), and examples shown per theme.
N_KEYWORDS, N_EXAMPLES = 5, 3
#: A keyword occurs in at least this many texts (and at least 0.2 % of them)...
KEYWORD_MIN_ROWS = 3
#: ...and in at most this share of them.
KEYWORD_MAX_SHARE = 0.5
#: k-means restarts per k: the best of 4 seeded starts.
N_INIT = 4


@dataclass(frozen=True)
class Example:
    """A text shown for a theme or a search: where it is, and how close it came."""

    row: int  # 0-based row of the table as read
    text: str  # the cleaned text, cut to a few sentences
    similarity: float  # cosine similarity to the theme's centre (or the query)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {"row": self.row, "text": self.text, "similarity": round(self.similarity, 4)}


@dataclass(frozen=True)
class Theme:
    """One group of similar texts."""

    number: int  # 1 is the largest theme
    name: str  # its first three keywords
    keywords: tuple[str, ...]  # most distinctive first
    count: int  # texts in it
    share: float  # of all texts analysed, in [0, 1]
    mean_compound: float | None  # mean VADER compound score (None: VADER not installed)
    sentiment: dict[str, float] | None  # bucket -> share of the theme's texts
    labels: dict[str, float] | None  # label -> share of the theme's labelled texts
    examples: tuple[Example, ...]  # nearest the centre first

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "number": self.number,
            "name": self.name,
            "keywords": list(self.keywords),
            "count": self.count,
            "share": round(self.share, 4),
            "mean_compound": None if self.mean_compound is None else round(self.mean_compound, 4),
            "sentiment": _rounded(self.sentiment),
            "labels": _rounded(self.labels),
            "examples": [e.to_dict() for e in self.examples],
        }


@dataclass(frozen=True)
class ThemeSummary:
    """The themes found, and how their number was chosen."""

    k: int  # number of themes
    chosen_by: Literal["silhouette", "given"]
    silhouette: dict[int, float]  # k -> mean silhouette, for every k tried
    silhouette_rows: int  # texts the silhouette was measured on (a sample above 2,000)
    rows: int  # texts grouped
    themes: tuple[Theme, ...]  # largest first
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "k": self.k,
            "chosen_by": self.chosen_by,
            "range": list(THEME_RANGE),
            "silhouette": {str(k): round(v, 4) for k, v in self.silhouette.items()},
            "silhouette_rows": self.silhouette_rows,
            "rows": self.rows,
            "themes": [t.to_dict() for t in self.themes],
        }


def find_themes(
    space: TextSpace,
    rows: Sequence[int],
    texts: Sequence[str],
    *,
    k: int | None,
    sentiments: Sequence[str] | None,
    compound: NDArray[np.float64] | None,
    labels: Sequence[str] | None,
    seed: int,
    progress: Progress,
) -> tuple[ThemeSummary, NDArray[np.int64]]:
    """Group the texts, choose k by silhouette unless given, name and describe each theme.

    Returns the summary and each text's theme number (1 = the largest), shape (n,).
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    tick = time.perf_counter()
    X = space.vectors  # (n, d), unit rows
    n = len(X)
    candidates = (
        [k] if k is not None else list(range(THEME_RANGE[0], min(THEME_RANGE[1], n - 1) + 1))
    )
    sample = SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None
    fits: dict[int, NDArray[np.int64]] = {}
    centres: dict[int, NDArray[np.float64]] = {}
    silhouette: dict[int, float] = {}
    for candidate in candidates:
        progress(f"grouping into {candidate} themes (k-means), measuring the silhouette")
        model = KMeans(n_clusters=candidate, n_init=N_INIT, random_state=seed).fit(X)
        assignment = np.asarray(model.labels_, dtype=np.int64)  # (n,)
        fits[candidate], centres[candidate] = assignment, model.cluster_centers_
        if len(np.unique(assignment)) > 1:
            silhouette[candidate] = float(
                silhouette_score(X, assignment, sample_size=sample, random_state=seed)
            )
        else:  # identical texts: k-means could not split them
            silhouette[candidate] = float("nan")
    best = max(candidates, key=lambda c: (np.nan_to_num(silhouette[c], nan=-2.0), -c))
    progress(f"naming the {best} themes by their most distinctive words")
    assignment, centre = fits[best], centres[best]
    sizes = np.bincount(assignment, minlength=best)  # (best,)
    order = sorted(range(best), key=lambda c: (-sizes[c], c))  # cluster ids, largest first
    number = np.empty(best, dtype=np.int64)
    number[order] = np.arange(1, best + 1)
    themes = tuple(
        _describe(
            number=int(number[c]),
            members=np.flatnonzero(assignment == c),
            centre=centre[c],
            space=space,
            rows=rows,
            texts=texts,
            sentiments=sentiments,
            compound=compound,
            labels=labels,
        )
        for c in order
    )
    summary = ThemeSummary(
        k=best,
        chosen_by="given" if k is not None else "silhouette",
        silhouette=silhouette,
        silhouette_rows=sample or n,
        rows=n,
        themes=themes,
        seconds=time.perf_counter() - tick,
    )
    return summary, number[assignment]


def keywords(
    lexical: Any, terms: NDArray[np.object_], members: NDArray[np.int64], limit: int = N_KEYWORDS
) -> tuple[str, ...]:
    """The terms whose TF-IDF weight is highest in *members* compared with the rest."""
    n = lexical.shape[0]
    inside = np.zeros(n, dtype=bool)
    inside[members] = True
    document_frequency = np.asarray((lexical > 0).sum(axis=0)).ravel()  # (n_terms,)
    allowed = (document_frequency >= max(KEYWORD_MIN_ROWS, int(0.002 * n))) & (
        document_frequency <= KEYWORD_MAX_SHARE * n
    )
    mean_in = np.asarray(lexical[inside].mean(axis=0)).ravel()  # (n_terms,)
    mean_out = (
        np.asarray(lexical[~inside].mean(axis=0)).ravel() if (~inside).any() else 0.0 * mean_in
    )
    lift = np.where(allowed, mean_in - mean_out, -np.inf)  # (n_terms,)
    chosen: list[str] = []
    uses: Counter[str] = Counter()  # word (plural folded) -> chosen terms holding it
    for column in np.argsort(-lift, kind="stable"):
        if len(chosen) == limit or lift[column] <= 0:
            break
        term = str(terms[column])
        words = {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in term.split()}
        if all(uses[w] for w in words) or any(uses[w] >= 2 for w in words):
            continue  # "dogs" after "dog"; "dog food" after both; a third "great ..."
        chosen.append(term)
        uses.update(words)
    return tuple(chosen)


def _describe(
    *,
    number: int,
    members: NDArray[np.int64],
    centre: NDArray[np.float64],
    space: TextSpace,
    rows: Sequence[int],
    texts: Sequence[str],
    sentiments: Sequence[str] | None,
    compound: NDArray[np.float64] | None,
    labels: Sequence[str] | None,
) -> Theme:
    found = keywords(space.lexical, space.terms, members)
    direction = centre / (np.linalg.norm(centre) or 1.0)
    closeness = space.vectors[members] @ direction  # (len(members),) cosine to the centre
    examples: list[Example] = []
    seen: set[str] = set()
    for position in np.argsort(-closeness, kind="stable"):
        i = int(members[position])
        key = normalise(texts[i])
        if key in seen:
            continue  # the same text twice is one example
        seen.add(key)
        examples.append(Example(rows[i], snippet(texts[i], 300), float(closeness[position])))
        if len(examples) == N_EXAMPLES:
            break
    mine_sentiments = [sentiments[i] for i in members] if sentiments is not None else None
    mine_labels = [labels[i] for i in members if labels[i]] if labels is not None else None
    return Theme(
        number=number,
        name=", ".join(found[:3]) or f"theme {number}",
        keywords=found,
        count=len(members),
        share=len(members) / len(texts),
        mean_compound=None if compound is None else float(np.mean(compound[members])),
        sentiment=_shares(mine_sentiments, ("positive", "neutral", "negative")),
        labels=_shares(mine_labels, sorted(set(labels) - {""}) if labels else ()),
        examples=tuple(examples),
    )


def _shares(values: Sequence[str] | None, order: Sequence[str]) -> dict[str, float] | None:
    if values is None:
        return None
    total = len(values) or 1
    return {v: sum(1 for x in values if x == v) / total for v in order}


def _rounded(shares: dict[str, float] | None) -> dict[str, float] | None:
    return None if shares is None else {k: round(v, 4) for k, v in shares.items()}


__all__ = [
    "KEYWORD_MAX_SHARE",
    "KEYWORD_MIN_ROWS",
    "MAX_THEMES",
    "N_EXAMPLES",
    "N_KEYWORDS",
    "SILHOUETTE_SAMPLE",
    "THEME_RANGE",
    "Example",
    "Theme",
    "ThemeSummary",
    "find_themes",
    "keywords",
]
