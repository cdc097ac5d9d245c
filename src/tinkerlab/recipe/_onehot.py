"""One-hot encoding of many text columns at once: the same numbers as scikit-learn's
``Pipeline([SimpleImputer, OneHotEncoder])``, measured as one block instead of column by
column.

scikit-learn 1.9's ``OneHotEncoder`` validates, indexes and counts every column on its
own, with a Python ``Counter`` over object arrays; ``SimpleImputer`` converts the table
again. On 400 rows × 3,000 categorical columns a fit and a transform took 4.2 s of CPU
here, and a run does it six times; as one block, 0.3 s. :class:`CategoryBlock` does the
same work once for the whole block: every text is given its rank among all the texts of the block
(``pd.factorize``, then one sort), and the pairs *(column, rank)* are counted at once
(``np.bincount``). A category of a column is a pair seen in training; its output column is
looked up in a table of every possible pair (or found by a binary search, when there are
too many possible pairs for a table). ``fit_transform`` encodes the ranks its fit found,
the matrix ``fit().transform()`` gives, so cross-validation still reuses it
(``runner/_folds.py``).

It fills empty cells as ``SimpleImputer(strategy="most_frequent" | "constant")`` does
(ties: the smallest text), sorts each column's categories as ``OneHotEncoder`` does, and
pools the rarest categories past ``max_categories`` into one ``<column>_infrequent_sklearn``
output with ``handle_unknown="infrequent_if_exist"`` (unseen texts go there, or nowhere when
the column has no rare ones). Anything else (numbers, ``None`` or ``pd.NA`` cells, a column
with no value at all) is handed to the plain pipeline, fitted and used as is.
``tests/recipe/test_onehot.py`` checks both against scikit-learn's pair.

The run uses it for tables with :data:`WIDE_CATEGORICAL` categorical columns or more
(:func:`tinkerlab.recipe.build_pipeline`); the script a recipe writes keeps scikit-learn's
pair, which prints the same numbers, more slowly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

#: From this many categorical columns on, a run encodes them as one block.
WIDE_CATEGORICAL = 100

#: What scikit-learn calls the pooled column of a column's rare categories.
INFREQUENT = "infrequent_sklearn"


class CategoryBlock(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Fill empty cells, then one-hot encode every text column of a block at once.

    Parameters are those of the scikit-learn pair it replaces: ``SimpleImputer(strategy,
    fill_value)`` then ``OneHotEncoder(handle_unknown="infrequent_if_exist",
    max_categories, sparse_output)``.

    >>> import pandas as pd
    >>> X = pd.DataFrame({"colour": ["red", "blue", None], "size": ["S", "S", "M"]})
    >>> block = CategoryBlock(sparse_output=False).fit(X)
    >>> block.get_feature_names_out().tolist()
    ['colour_blue', 'colour_red', 'size_M', 'size_S']
    >>> block.transform(pd.DataFrame({"colour": ["red"], "size": ["XL"]})).tolist()
    [[0.0, 1.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        strategy: str = "most_frequent",
        fill_value: str | None = None,
        max_categories: int | None = None,
        sparse_output: bool = True,
    ) -> None:
        self.strategy = strategy
        self.fill_value = fill_value
        self.max_categories = max_categories
        self.sparse_output = sparse_output

    def plain(self) -> Any:
        """The scikit-learn pipeline this block computes, unfitted."""
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder

        impute: dict[str, Any] = {"strategy": self.strategy}
        if self.strategy == "constant":
            impute["fill_value"] = self.fill_value
        encode = OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            max_categories=self.max_categories,
            sparse_output=self.sparse_output,
        )
        return Pipeline([("impute", SimpleImputer(**impute)), ("encode", encode)])

    def fit(self, X: Any, y: Any = None) -> CategoryBlock:
        """Learn each column's fill value, categories and rare categories."""
        self._fit(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        """``fit(X).transform(X)``: the same matrix, encoded from the ranks the fit found
        instead of looking every text up again."""
        ranks = self._fit(X)  # (n_rows, n_columns)
        if ranks is None:
            return self.plain_.transform(X)
        return self._encode(ranks.ravel())

    def _fit(self, X: Any) -> np.ndarray | None:
        """Fit; return every cell's rank in the vocabulary after filling, ``(n_rows,
        n_columns)``, or None when the plain pipeline was fitted instead."""
        self.feature_names_in_ = np.asarray(getattr(X, "columns", []), dtype=object)
        if not len(self.feature_names_in_):
            del self.feature_names_in_
        values = _objects(X)  # (n_rows, n_columns)
        self.n_features_in_ = values.shape[1]
        self.plain_: Any = None  # the fitted scikit-learn pair, when the block hands over
        missing = _missing(values)  # (n_rows, n_columns) or None when not plain texts
        if self.strategy == "constant" and missing is not None:
            values = values.copy()
            values[missing] = self.fill_value
            missing = _missing(values)
        if (
            missing is None
            or self.strategy not in ("most_frequent", "constant")
            or values.shape[0] == 0
            or missing.all(axis=0).any()  # the imputer would drop that column
        ):
            self.plain_ = self.plain().fit(X)
            return None

        n_rows, n_columns = values.shape
        texts = values[~missing]  # (n_present,) row-major
        codes, uniques = _factorize(texts)
        self.vocabulary_ = np.sort(uniques)  # (n_texts,) every text of the block, sorted
        rank_of_code = np.empty(len(uniques), dtype=np.int64)
        rank_of_code[np.argsort(uniques)] = np.arange(len(uniques))
        ranks = np.full((n_rows, n_columns), -1, dtype=np.int64)  # (n_rows, n_columns)
        ranks[~missing] = rank_of_code[codes]
        column = np.broadcast_to(np.arange(n_columns), (n_rows, n_columns))  # (n_rows, n_columns)

        # Fill: the commonest text of the column, the smallest of those tied.
        n_texts = len(self.vocabulary_)
        keys, counts = _count(column[~missing] * n_texts + ranks[~missing], n_columns * n_texts)
        key_column, key_rank = keys // n_texts, keys % n_texts  # (n_pairs,) each
        best = np.lexsort((key_rank, -counts, key_column))  # each column's commonest first
        first = np.r_[True, key_column[best][1:] != key_column[best][:-1]]
        fill_rank = key_rank[best][first]  # (n_columns,): every column has a value
        self.statistics_ = self.vocabulary_[fill_rank]  # (n_columns,)
        if self.strategy == "constant":  # filled before: what empty cells become later
            self.statistics_ = np.full(n_columns, self.fill_value, dtype=object)
        ranks[missing] = fill_rank[column[missing]]

        # Categories: the (column, rank) pairs after filling, sorted by column then text.
        keys, counts = _count((column * n_texts + ranks).ravel(), n_columns * n_texts)  # (n_pairs,)
        starts = np.searchsorted(keys // n_texts, np.arange(n_columns + 1))  # (n_columns + 1,)
        self.keys_ = keys
        self.outputs_ = np.empty(len(keys), dtype=np.int64)  # (n_pairs,) output column
        self.infrequent_output_ = np.full(n_columns, -1, dtype=np.int64)  # (n_columns,)
        self.categories_ = []
        names: list[tuple[int, str]] = []
        offset = 0
        for j in range(n_columns):
            low, high = starts[j], starts[j + 1]
            self.categories_.append(self.vocabulary_[keys[low:high] % n_texts])
            rare = self._infrequent(counts[low:high])
            if rare is None:
                self.outputs_[low:high] = offset + np.arange(high - low)
                names += [(j, str(text)) for text in self.categories_[j]]
                offset += high - low
                continue
            common = np.setdiff1d(np.arange(high - low), rare)
            outputs = np.empty(high - low, dtype=np.int64)
            outputs[common] = offset + np.arange(len(common))
            outputs[rare] = offset + len(common)
            self.outputs_[low:high] = outputs
            self.infrequent_output_[j] = offset + len(common)
            names += [(j, str(text)) for text in self.categories_[j][common]]
            names.append((j, INFREQUENT))
            offset += len(common) + 1
        self.output_names_ = names  # (column, category) of each output
        self.n_outputs_ = offset
        return ranks

    def _infrequent(self, counts: np.ndarray) -> np.ndarray | None:
        """``OneHotEncoder._identify_infrequent`` with ``min_frequency=None``: which
        categories (their positions) are pooled, or None."""
        if self.max_categories is None or self.max_categories >= len(counts) + 1:
            return None
        if self.max_categories == 1:
            return np.arange(len(counts))
        smallest = np.argsort(counts, kind="mergesort")[: -(self.max_categories - 1)]
        return np.sort(smallest)

    def transform(self, X: Any) -> Any:
        """One-hot encode the rows: a CSR matrix, or an array with ``sparse_output=False``."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "plain_")
        if self.plain_ is not None:
            return self.plain_.transform(X)
        values = _objects(X)  # (n_rows, n_columns)
        n_columns = values.shape[1]
        if n_columns != self.n_features_in_:
            raise ValueError(
                f"X has {n_columns} features, but CategoryBlock is expecting "
                f"{self.n_features_in_} features as input."
            )
        missing = _nan(values)  # (n_rows, n_columns): what SimpleImputer fills
        if missing.any():
            values = values.copy()
            values[missing] = np.broadcast_to(self.statistics_, values.shape)[missing]
        import pandas as pd

        ranks = pd.Index(self.vocabulary_, dtype=object).get_indexer(values.ravel())  # row-major
        return self._encode(ranks)

    def _encode(self, ranks: np.ndarray) -> Any:
        """The one-hot matrix of the cells' ranks in the vocabulary (-1: not in it),
        ``(n_rows * n_columns,)`` row by row."""
        from scipy import sparse

        n_columns = self.n_features_in_
        n_rows = len(ranks) // max(n_columns, 1)
        column = np.tile(np.arange(n_columns), n_rows)  # (n_rows * n_columns,)
        keys = column * len(self.vocabulary_) + ranks  # (n_rows * n_columns,)
        n_keys = n_columns * len(self.vocabulary_)
        if n_keys <= COUNTED_PAIRS:  # a table of every possible pair: one lookup each
            table = np.full(n_keys, -2, dtype=np.int64)  # -2: not a category of the column
            table[self.keys_] = self.outputs_
            outputs = np.where(ranks >= 0, table[np.where(ranks >= 0, keys, 0)], -2)
        else:  # a binary search over the pairs seen
            at = np.minimum(np.searchsorted(self.keys_, keys), len(self.keys_) - 1)
            outputs = np.where((ranks >= 0) & (self.keys_[at] == keys), self.outputs_[at], -2)
        unknown = outputs == -2
        outputs[unknown] = self.infrequent_output_[column[unknown]]
        kept = outputs >= 0  # an unseen text of a column without rare ones: all zeros
        rows = np.repeat(np.arange(n_rows), n_columns)[kept]
        if not self.sparse_output:
            dense = np.zeros((n_rows, self.n_outputs_))  # (n_rows, n_outputs)
            dense[rows, outputs[kept]] = 1.0
            return dense
        indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=n_rows))]  # (n_rows + 1,)
        ones = np.ones(len(rows))
        return sparse.csr_matrix((ones, outputs[kept], indptr), shape=(n_rows, self.n_outputs_))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``<column>_<category>`` and ``<column>_infrequent_sklearn``, as scikit-learn's."""
        from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

        check_is_fitted(self, "plain_")
        if self.plain_ is not None:
            return np.asarray(self.plain_.get_feature_names_out(input_features), dtype=object)
        columns = _check_feature_names_in(self, input_features)
        return np.array([f"{columns[j]}_{text}" for j, text in self.output_names_], dtype=object)


def _objects(X: Any) -> np.ndarray:
    """The block as one object array, ``(n_rows, n_columns)``, converted once."""
    if hasattr(X, "to_numpy"):
        return np.asarray(X.to_numpy(dtype=object))
    return np.asarray(X, dtype=object)


def _missing(values: np.ndarray) -> np.ndarray | None:
    """Where the cells are NaN (what ``SimpleImputer`` fills in text columns), when every
    other cell is a ``str``; None when some cell is anything else (a number, ``None``,
    ``pd.NA``), which the plain pipeline handles its own way."""
    import pandas as pd

    empty = pd.isna(values)  # (n_rows, n_columns): NaN, None, NA, NaT
    if not all(isinstance(v, float) for v in values[empty]):  # only NaN: SimpleImputer's
        return None
    present = values[~empty]
    if len(present) and pd.api.types.infer_dtype(present, skipna=False) != "string":
        return None
    return np.asarray(empty)


def _nan(values: np.ndarray) -> np.ndarray:
    """Where the cells are NaN: ``SimpleImputer(missing_values=np.nan)`` leaves ``None``
    and ``pd.NA`` alone (the encoder then sees an unknown category)."""
    import pandas as pd

    empty = np.asarray(pd.isna(values))  # (n_rows, n_columns)
    if empty.any():
        empty[empty] = [isinstance(v, float) for v in values[empty]]
    return empty


#: Up to this many possible (column, text) pairs, they are counted in an array, not sorted.
COUNTED_PAIRS = 10_000_000


def _count(keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct *keys*, sorted, and how often each occurs: ``np.unique(keys,
    return_counts=True)``, by counting when the possible keys are few enough."""
    if n_keys > COUNTED_PAIRS:
        return np.unique(keys, return_counts=True)
    counts = np.bincount(keys, minlength=n_keys)  # (n_keys,)
    seen = np.flatnonzero(counts)
    return seen, counts[seen]


def _factorize(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and uniques of the texts, uniques as an object array."""
    import pandas as pd

    codes, uniques = pd.factorize(texts)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)
