"""Texts to token ids, the input of the recurrent and Transformer text classifiers.

A bag of words (TF-IDF) forgets the order of the words; a GRU or a Transformer reads
them in order. :class:`TokenSequencer` learns a vocabulary of the ``max_tokens`` most
frequent words of the training texts and turns each text into ``max_length`` ids, padded
with 0 on the *left* (so the last position holds the text's last word, where a GRU's final
state is read). Id 1 stands for a word outside the vocabulary; every text holds at least
one token, so an empty text reads as "unknown", never as nothing.

>>> TokenSequencer(max_length=4).fit(["a good tea", "bad tea"]).transform(["good tea!"])
array([[0, 0, 5, 2]])
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

_WORD = re.compile(r"\b\w+\b")


def _words(text: Any) -> list[str]:
    return _WORD.findall(str(text).lower()) if text is not None and text == text else []


class TokenSequencer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Texts → fixed-length rows of word ids (0 padding, 1 unknown, 2… by frequency)."""

    def __init__(self, max_tokens: int = 5000, max_length: int = 64) -> None:
        self.max_tokens = max_tokens
        self.max_length = max_length

    def fit(self, X: Any, y: Any = None) -> TokenSequencer:
        """Learn the vocabulary: the most frequent words, ties broken alphabetically."""
        counts = Counter(w for text in _texts(X) for w in _words(text))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        self.vocabulary_ = {w: i + 2 for i, (w, _) in enumerate(ranked[: self.max_tokens])}
        return self

    def transform(self, X: Any) -> np.ndarray:
        """One row of ``max_length`` ids per text, (n, max_length)."""
        check_is_fitted(self, "vocabulary_")
        texts = _texts(X)
        ids = np.zeros((len(texts), self.max_length), dtype=np.int64)  # (n, T)
        for row, text in enumerate(texts):
            tokens = [self.vocabulary_.get(w, 1) for w in _words(text)][: self.max_length] or [1]
            ids[row, self.max_length - len(tokens) :] = tokens  # left padding
        return ids

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``token_0`` … ``token_{max_length-1}``: one column per position."""
        return np.asarray([f"token_{i}" for i in range(self.max_length)], dtype=object)


def _texts(X: Any) -> list[Any]:
    """A column (Series), a one-column frame or array, or a list: one text per row."""
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:
        X = X.iloc[:, 0]
    array = np.asarray(X, dtype=object)
    return list(array[:, 0] if array.ndim == 2 else array)
