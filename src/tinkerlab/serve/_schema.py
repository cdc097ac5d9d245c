"""The input schema of a saved model: what one row sent to the service must look like.

It is read off the training split and the fitted pipeline, stored in ``meta.json``, and
turned back into two things: a pydantic model that validates requests (so a bad value
gets a 422 naming the field, the value and what is allowed), and the DataFrame the
pipeline expects (same columns, same dtypes, missing values as the pipeline saw them).

>>> schema = InputSchema.from_dict({"columns": [
...     {"name": "sex", "kind": "categorical", "dtype": "str", "optional": True,
...      "categories": ["female", "male"]},
...     {"name": "age", "kind": "numeric", "dtype": "float64", "optional": True,
...      "minimum": 0.17, "maximum": 80.0}]})
>>> schema.frame([{"sex": "female", "age": 29}]).dtypes.astype(str).tolist()
['str', 'float64']
"""

from __future__ import annotations

import difflib
import math
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

if TYPE_CHECKING:
    import pandas as pd
    from pydantic import BaseModel

    from tinkerlab.recipe import Recipe

Kind = Literal["numeric", "categorical", "text"]

#: Numbers must fit in float32: tree models compute in float32, and a larger value would
#: fail inside the model instead of at the door with a clear message.
FLOAT32_MAX = 3.4028234663852886e38


@dataclass(frozen=True)
class InputColumn:
    """One field of a request: a feature column of the training data."""

    name: str  # the column name, exactly as in the training table
    kind: Kind  # numeric, categorical or text (the recipe's role)
    dtype: str  # the pandas dtype in the training table, e.g. "float64", "str"
    optional: bool  # may be left out or null: the pipeline fills it in (imputes)
    categories: tuple[Any, ...] = ()  # categorical: every value seen in training
    minimum: float | None = None  # numeric: smallest value seen in training
    maximum: float | None = None  # numeric: largest value seen in training
    missing_share: float = 0.0  # share of training rows where it was empty

    def describe(self) -> str:
        """One line for the docs page and the model card."""
        if self.kind == "categorical":
            what = "one of " + ", ".join(repr(c) for c in self.categories[:12])
            if len(self.categories) > 12:
                what += f", … ({len(self.categories)} values)"
        elif self.kind == "numeric":
            what = f"a number; training range {self.minimum:g} to {self.maximum:g}"
        else:
            what = "free text"
        if self.optional:
            filled = "empty text" if self.kind == "text" else "imputed by the pipeline"
            what += f"; optional (left out or null: {filled})"
        return what


@dataclass(frozen=True)
class InputSchema:
    """Every feature column of a saved model, in the order the pipeline reads them."""

    columns: tuple[InputColumn, ...]

    @property
    def names(self) -> list[str]:
        """The feature names, in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> InputColumn:
        """The column called *name*."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    # --- building and storing -----------------------------------------------------------

    @classmethod
    def from_training(cls, recipe: Recipe, X_train: pd.DataFrame, pipeline: Any) -> InputSchema:
        """Read the schema off the training split and the fitted pipeline."""
        imputed = imputed_columns(pipeline)
        kinds: dict[str, Kind] = dict.fromkeys(recipe.numeric, "numeric")
        kinds.update(dict.fromkeys(recipe.categorical, "categorical"))
        kinds.update(dict.fromkeys(recipe.text, "text"))
        kinds.update({c: "text" for c in recipe.inputs if c not in kinds})  # dates (DateParts)
        columns = []
        for name in recipe.inputs:
            values = X_train[name]
            present = values.dropna()
            kind = kinds[name]
            info: dict[str, Any] = {
                "name": name,
                "kind": kind,
                "dtype": str(values.dtype),
                # Text is filled with "" before the pipeline, as prepare_frame does in training.
                "optional": kind == "text" or name in imputed,
                "missing_share": round(float(values.isna().mean()), 6),
            }
            if kind == "categorical":
                info["categories"] = tuple(sorted({_plain(v) for v in present}, key=str))
            elif kind == "numeric" and len(present):
                info["minimum"] = float(present.min())
                info["maximum"] = float(present.max())
            elif kind == "numeric":
                info["minimum"] = info["maximum"] = 0.0
            columns.append(InputColumn(**info))
        return cls(tuple(columns))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the ``schema`` of ``meta.json``)."""
        rows = []
        for c in self.columns:
            row = asdict(c)
            row["categories"] = list(c.categories)
            if c.kind != "categorical":
                del row["categories"]
            if c.kind != "numeric":
                del row["minimum"], row["maximum"]
            rows.append(row)
        return {"columns": rows}

    @classmethod
    def from_dict(cls, data: Any) -> InputSchema:
        """Read :meth:`to_dict` output back, checked: it may come from a hostile file.

        Raises ``ValueError`` naming the column, the key and what it must be.
        """
        columns = data.get("columns") if isinstance(data, dict) else None
        if not isinstance(columns, list) or not columns:
            raise ValueError("'columns' must be a non-empty list of column objects")
        checked = tuple(_read_column(i, c) for i, c in enumerate(columns))
        names = [c.name for c in checked]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"column names must be unique; {twice[:5]} appear twice")
        return cls(checked)

    # --- requests -------------------------------------------------------------------------

    @cached_property
    def row_model(self) -> type[BaseModel]:
        """A pydantic model of one row: numbers, categories as a closed set, optional where
        the pipeline imputes, and no unknown fields (a typo would otherwise pass unseen).

        Field names are the column names (as aliases: a column may be called ``"mean
        radius"`` or ``"model_config"``, which are not usable as Python attribute names).
        """
        from pydantic import BeforeValidator, ConfigDict, Field, create_model

        fields: dict[str, Any] = {}
        for i, c in enumerate(self.columns):
            kind: Any
            if c.kind == "numeric":
                kind = float
                extra: dict[str, Any] = {
                    # Strict: true/false and "29" are not numbers (lax pydantic reads them
                    # as 1.0 and 29.0, so a client's typo would be predicted silently).
                    "strict": True,
                    "allow_inf_nan": False,
                    "ge": -FLOAT32_MAX,
                    "le": FLOAT32_MAX,
                    "examples": [_example(c)],
                }
            elif c.kind == "categorical":
                kind = Literal[c.categories] if c.categories else str
                if any(not isinstance(v, str) for v in c.categories):
                    kind = Annotated[kind, BeforeValidator(_same_kind(c.categories))]
                extra = {"examples": [_example(c)]} if c.categories else {}
            else:
                kind = str
                extra = {"max_length": 100_000}
            annotation = (kind | None) if c.optional else kind
            default = None if c.optional else ...
            fields[f"f{i}"] = (
                annotation,
                Field(default, alias=c.name, description=c.describe(), **extra),
            )
        model: type[BaseModel] = create_model(
            "Row",
            __config__=ConfigDict(
                extra="forbid", validate_by_alias=True, validate_by_name=False, frozen=True
            ),
            **fields,
        )
        model.__doc__ = "One row to predict: the model's input columns (see /metadata)."
        return model

    def example(self) -> dict[str, Any]:
        """A plausible row: the middle of each numeric range, the first category."""
        return {c.name: _example(c) for c in self.columns}

    def frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        """The DataFrame the pipeline expects from validated rows (dicts keyed by column).

        Missing values become NaN (what the pipeline's imputers were fitted to fill), text
        becomes ``""``, and each column gets its training dtype where the values allow it.
        """
        import numpy as np
        import pandas as pd

        data: dict[str, Any] = {}
        for c in self.columns:
            values = [row.get(c.name) for row in rows]
            if c.kind == "numeric":
                data[c.name] = np.array(
                    [math.nan if v is None else v for v in values], dtype=np.float64
                )  # (n_rows,)
            elif c.kind == "text":
                data[c.name] = pd.Series(["" if v is None else str(v) for v in values], dtype="str")
            else:
                column = pd.Series([np.nan if v is None else v for v in values], dtype=object)
                if c.dtype in ("str", "string"):
                    column = column.astype(c.dtype)  # type: ignore[call-overload]
                data[c.name] = column
        return pd.DataFrame(data, columns=self.names)

    def unknown_fields(self, given: list[str]) -> list[str]:
        """Explain fields that are not columns: ``'sexx' (did you mean 'sex'?)``."""
        out = []
        for name in given:
            if name in self.names:
                continue
            close = difflib.get_close_matches(name, self.names, n=1)
            out.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return out


#: The keys of one column in meta.json: (required, check, what it must be).
_COLUMN_KEYS: dict[str, tuple[bool, Any, str]] = {
    "name": (True, lambda v: isinstance(v, str) and v != "", "a non-empty text"),
    "kind": (
        True,
        lambda v: v in ("numeric", "categorical", "text"),
        "numeric, categorical or text",
    ),
    "dtype": (True, lambda v: isinstance(v, str), "a pandas dtype's name"),
    "optional": (True, lambda v: isinstance(v, bool), "true or false"),
    "categories": (False, lambda v: isinstance(v, list) and all(map(_category, v)), "a list"),
    "minimum": (False, lambda v: _number(v), "a finite number"),
    "maximum": (False, lambda v: _number(v), "a finite number"),
    "missing_share": (False, lambda v: _number(v) and 0 <= v <= 1, "a share in [0, 1]"),
}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _category(value: Any) -> bool:
    """A category JSON can hold and a request can match: text, a number, a bool."""
    return isinstance(value, str | bool) or _number(value)


def _read_column(i: int, data: Any) -> InputColumn:
    """One column of meta.json's schema, checked key by key."""
    if not isinstance(data, dict):
        raise ValueError(f"column {i} must be an object; got {data!r:.60}")
    where = f"column {i} ({data.get('name')!r})"
    unknown = sorted(set(data) - set(_COLUMN_KEYS))
    if unknown:
        raise ValueError(f"{where} has unknown keys {unknown[:5]}; known: {list(_COLUMN_KEYS)}")
    for key, (required, check, what) in _COLUMN_KEYS.items():
        if key not in data:
            if required:
                raise ValueError(f"{where} lacks {key!r} ({what})")
        elif not check(data[key]):
            raise ValueError(f"{where}: {key!r} got {data[key]!r:.60}; it must be {what}")
    if data["kind"] == "numeric":
        if "minimum" not in data or "maximum" not in data:
            raise ValueError(f"{where} is numeric but lacks 'minimum' or 'maximum'")
        if data["minimum"] > data["maximum"]:
            raise ValueError(
                f"{where}: 'minimum' {data['minimum']} is above 'maximum' {data['maximum']}"
            )
    return InputColumn(**{**data, "categories": tuple(data.get("categories", ()))})


def _same_kind(categories: tuple[Any, ...]) -> Any:
    """A check that keeps ``true`` from matching the category ``1`` (and ``1`` ``true``).

    Python has ``True == 1``, and so has pydantic's ``Literal``: a row sending ``true``
    for a column coded 0/1 would be predicted as 1 without a word.
    """
    from pydantic_core import PydanticCustomError

    bools = any(isinstance(v, bool) for v in categories)
    numbers = any(isinstance(v, int | float) and not isinstance(v, bool) for v in categories)

    def check(value: Any) -> Any:
        if (isinstance(value, bool) and not bools) or (
            isinstance(value, int | float) and not isinstance(value, bool) and not numbers
        ):
            allowed = ", ".join(repr(v) for v in categories[:15])
            raise PydanticCustomError(
                "literal_error", "Input should be one of {allowed}", {"allowed": allowed}
            )
        return value

    return check


def imputed_columns(pipeline: Any) -> set[str]:
    """Columns the fitted pipeline fills in when empty: those behind a SimpleImputer, or
    in the categorical block that fills them as one (``recipe/_onehot.py``)."""
    from sklearn.impute import SimpleImputer

    from tinkerlab.recipe._onehot import CategoryBlock

    found: set[str] = set()
    preprocess = getattr(pipeline, "named_steps", {}).get("preprocess")
    if preprocess is None:
        return found
    for _name, transformer, columns in getattr(preprocess, "transformers_", []):
        steps = [step for _, step in getattr(transformer, "steps", [])] or [transformer]
        if any(isinstance(step, SimpleImputer | CategoryBlock) for step in steps) and isinstance(
            columns, list
        ):
            # wide blocks are held as positions (recipe/_columns.py): read back their names
            found.update(
                str(preprocess.feature_names_in_[c]) if isinstance(c, int) else str(c)
                for c in columns
            )
    return found


def _plain(value: Any) -> Any:
    """A NumPy scalar as the plain Python value JSON can hold."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _example(c: InputColumn) -> Any:
    if c.kind == "numeric":
        assert c.minimum is not None
        assert c.maximum is not None
        middle = (c.minimum + c.maximum) / 2
        return round(middle) if c.dtype.startswith("int") else round(middle, 3)
    if c.kind == "categorical":
        return c.categories[0] if c.categories else ""
    return "some text"
