"""New-feature steps: features a recipe adds to its columns, written as short text.

A step is one string a learner can type after ``--add`` or in ``--knob add_feature
--values``; :data:`STEP_KINDS` is the table of what each kind makes:

==================  ==========================================================================
``log:COL``         log(1 + x) of a number column (squeezes a long right tail; needs x ≥ 0)
``sqrt:COL``        the square root of a number column (a milder squeeze; needs x ≥ 0)
``bins:COL=K``      a number column cut into K ranges of equal counts, one-hot (K: 2..50)
``poly:D``          every product of the number columns up to degree D (2 or 3), squares too
``inter``           every product of two different number columns (interaction terms)
``date:COL``        the year, month, day and weekday of a column of dates
``len:COL``         the length of a text (or category) in characters and in words
==================  ==========================================================================

Each step becomes part of the pipeline (:func:`step_blocks`, :func:`numeric_steps`), so
the run, the generated script and a served model all compute it the same way from the
raw columns, fitted on training rows only (the bins' edges, the imputed values).
``log``/``sqrt``/``bins``/``date``/``len`` add a block of columns beside the recipe's own;
``poly``/``inter`` extend the number columns' pipeline.

>>> parse_step("bins:year_built=5")
FeatureStep(kind='bins', column='year_built', arg=5)
>>> parse_step("poly:2").label
'poly:2'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import spell
from tinkerlab.recipe._calls import Call, Ref

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.recipe._recipe import Recipe


@dataclass(frozen=True)
class StepKind:
    """One kind of new-feature step: what it takes and what it makes."""

    name: str
    column: bool  # whether it names a column (log:COL) or acts on every number (poly:2)
    roles: tuple[str, ...]  # roles its column may have ("unused" for dates)
    arg: tuple[int, int, int] | None  # (low, high, default) of its number, if it takes one
    help: str  # one sentence, for --help and the docs


#: Every kind of step, by name (the text before the colon).
STEP_KINDS: dict[str, StepKind] = {
    kind.name: kind
    for kind in [
        StepKind("log", True, ("numeric",), None, "log(1 + x) of a number column (x ≥ 0)"),
        StepKind("sqrt", True, ("numeric",), None, "square root of a number column (x ≥ 0)"),
        StepKind("bins", True, ("numeric",), (2, 50, 5), "a number cut into K equal-count ranges"),
        StepKind("poly", False, (), (2, 3, 2), "products of the number columns up to degree D"),
        StepKind("inter", False, (), None, "products of two different number columns"),
        StepKind("date", True, ("unused",), None, "year, month, day and weekday of dates"),
        StepKind("len", True, ("text", "categorical"), None, "length in characters and words"),
    ]
}
#: ``poly``/``inter`` on more number columns than this would make too many features.
MAX_POLY_COLUMNS = 60
_EXAMPLES = "log:lot_area, sqrt:fare, bins:age=5, poly:2, inter, date:sold_on, len:review"


@dataclass(frozen=True)
class FeatureStep:
    """One parsed step: its kind, its column (if any) and its number (if any)."""

    kind: str
    column: str | None
    arg: int | None

    @property
    def label(self) -> str:
        """The step as text again (its canonical form): ``bins:age=5``."""
        if self.column is None:
            return self.kind if self.arg is None else f"{self.kind}:{self.arg}"
        suffix = f"={self.arg}" if self.kind == "bins" else ""
        return f"{self.kind}:{self.column}{suffix}"


def parse_step(text: str) -> FeatureStep:
    """Read one step from text (``"log:lot_area"``, ``"bins:age=5"``, ``"poly:2"``).

    Raises
    ------
    RecipeError
        If the kind is unknown or its number is missing or out of range.
    """
    if not isinstance(text, str) or not text.strip():
        raise RecipeError(f"A new-feature step is text such as {_EXAMPLES}. Got {text!r}.")
    name, _, rest = text.strip().partition(":")
    kind = STEP_KINDS.get(name.strip().lower())
    if kind is None:
        import difflib

        close = difflib.get_close_matches(name, list(STEP_KINDS), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise RecipeError(
            f"Unknown new-feature step {text!r}.{hint} Kinds: {', '.join(STEP_KINDS)}; "
            f"e.g. {_EXAMPLES}."
        )
    if not kind.column:
        arg = _number(kind, rest, text) if kind.arg else None
        if not kind.arg and rest:
            raise RecipeError(f"'{kind.name}' takes nothing after it. Got {text!r}. Fix: inter")
        return FeatureStep(kind.name, None, arg)
    column, arg = rest, None
    if kind.name == "bins":
        column, equals, count = rest.rpartition("=")
        if not equals:
            column, count = rest, ""
        arg = _number(kind, count, text)
    if not column:
        raise RecipeError(
            f"'{kind.name}' needs a column: {kind.name}:COLUMN. Got {text!r}. "
            f"Fix: e.g. {kind.name}:{'price' if kind.name != 'date' else 'sold_on'}"
        )
    return FeatureStep(kind.name, column, arg)


def _number(kind: StepKind, text: str, whole: str) -> int:
    assert kind.arg is not None
    low, high, default = kind.arg
    if not text.strip():
        return default
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        what = "bins" if kind.name == "bins" else "a degree"
        raise RecipeError(
            f"The number of '{kind.name}' must be an int in [{low}, {high}] ({what}). Got "
            f"{text!r} in {whole!r}. Fix: {kind.name}:{'COLUMN=' if kind.column else ''}{default}"
        )
    return value


def parse_steps(texts: Any) -> tuple[FeatureStep, ...]:
    """Parse every step; a repeated step is an error (it would add the same columns twice)."""
    steps = tuple(parse_step(t) for t in texts)
    labels = [s.label for s in steps]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise RecipeError(f"The step {twice[0]!r} is given twice. Fix: give it once.")
    return steps


def check_steps(recipe: Recipe) -> None:
    """Check the recipe's steps against its columns: each names a column of the right role.

    Raises
    ------
    RecipeError
        Naming the step, the column's role and the fix.
    """
    roles = {
        **dict.fromkeys(recipe.unused, "unused"),
        **dict.fromkeys(recipe.numeric, "numeric"),
        **dict.fromkeys(recipe.categorical, "categorical"),
        **dict.fromkeys(recipe.text, "text"),
    }
    for step in parse_steps(recipe.preprocessing.add):
        kind = STEP_KINDS[step.kind]
        if step.column is None:
            if not recipe.numeric:
                raise RecipeError(
                    f"'{step.label}' multiplies number columns, and the recipe for "
                    f"{recipe.dataset!r} has none. Fix: leave it out."
                )
            if len(recipe.numeric) > MAX_POLY_COLUMNS:
                raise RecipeError(
                    f"'{step.label}' on {len(recipe.numeric)} number columns would make "
                    f"{_n_products(len(recipe.numeric), step):,} features. Fix: at most "
                    f"{MAX_POLY_COLUMNS} number columns (drop some), or log/bins of a few."
                )
            continue
        assert step.column is not None
        role = roles.get(step.column)
        if role is None:
            import difflib

            close = difflib.get_close_matches(step.column, list(roles), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise RecipeError(
                f"'{step.label}' names the column {step.column!r}, which {recipe.dataset!r} "
                f"does not have.{hint} Columns: {', '.join(list(roles)[:20])}."
            )
        if role not in kind.roles:
            want = " or ".join(kind.roles).replace("unused", "a column of dates")
            raise RecipeError(
                f"'{step.label}' needs a {want} column, and {step.column!r} is {role}. "
                f"Fix: {_fix_for(step, role)}"
            )


def _fix_for(step: FeatureStep, role: str) -> str:
    if role == "numeric":
        return f"log:{step.column}, sqrt:{step.column} or bins:{step.column}=5 suit numbers."
    if role in ("text", "categorical"):
        return f"len:{step.column} suits texts (its length), or {spell('numeric', [step.column])}."
    as_numbers, as_categories = spell("numeric", [step.column]), spell("categorical", [step.column])
    return f"date:{step.column} suits dates; {as_numbers} or {as_categories} to use it."


def _n_products(n: int, step: FeatureStep) -> int:
    from math import comb

    if step.kind == "inter":
        return n + comb(n, 2)
    return comb(n + (step.arg or 2), step.arg or 2) - 1


def step_inputs(recipe: Recipe) -> tuple[str, ...]:
    """Columns the steps read that are not features (dates), in the order named."""
    features = set(recipe.features)
    found = [
        s.column
        for s in parse_steps(recipe.preprocessing.add)
        if s.column is not None and s.column not in features
    ]
    return tuple(dict.fromkeys(found))


def inputs_of(values: Any) -> tuple[str, ...]:
    """The date columns a list of knob values (steps, or "none") would read."""
    found = []
    for value in values or ():
        text = str(value).strip()
        if text.lower() in ("none", "") or not text.startswith("date:"):
            continue
        found.append(parse_step(text).column or "")
    return tuple(dict.fromkeys(found))


def numeric_steps(recipe: Recipe) -> list[tuple[str, Call]]:
    """Steps appended to the number columns' pipeline (``poly``, ``inter``)."""
    out: list[tuple[str, Call]] = []
    for step in parse_steps(recipe.preprocessing.add):
        if step.kind == "poly":
            poly = {"degree": step.arg, "include_bias": False}
            out.append(("poly", Call("sklearn.preprocessing.PolynomialFeatures", poly)))
        elif step.kind == "inter":
            inter = {"degree": 2, "interaction_only": True, "include_bias": False}
            out.append(("interactions", Call("sklearn.preprocessing.PolynomialFeatures", inter)))
    return out


def step_blocks(recipe: Recipe, *, scale: bool, dense: bool) -> list[tuple[str, Call, list[str]]]:
    """ColumnTransformer blocks ``(name, transformer, [column])`` for the column steps."""
    blocks: list[tuple[str, Call, list[str]]] = []
    impute = ("impute", Call("sklearn.impute.SimpleImputer", {"strategy": "median"}))
    scaled = [("scale", Call("sklearn.preprocessing.StandardScaler"))] if scale else []
    used: set[str] = set()
    for step in parse_steps(recipe.preprocessing.add):
        if step.column is None:
            continue
        if step.kind in ("log", "sqrt"):
            func = Ref("numpy.log1p" if step.kind == "log" else "numpy.sqrt")
            transform = Call(
                "sklearn.preprocessing.FunctionTransformer",
                {"func": func, "feature_names_out": "one-to-one"},
            )
            steps: list[Any] = [impute, (step.kind, transform), *scaled]
        elif step.kind == "bins":
            bins = {
                "n_bins": step.arg,
                "encode": "onehot-dense" if dense else "onehot",
                "strategy": "quantile",
                "random_state": recipe.seed,  # subsamples above 200,000 rows
            }
            steps = [impute, ("bins", Call("sklearn.preprocessing.KBinsDiscretizer", bins))]
        elif step.kind == "date":
            steps = [("parts", Call("tinkerlab.recipe.DateParts")), impute, *scaled]
        else:  # len
            steps = [("length", Call("tinkerlab.recipe.TextLength")), *scaled]
        name = _block_name(step, used)
        blocks.append((name, Call("sklearn.pipeline.Pipeline", args=(steps,)), [step.column]))
    return blocks


def _block_name(step: FeatureStep, used: set[str]) -> str:
    base = f"{step.kind}_{re.sub(r'[^0-9A-Za-z]+', '_', step.column or '').strip('_')}"
    name, i = base, 2
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def check_step_values(recipe: Recipe, frame: pd.DataFrame) -> None:
    """Check the data suits the steps before any fit: ``log``/``sqrt`` need values ≥ 0,
    ``date`` needs dates.

    Raises
    ------
    RecipeError
        With the offending value and a step that suits it.
    """
    import pandas as pd

    for step in parse_steps(recipe.preprocessing.add):
        if step.column is None or step.column not in frame.columns:
            continue
        values = frame[step.column]
        if step.kind in ("log", "sqrt"):
            low = pd.to_numeric(values, errors="coerce").min()
            if pd.notna(low) and low < 0:
                raise RecipeError(
                    f"'{step.label}' needs values ≥ 0, and {step.column!r} goes down to "
                    f"{low:g}. Fix: bins:{step.column}=5 (ranges work for any numbers)."
                )
        elif step.kind == "date":
            present = values.dropna()
            parsed = DateParts.parse(present)
            if len(present) and parsed.isna().mean() > 0.5:
                example = present.iloc[0]
                raise RecipeError(
                    f"'{step.label}' needs dates, and most values of {step.column!r} are not "
                    f"(e.g. {example!r}). Fix: name a column of dates."
                )


# --- the two transformers the steps need beyond scikit-learn ---------------------------------


class DateParts:
    """Year, month, day and weekday of a column of dates (a scikit-learn transformer).

    Stateless: ``fit`` learns nothing. Values that are not dates become NaN (the
    pipeline's imputer fills them).

    >>> import pandas as pd
    >>> DateParts().fit_transform(pd.DataFrame({"d": ["2024-03-15", None]})).tolist()
    [[2024.0, 3.0, 15.0, 4.0], [nan, nan, nan, nan]]
    """

    PARTS = ("year", "month", "day", "weekday")

    def fit(self, X: Any, y: Any = None) -> DateParts:
        self.n_features_in_ = 1
        return self

    @staticmethod
    def parse(values: Any) -> pd.Series[Any]:
        """The values as timestamps (NaT where they are not dates)."""
        import warnings

        import pandas as pd

        series = pd.Series(np.asarray(values).ravel())
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return series
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return pd.to_datetime(series.astype("string"), errors="coerce", format="mixed")

    def transform(self, X: Any) -> np.ndarray:
        column = X.iloc[:, 0] if hasattr(X, "iloc") else np.asarray(X)[:, 0]
        when = self.parse(column)
        parts = [when.dt.year, when.dt.month, when.dt.day, when.dt.day_of_week]
        return np.column_stack([p.to_numpy(dtype=float, na_value=np.nan) for p in parts])

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        return self.fit(X, y).transform(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        name = "date" if input_features is None else str(input_features[0])
        return np.array([f"{name}_{p}" for p in self.PARTS], dtype=object)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}

    def set_params(self, **params: Any) -> DateParts:
        return self


class TextLength:
    """Length of each text in characters and in words (a scikit-learn transformer).

    >>> import pandas as pd
    >>> TextLength().fit_transform(pd.DataFrame({"t": ["two words", None]})).tolist()
    [[9.0, 2.0], [0.0, 0.0]]
    """

    def fit(self, X: Any, y: Any = None) -> TextLength:
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> np.ndarray:
        import pandas as pd

        column = X.iloc[:, 0] if hasattr(X, "iloc") else np.asarray(X)[:, 0]
        texts = pd.Series(np.asarray(column, dtype=object)).fillna("").astype(str)
        chars = texts.str.len().to_numpy(dtype=float)
        words = texts.str.count(r"\S+").to_numpy(dtype=float)
        return np.column_stack([chars, words])

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        return self.fit(X, y).transform(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        name = "text" if input_features is None else str(input_features[0])
        return np.array([f"{name}_chars", f"{name}_words"], dtype=object)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}

    def set_params(self, **params: Any) -> TextLength:
        return self
