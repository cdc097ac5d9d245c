"""Texts to token ids, the input of the recurrent and Transformer text classifiers.

A bag of words (TF-IDF) forgets the order of the words; a GRU or a Transformer reads
them in order. :class:`TokenSequencer` learns a vocabulary of the ``max_tokens`` most
frequent words of the training texts and turns each text into ``max_length`` ids, padded
with 0 on the *left* (so the last position holds the text's last word). A longer text is
cut: its first ``max_length`` words are kept, or its last with ``keep="last"`` (what a GRU
reads best: its state after the last word decides). Id 1 stands for a word outside the
vocabulary; every text holds at least one token, so an empty text reads as "unknown",
never as nothing.

A sweep over a net's knob (``hidden_size``, ``lr``, …) fits the same fold's texts once per
value, and the texts → ids mapping does not depend on the knob. So the last few
vocabularies and encodings are kept in this process, by a digest of what decides them
(the texts and the parameters): each value after the first reads them back.

>>> TokenSequencer(max_length=4).fit(["a good tea", "bad tea"]).transform(["good tea!"])
array([[0, 0, 5, 2]])
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tinkerlab.exceptions import InputError

_WORD = re.compile(r"\b\w+\b")
#: Vocabularies and encodings kept (the latest used), by their digest key: see above.
#: Three per fold (the vocabulary, the training and the validation ids): ten folds fit.
CACHE_SIZE = 32
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_T = TypeVar("_T")


def _words(text: Any) -> list[str]:
    return _WORD.findall(str(text).lower()) if text is not None and text == text else []


class TokenSequencer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Texts → fixed-length rows of word ids (0 padding, 1 unknown, 2… by frequency)."""

    def __init__(self, max_tokens: int = 5000, max_length: int = 64, keep: str = "first") -> None:
        self.max_tokens = max_tokens
        self.max_length = max_length
        self.keep = keep  # "first" or "last": which words of a longer text are kept

    def fit(self, X: Any, y: Any = None) -> TokenSequencer:
        """Learn the vocabulary: the most frequent words, ties broken alphabetically."""
        texts = _texts(X)
        key = ("vocabulary", self.max_tokens, _digest(texts))
        self.vocabulary_ = dict(_remember(key, lambda: _vocabulary(texts, self.max_tokens)))
        return self

    def transform(self, X: Any) -> np.ndarray:
        """One row of ``max_length`` ids per text, (n, max_length)."""
        check_is_fitted(self, "vocabulary_")
        keep = getattr(self, "keep", "first")  # a sequencer saved before ``keep`` kept these
        if keep not in ("first", "last"):
            raise InputError(
                f"The 'keep' parameter of TokenSequencer must be 'first' or 'last'. "
                f"Got {keep!r} instead."
            )
        texts = _texts(X)
        vocabulary = _digest([f"{w} {i}" for w, i in self.vocabulary_.items()])
        key = ("ids", self.max_length, keep, vocabulary, _digest(texts))
        encode = lambda: _encode(texts, self.vocabulary_, self.max_length, keep)  # noqa: E731
        return _remember(key, encode).copy()

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``token_0`` … ``token_{max_length-1}``: one column per position."""
        return np.asarray([f"token_{i}" for i in range(self.max_length)], dtype=object)


def _texts(X: Any) -> list[Any]:
    """A column (Series), a one-column frame or array, or a list: one text per row."""
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:
        X = X.iloc[:, 0]
    array = np.asarray(X, dtype=object)
    return list(array[:, 0] if array.ndim == 2 else array)


def _vocabulary(texts: list[Any], max_tokens: int) -> dict[str, int]:
    """Word -> id for the *max_tokens* most frequent words, ids from 2 by frequency."""
    counts = Counter(w for text in texts for w in _words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {w: i + 2 for i, (w, _) in enumerate(ranked[:max_tokens])}


def _encode(texts: list[Any], vocabulary: dict[str, int], max_length: int, keep: str) -> np.ndarray:
    """Each text's first (or last) *max_length* word ids, padded with 0 on the left:
    (n, max_length)."""
    ids = np.zeros((len(texts), max_length), dtype=np.int64)  # (n, T)
    for row, text in enumerate(texts):
        words = [vocabulary.get(w, 1) for w in _words(text)]
        tokens = (words[:max_length] if keep == "first" else words[-max_length:]) or [1]
        ids[row, max_length - len(tokens) :] = tokens  # left padding
    return ids


def _digest(items: list[Any]) -> str:
    """A digest of a list of texts (or words); a missing text differs from any string."""
    h = hashlib.blake2b(digest_size=16)
    for item in items:
        missing = item is None or item != item  # None or NaN
        h.update(b"\x00" if missing else b"\x01" + str(item).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _remember(key: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
    """The value kept under *key*, computed (and kept, dropping the oldest) the first time."""
    if key in _CACHE:
        _CACHE.move_to_end(key)
        value: _T = _CACHE[key]
        return value
    value = compute()
    _CACHE[key] = value
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value
