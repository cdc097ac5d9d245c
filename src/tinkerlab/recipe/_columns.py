"""Columns chosen by name and handed to scikit-learn by position, for wide tables.

Given a DataFrame and a list of column names, scikit-learn 1.9's ``ColumnTransformer``
finds each name with ``list.index`` over all the table's columns
(``sklearn.utils._indexing._get_column_indices``): on 500 rows × 10,000 columns, 8,000
names looked up in a list of 10,000 cost 0.2–0.4 s per fit, and a run fits six times
(five folds and the final model). Positions are taken as they are. :class:`ColumnsNamed`
keeps the names (what a learner reads in the recipe and the script) and gives
scikit-learn the positions, found in one dictionary.

Nothing else changes: once fitted, a ``ColumnTransformer`` fed a DataFrame selects the
columns by the names it saw in training (``feature_names_in_``), whatever the positions,
so a table whose columns come in another order is still read right (tested in
``tests/recipe/test_columns.py``). A run uses it from :data:`WIDE_COLUMNS` columns on
(:func:`tinkerlab.recipe.build_pipeline`); the script a recipe writes keeps the plain
lists of names.
"""

from __future__ import annotations

from typing import Any

#: From this many named columns in one block on, a run hands scikit-learn positions.
WIDE_COLUMNS = 1_000


class ColumnsNamed:
    """A ``ColumnTransformer`` column selector: *names*, found in a DataFrame by position.

    >>> import pandas as pd
    >>> ColumnsNamed(["c", "a"])(pd.DataFrame(columns=["a", "b", "c"]))
    [2, 0]
    """

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)

    def __call__(self, X: Any) -> list[int]:
        position = {name: i for i, name in enumerate(X.columns)}
        missing = [name for name in self.names if name not in position]
        if missing:  # the message scikit-learn gives for names it cannot find
            raise ValueError(f"Some column names are not columns of the dataframe: {missing}")
        return [position[name] for name in self.names]

    def __repr__(self) -> str:
        shown = ", ".join(repr(name) for name in self.names[:3])
        more = f", … (+{len(self.names) - 3})" if len(self.names) > 3 else ""
        return f"ColumnsNamed([{shown}{more}])"
