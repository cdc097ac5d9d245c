"""Texts as vectors: MiniLM sentence embeddings, or TF-IDF + SVD when those are missing.

Two spaces, one per question:

- **meaning** (``TextSpace.vectors``, shape (n, d), rows of length 1): what themes,
  search and near-duplicates compare. MiniLM embeddings when the ``text`` extra is
  installed — "arrived broken" lands near "the box was crushed" with no word in common.
  Without it, latent semantic analysis: TF-IDF reduced by a truncated SVD to
  ``LSA_DIMENSIONS`` numbers, which merges words that occur together.
- **words** (``TextSpace.lexical``, a sparse (n, terms) TF-IDF matrix, rows of length
  1): what names the themes (their keywords), and what the TF-IDF fallback searches.

Embeddings come from :class:`~tinkerlab.pretrained.MiniLMEmbedder`, whose on-disk cache
makes a second run over the same texts take a second instead of minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tinkerlab.exceptions import InputError
from tinkerlab.feedback_analysis._clean import STOP_WORDS, WORD_PATTERN

#: How the texts were turned into vectors: sentence embeddings, or TF-IDF + SVD.
Method = Literal["minilm", "tfidf"]
#: Reports progress: one short sentence per step.
Progress = Callable[[str], None]

#: Numbers per text in the TF-IDF fallback (latent semantic analysis): the usual 100.
LSA_DIMENSIONS = 100
#: Texts encoded between two progress messages.
ENCODE_CHUNK = 256


@dataclass
class TextSpace:
    """The texts as vectors, and how to place a new text (a search query) among them."""

    method: Method
    vectors: NDArray[np.float32]  # (n, d): MiniLM (d=384) or LSA (d<=100), unit rows
    lexical: Any  # scipy.sparse (n, n_terms): TF-IDF of words and word pairs, unit rows
    terms: NDArray[np.object_]  # (n_terms,): the words and pairs, column by column
    vectorizer: Any  # the fitted TfidfVectorizer behind `lexical`
    svd: Any  # the fitted TruncatedSVD (TF-IDF fallback), else None
    embedder: Any  # the fitted MiniLMEmbedder, else None

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Vectors of new *texts* in the meaning space: shape (len(texts), d), unit rows."""
        if self.embedder is not None:
            return np.asarray(self.embedder.transform(list(texts)), dtype=np.float32)
        return _unit(self.svd.transform(self.vectorizer.transform(list(texts))))


def build_space(
    texts: Sequence[str], method: Method, *, seed: int, progress: Progress
) -> TextSpace:
    """Fit the word space and the meaning space on *texts* (already cleaned).

    Raises
    ------
    InputError
        When the texts hold fewer than three distinct words: nothing to compare.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words=sorted(STOP_WORDS),
        token_pattern=WORD_PATTERN,
        ngram_range=(1, 2),  # word pairs name things: "green tea", "dog food"
        sublinear_tf=True,  # a word said five times is not five times as telling
        dtype=np.float32,
    )
    try:
        lexical = vectorizer.fit_transform(list(texts))  # (n, n_terms), sparse
    except ValueError:  # "empty vocabulary": only stop words, numbers or symbols
        lexical = None
    if lexical is None or lexical.shape[1] < 3:
        raise InputError(
            "The texts hold fewer than three distinct words (after dropping stop words such "
            "as 'the' and numbers), so there is nothing to compare. Fix: check that --text "
            "names the column of written feedback."
        )
    terms = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    if method == "minilm":
        embedder, vectors = _embed(texts, progress)
        return TextSpace(method, vectors, lexical, terms, vectorizer, None, embedder)
    from sklearn.decomposition import TruncatedSVD

    progress("reducing TF-IDF to topics (TruncatedSVD)")
    size = min(LSA_DIMENSIONS, lexical.shape[1] - 1, len(texts) - 1)
    svd = TruncatedSVD(n_components=size, random_state=seed)
    vectors = _unit(svd.fit_transform(lexical))  # (n, size)
    return TextSpace(method, vectors, lexical, terms, vectorizer, svd, None)


def _embed(texts: Sequence[str], progress: Progress) -> tuple[Any, NDArray[np.float32]]:
    """MiniLM embeddings of *texts*, in chunks so that the progress can be shown."""
    from tinkerlab.pretrained import EmbeddingCache, MiniLMEmbedder

    embedder = MiniLMEmbedder().fit(list(texts))
    cache = EmbeddingCache(embedder.model_key_, embedder.embedding_dim_)
    unique = list(dict.fromkeys(texts))
    new = sum(1 for text in unique if not cache.path(text).exists())
    what = f"{new:,} new" if new else "all cached"
    chunks = []
    for start in range(0, len(texts), ENCODE_CHUNK):
        progress(
            f"embedding texts with MiniLM: {start:,} of {len(texts):,} ({what}; "
            "cached for the next run)"
        )
        chunks.append(embedder.transform(list(texts[start : start + ENCODE_CHUNK])))
    return embedder, np.concatenate(chunks).astype(np.float32, copy=False)  # (n, 384)


def _unit(matrix: Any) -> NDArray[np.float32]:
    """Rows scaled to length 1 (a zero row stays zero), as float32."""
    from sklearn.preprocessing import normalize

    return np.asarray(normalize(np.asarray(matrix, dtype=np.float64)), dtype=np.float32)


__all__ = ["ENCODE_CHUNK", "LSA_DIMENSIONS", "Method", "Progress", "TextSpace", "build_space"]
