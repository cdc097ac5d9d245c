"""Semantic search and duplicates: which texts say (nearly) the same thing.

Both compare unit-length vectors by their dot product, the cosine similarity: 1 for the
same direction, about 0 for unrelated texts.

- **Search** ranks every text by its cosine similarity to the query: MiniLM embeddings
  when installed (meaning: "arrived broken" finds "the jar was smashed"), else TF-IDF
  words (the query's words must occur in the text).
- **Exact duplicates** are texts equal once tags, case and spacing are set aside.
- **Near-duplicates** are texts, not exact copies, whose cosine similarity reaches
  :data:`NEAR_DUPLICATE`. The thresholds were read off the bundled reviews: with MiniLM,
  every pair at 0.95 or above was one review posted twice with edits (0.98 to 0.998: a
  phrase or a sentence changed or added; 0.96: a reviewer rewording their own review),
  while pairs at 0.90-0.93 were different people saying similar things ("I love this
  decaf tea"). With TF-IDF words, copies scored 0.86 and above and distinct reviews below
  0.7.
  Groups are linked pairs (A~B and B~C put A, B and C together).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tinkerlab.exceptions import InputError
from tinkerlab.feedback_analysis._clean import normalise, snippet
from tinkerlab.feedback_analysis._vectors import Method, TextSpace

#: Cosine similarity from which two different texts count as near-duplicates, per space.
NEAR_DUPLICATE: dict[Method, float] = {"minilm": 0.95, "tfidf": 0.80}
#: Rows compared at once when looking for near-duplicates: memory is (chunk, n) floats.
PAIR_CHUNK = 1024


@dataclass(frozen=True)
class SearchHit:
    """One text found by a search."""

    rank: int  # 1 is the most similar
    row: int  # 0-based row of the table as read
    score: float  # cosine similarity to the query
    text: str  # the cleaned text, cut to a few sentences
    sentiment: str | None  # VADER's bucket (None: VADER not installed)
    theme: int  # the theme it belongs to
    label: str | None  # its label, when the table has labels

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "rank": self.rank,
            "row": self.row,
            "score": round(self.score, 4),
            "text": self.text,
            "sentiment": self.sentiment,
            "theme": self.theme,
            "label": self.label,
        }


@dataclass(frozen=True)
class SearchResult:
    """The texts most similar to a query, best first."""

    query: str
    method: Method  # "minilm": by meaning; "tfidf": by shared words
    hits: tuple[SearchHit, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "query": self.query,
            "method": self.method,
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class DuplicateGroup:
    """Texts that say the same thing: copies, or near-copies."""

    kind: Literal["exact", "near"]
    rows: tuple[int, ...]  # 0-based rows of the table as read, first one first
    similarity: float  # the lowest linking cosine similarity (1.0 for exact copies)
    texts: tuple[str, ...]  # exact: the one text; near: each member's text, cut

    def to_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return {
            "kind": self.kind,
            "rows": list(self.rows),
            "similarity": round(self.similarity, 4),
            "texts": list(self.texts),
        }


@dataclass(frozen=True)
class DuplicateSummary:
    """Every exact and near-duplicate group."""

    method: Method
    threshold: float  # NEAR_DUPLICATE[method]
    exact: tuple[DuplicateGroup, ...]  # largest first
    near: tuple[DuplicateGroup, ...]  # most similar first

    @property
    def exact_copies(self) -> int:
        """Texts that repeat an earlier one exactly (a group of 3 counts 2)."""
        return sum(len(g.rows) - 1 for g in self.exact)

    @property
    def near_rows(self) -> int:
        """Texts in near-duplicate groups."""
        return sum(len(g.rows) for g in self.near)

    def to_dict(self, limit: int = 50) -> dict[str, Any]:
        """JSON-able; at most *limit* groups of each kind (the counts cover them all)."""
        return {
            "method": self.method,
            "near_threshold": self.threshold,
            "exact_groups": len(self.exact),
            "exact_copies": self.exact_copies,
            "near_groups": len(self.near),
            "near_rows": self.near_rows,
            "exact": [g.to_dict() for g in self.exact[:limit]],
            "near": [g.to_dict() for g in self.near[:limit]],
        }


def search(
    space: TextSpace,
    query: str,
    *,
    rows: Sequence[int],
    texts: Sequence[str],
    sentiments: Sequence[str] | None,
    themes: NDArray[np.int64],
    labels: Sequence[str] | None,
    top: int,
) -> SearchResult:
    """The *top* texts most similar to *query*, best first (ties: the earlier row first).

    Raises
    ------
    InputError
        The TF-IDF fallback knows none of the query's words.
    """
    if space.method == "minilm":
        scores = space.vectors @ space.embed([query])[0]  # (n,)
    else:
        q = space.vectorizer.transform([query])  # (1, n_terms)
        if q.nnz == 0:
            raise InputError(
                f"None of the words of {query!r} occur in the texts (stop words such as "
                "'the' are ignored), and without the text extra the search matches words, "
                "not meaning. Fix: use words from the feedback, or pip install "
                "'tinkerlab[text]' to search by meaning."
            )
        scores = np.asarray((space.lexical @ q.T).todense()).ravel()  # (n,)
    order = np.lexsort((np.arange(len(scores)), -scores))[:top]
    hits = tuple(
        SearchHit(
            rank=rank,
            row=rows[i],
            score=float(scores[i]),
            text=snippet(texts[i], 300),
            sentiment=None if sentiments is None else sentiments[i],
            theme=int(themes[i]),
            label=None if labels is None else (labels[i] or None),
        )
        for rank, i in enumerate(order.tolist(), 1)
    )
    return SearchResult(query=query, method=space.method, hits=hits)


def find_duplicates(
    space: TextSpace, rows: Sequence[int], texts: Sequence[str]
) -> DuplicateSummary:
    """Exact copies (same normalised text) and near-copies (cosine >= the threshold)."""
    groups: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        groups.setdefault(normalise(text), []).append(i)
    exact = sorted(
        (
            DuplicateGroup(
                "exact", tuple(rows[i] for i in members), 1.0, (snippet(texts[members[0]], 200),)
            )
            for members in groups.values()
            if len(members) > 1
        ),
        key=lambda g: (-len(g.rows), g.rows[0]),
    )
    firsts = np.array([members[0] for members in groups.values()])  # (m,) one per distinct text
    threshold = NEAR_DUPLICATE[space.method]
    matrix = space.vectors if space.method == "minilm" else space.lexical
    pairs = _similar_pairs(matrix[firsts], threshold)
    near = []
    for component, similarity in _components(pairs):
        first = texts[firsts[component[0]]]
        shown = [snippet(first, 200)]
        shown += [_from_difference(first, texts[firsts[j]], 200) for j in component[1:]]
        near.append(
            DuplicateGroup(
                "near", tuple(rows[firsts[j]] for j in component), similarity, tuple(shown)
            )
        )
    near.sort(key=lambda g: (-g.similarity, g.rows[0]))
    return DuplicateSummary(space.method, threshold, tuple(exact), tuple(near))


def _from_difference(first: str, other: str, limit: int) -> str:
    """*other*, from a little before where it departs from *first*: near-copies often share
    their first hundred characters, and showing those twice says nothing."""
    same = 0
    for a, b in zip(first, other, strict=False):
        if a != b:
            break
        same += 1
    if same < 80:
        return snippet(other, limit)
    start = other.rfind(" ", 0, same - 30) + 1
    return "…" + snippet(other[start:], limit)


def _similar_pairs(matrix: Any, threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) with i < j and cosine >= threshold; rows are unit vectors."""
    import scipy.sparse as sp

    pairs: list[tuple[int, int, float]] = []
    n = matrix.shape[0]
    for start in range(0, n, PAIR_CHUNK):
        block = matrix[start : start + PAIR_CHUNK] @ matrix.T  # (chunk, n)
        block = block.toarray() if sp.issparse(block) else np.asarray(block)
        found_i, found_j = np.nonzero(block >= threshold - 1e-6)
        for i, j in zip(found_i.tolist(), found_j.tolist(), strict=True):
            if start + i < j:
                pairs.append((start + i, j, float(block[i, j])))
    return pairs


def _components(pairs: list[tuple[int, int, float]]) -> list[tuple[list[int], float]]:
    """Connected groups of linked items, each sorted, with its weakest link's similarity."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    weakest: dict[int, float] = {}
    for i in sorted(parent):
        members.setdefault(root(i), []).append(i)
    for i, _j, similarity in pairs:
        r = root(i)
        weakest[r] = min(weakest.get(r, 1.0), similarity)
    return [(group, min(weakest[r], 1.0)) for r, group in members.items()]


__all__ = [
    "NEAR_DUPLICATE",
    "DuplicateGroup",
    "DuplicateSummary",
    "SearchHit",
    "SearchResult",
    "find_duplicates",
    "search",
]
