"""Schema inference: what each column is for, and why, in one sentence.

Every column gets exactly one role. The rules run in this order; the first that
matches decides (``n`` is the number of non-missing values):

1. **Your word** — ``drop=`` makes a column *ignored*; ``text=``, ``categorical=`` and
   ``numeric=`` force that role. A built-in's catalog may declare roles the same way.
2. **constant** — at most one distinct value: nothing to learn from. Dropped, with a notice.
3. **id** — every value distinct, and either the name says identifier (``id``, ``uuid``,
   ``rownames``, ``index``, ``*_id``, ``PassengerId``, ``Unnamed: 0``) or, from 20 rows on,
   the values are integers counting up (``1, 2, 3…`` or just increasing) or strings too
   short to be free text (codes, names; see rule 7). Dropped, with a notice.
4. **datetime** — a datetime dtype, or strings that read as dates (``2021-03-04``,
   ``04/03/2021 10:30``). Kept out of the features, with a notice.
5. **categorical** — booleans and pandas categoricals.
6. **numeric** — numbers; ``inf``/``-inf`` are an error. Integers with few values stay
   numeric (``--categorical`` one-hot encodes them).
7. Strings: at least 90 % numbers with a few exceptions is an error (**mixed types**);
   **text** when long (≥ 50 characters or ≥ 6 words on average) and mostly distinct
   (≥ 50 %), with a notice; otherwise **categorical** (a notice when it has more than 50
   values making up over half the rows).
8. Anything else (lists, dicts, durations, complex numbers) is *ignored*, with a notice.

The task follows the target (:func:`infer_task`): **classification** for strings,
booleans and categoricals, and for integers with at most 20 distinct values each seen
twice on average; **regression** for other numbers.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, get_args

from tinkerlab.data._dataset import FEATURE_ROLES, ColumnInfo, Role, Task
from tinkerlab.data._names import did_you_mean, quoted
from tinkerlab.exceptions import DatasetError, SchemaError

if TYPE_CHECKING:
    import pandas as pd

#: Integer targets with at most this many distinct values are classes.
MAX_CLASSES = 20
#: From this many rows on, "every value distinct" is taken as a sign of an identifier.
MIN_ROWS_FOR_ID = 20
#: Share of numbers above which a string column is "numbers with a few typos".
MIXED_SHARE = 0.9
#: Text: at least this many characters or words per value on average...
TEXT_CHARS, TEXT_WORDS = 50, 6
#: ...and at least this share of distinct values.
TEXT_DISTINCT = 0.5
#: Categorical columns with more values than this (and over half the rows) get a notice.
MANY_CATEGORIES = 50
#: Values looked at when measuring strings (length, words, dates).
SAMPLE = 1000

_ID_NAME = re.compile(
    r"^(id|uuid|guid|rownames|row_?id|index|unnamed: \d+)$|[_\s.-](id|uuid|guid)$",
    re.IGNORECASE,
)
_CAMEL_ID = re.compile(r"[a-z](Id|ID)$")  # PassengerId, CustomerID
_DATE = re.compile(
    r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([AaPp][Mm])?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_MISSING_MARKERS = {"?", "-", "--", ".", "missing", "unknown", "n.a.", "na.", "#n/a", "none"}


class Decision(NamedTuple):
    """The role chosen for one column, why, and what to tell the user (if anything)."""

    role: Role
    reason: str
    notice: str = ""


# --------------------------------------------------------------------------- overrides


def _as_names(names: str | Iterable[str]) -> tuple[str, ...]:
    """Accept one name or many: ``drop="id"`` means ``drop=("id",)``."""
    return (names,) if isinstance(names, str) else tuple(names)


def collect_overrides(
    columns: list[str],
    target: str | None,
    *,
    drop: str | Iterable[str] = (),
    text: str | Iterable[str] = (),
    categorical: str | Iterable[str] = (),
    numeric: str | Iterable[str] = (),
    roles: Mapping[str, Role] | None = None,
) -> dict[str, Decision]:
    """Turn the user's ``drop=``/``text=``/... lists (and catalog *roles*) into decisions.

    Raises
    ------
    SchemaError
        If a named column does not exist, is named twice, or is the target.
    """
    decisions: dict[str, Decision] = {}
    for column, role in (roles or {}).items():
        if column in columns and column != target:
            decisions[column] = Decision(role, f"{role} as declared by the built-in catalog")
    flags: list[tuple[str, Role, tuple[str, ...]]] = [
        ("drop", "ignored", _as_names(drop)),
        ("text", "text", _as_names(text)),
        ("categorical", "categorical", _as_names(categorical)),
        ("numeric", "numeric", _as_names(numeric)),
    ]
    given: dict[str, str] = {}
    for flag, role, names in flags:
        for name in names:
            if name not in columns:
                raise SchemaError(
                    f"--{flag} names column {name!r}, which is not in the table. "
                    f"{did_you_mean(name, columns)}Columns: {quoted(columns, limit=30)}."
                )
            if name == target:
                raise SchemaError(
                    f"{name!r} is the target, so it cannot also be passed to --{flag}. Remove "
                    f"it from --{flag}, or choose another target with --target."
                )
            if name in given and given[name] != flag:
                raise SchemaError(
                    f"Column {name!r} is passed to both --{given[name]} and --{flag}; a column "
                    "has one role. Keep only one of them."
                )
            given[name] = flag
            if flag == "drop":
                decisions[name] = Decision(role, "dropped by you (--drop)")
            else:
                decisions[name] = Decision(role, f"{role} because you said so (--{flag})")
    return decisions


# --------------------------------------------------------------------------- columns


def _looks_like_id_name(name: str) -> bool:
    return bool(_ID_NAME.search(name.strip()) or _CAMEL_ID.search(name.strip()))


def _example(values: pd.Series[Any], k: int = 3) -> str:
    return quoted(values.drop_duplicates().head(k).tolist(), limit=k)


def _is_nested(values: pd.Series[Any]) -> bool:
    return any(isinstance(v, list | dict | set | tuple) for v in values.head(SAMPLE))


def decide(series: pd.Series[Any], name: str) -> Decision:
    """Choose the role of one feature column by the rules in the module docstring.

    Raises
    ------
    SchemaError
        If a numeric column holds ``inf`` or a string column is mostly numbers.
    """
    import pandas as pd

    values = series.dropna()
    n = len(values)
    if _is_nested(values):
        kind = type(next(v for v in values if isinstance(v, list | dict | set | tuple))).__name__
        return Decision(
            "ignored",
            f"holds {kind} values, which a model cannot use",
            f"Ignored {name!r}: it holds {kind} values (nested data), which a model cannot use "
            "— flatten it into plain columns first.",
        )
    n_unique = int(values.nunique())
    dtype = series.dtype

    # 2. constant
    if n_unique <= 1:
        if n == 0:
            reason = "every value is missing"
        else:
            only = quoted([values.iloc[0]])
            reason = f"every row holds the same value {only}"
            if n < len(series):
                reason = f"one value, {only}, apart from {len(series) - n} empty cells"
        return Decision(
            "constant",
            reason,
            f"Dropped {name!r}: {reason}, so it cannot help a model.",
        )

    is_bool = pd.api.types.is_bool_dtype(dtype)
    is_number = pd.api.types.is_numeric_dtype(dtype) and not is_bool
    is_int = pd.api.types.is_integer_dtype(dtype)
    all_distinct = n_unique == n == len(series)

    # 3. id
    if all_distinct and _looks_like_id_name(name):
        keep = "--numeric" if is_number else "--categorical"
        return Decision(
            "id",
            f"every value is distinct and the name {name!r} says it is an identifier",
            f"Dropped {name!r}: every value is distinct and its name says identifier — pass "
            f"{keep} {name} to keep it.",
        )
    if all_distinct and is_int and n >= MIN_ROWS_FOR_ID:
        low, high = int(values.min()), int(values.max())
        if high - low + 1 == n or values.is_monotonic_increasing:
            how = f"counting from {low} to {high}" if high - low + 1 == n else "in increasing order"
            return Decision(
                "id",
                f"every value is a distinct integer, {how}: a row number or id",
                f"Dropped {name!r}: every value is a distinct integer ({how}), looks like an id "
                f"— pass --numeric {name} to keep it.",
            )

    # 4. datetime (a real datetime dtype)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _datetime_decision(name, f"holds dates and times ({dtype})")

    # 5. categorical dtypes
    if is_bool:
        return Decision("categorical", "true/false values")
    if isinstance(dtype, pd.CategoricalDtype):
        return Decision("categorical", f"a pandas categorical with {n_unique} levels in use")

    # 6. numeric
    if is_number and not pd.api.types.is_complex_dtype(dtype):
        check_finite(series, name)
        low_v, high_v = values.min(), values.max()
        if is_int and n_unique <= 10:
            return Decision(
                "numeric",
                f"integers with {n_unique} distinct values ({_example(values.sort_values(), 5)}); "
                f"kept as numbers — pass --categorical {name} to treat them as categories",
            )
        return Decision(
            "numeric", f"numbers: {n_unique} distinct values from {low_v:g} to {high_v:g}"
        )

    # 7. strings
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        return _decide_strings(values, name, n_unique, all_distinct)

    # 8. anything else
    return Decision(
        "ignored",
        f"values of type {dtype} cannot be used as features",
        f"Ignored {name!r}: its values have type {dtype}, which tinkerlab cannot turn into "
        "features — convert it to numbers or strings first.",
    )


def _datetime_decision(name: str, reason: str) -> Decision:
    return Decision(
        "datetime",
        reason,
        f"{name!r} holds dates; it is kept out of the features for now — pass --categorical "
        f"{name} to use its values as categories, or --drop {name} to silence this.",
    )


def _decide_strings(
    values: pd.Series[Any], name: str, n_unique: int, all_distinct: bool
) -> Decision:
    """Rules 3 (short distinct strings), 4 (date strings) and 7 for a column of strings."""
    import pandas as pd

    n = len(values)
    # Parse each distinct value once (a column of 100,000 cells often holds a few dozen).
    counts = values.value_counts(sort=False)
    parsed = pd.to_numeric(pd.Series(counts.index, dtype=object), errors="coerce")
    n_numbers = int(counts.to_numpy()[parsed.notna().to_numpy()].sum())
    if MIXED_SHARE * n <= n_numbers < n:
        bad = values[pd.to_numeric(values, errors="coerce").isna()]
        markers = [
            v for v in bad.drop_duplicates().head(5) if str(v).strip().lower() in _MISSING_MARKERS
        ]
        hint = (
            f" If {quoted(markers)} means 'unknown', replace it with an empty cell."
            if markers
            else ""
        )
        raise SchemaError(
            f"Column {name!r} is mostly numbers, but {len(bad)} of its {n} values are not: "
            f"{_example(bad, 5)} (first in row {bad.index[0]}). A column must hold one kind of "
            f"value.{hint} Clean those cells, or pass --categorical {name} to treat every value "
            f"as a category, or --drop {name}."
        )

    texts = values.astype(str).head(SAMPLE)
    if _looks_like_dates(texts):
        return _datetime_decision(name, f"strings that read as dates, e.g. {texts.iloc[0]!r}")

    mean_chars = float(texts.str.len().mean())
    mean_words = float(texts.map(lambda t: len(t.split())).mean())
    distinct = n_unique / n
    if (mean_chars >= TEXT_CHARS or mean_words >= TEXT_WORDS) and distinct >= TEXT_DISTINCT:
        return Decision(
            "text",
            f"free text: {mean_words:.0f} words per value on average, {distinct:.0%} distinct",
            f"Treating {name!r} as free text ({mean_words:.0f} words per value on average) — "
            f"pass --categorical {name} to treat its values as categories, or --drop {name}.",
        )
    if all_distinct and n >= MIN_ROWS_FOR_ID:
        return Decision(
            "id",
            f"every value is a distinct short string, e.g. {texts.iloc[0]!r}: a code or a name",
            f"Dropped {name!r}: every value is a distinct short string (e.g. {texts.iloc[0]!r}), "
            f"looks like an id or a name — pass --categorical {name} or --text {name} to keep it.",
        )
    reason = f"{n_unique} distinct strings among {n} values, e.g. {_example(values)}"
    if n_unique > MANY_CATEGORIES and distinct > 0.5:
        return Decision(
            "categorical",
            reason,
            f"{name!r} has {n_unique} distinct values among {n}; one-hot encoding makes a "
            f"column for each — pass --drop {name} if it is an identifier, or --text {name} if "
            "it is prose.",
        )
    return Decision("categorical", reason)


def _looks_like_dates(texts: pd.Series[Any]) -> bool:
    """Whether (nearly) every sampled string has a date's shape and parses as one."""
    import pandas as pd

    unique = texts.drop_duplicates().head(200)
    if not unique.str.strip().str.match(_DATE).mean() >= 0.95:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(unique, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= 0.95)


def check_finite(series: pd.Series[Any], name: str) -> None:
    """Raise SchemaError if a numeric column holds ``inf`` or ``-inf``."""
    import numpy as np

    numbers = series.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(numbers)
    if infinite.any():
        first = series.index[int(np.argmax(infinite))]
        raise SchemaError(
            f"Column {name!r} holds {int(infinite.sum())} infinite value(s) (inf or -inf), the "
            f"first in row {first} (counting data rows from 0). A model cannot learn from "
            f"infinity. Replace them with a number or an empty cell, or pass --drop {name}."
        )


def infer_columns(
    frame: pd.DataFrame,
    target: str | None,
    overrides: Mapping[str, Decision],
    target_reason: str = "the column to predict",
) -> tuple[dict[str, ColumnInfo], list[str]]:
    """Decide every column's role; return the :class:`ColumnInfo` map and the notices."""
    import pandas as pd

    columns: dict[str, ColumnInfo] = {}
    notices: list[str] = []
    for name in frame.columns:
        series = frame[name]
        if name == target:
            decision = Decision("target", target_reason)
        elif name in overrides:
            decision = overrides[name]
            _check_forced(series, name, decision.role)
        else:
            decision = decide(series, name)
        if decision.notice:
            notices.append(decision.notice)
        try:
            n_unique = int(series.nunique())
        except TypeError:  # unhashable values (lists, dicts)
            n_unique = int(series.astype(str).nunique())
        columns[name] = ColumnInfo(
            name=name,
            role=decision.role,
            dtype=str(series.dtype),
            n_missing=int(pd.isna(series).sum()),
            n_unique=n_unique,
            reason=decision.reason,
        )
    return columns, notices


def _check_forced(series: pd.Series[Any], name: str, role: Role) -> None:
    """A forced role must fit the values: numbers for numeric, strings for text."""
    import pandas as pd

    if role == "numeric":
        if pd.api.types.is_bool_dtype(series.dtype):
            return
        if pd.api.types.is_numeric_dtype(series.dtype):
            check_finite(series, name)
            return
        values = series.dropna()
        bad = values[pd.to_numeric(values, errors="coerce").isna()]
        if len(bad):
            raise SchemaError(
                f"--numeric {name} asks to treat {name!r} as numbers, but {len(bad)} of its "
                f"{len(values)} values are not numbers: {_example(bad, 5)}. Clean those cells, "
                f"or use --categorical {name} instead."
            )
    if role == "text" and pd.api.types.is_numeric_dtype(series.dtype):
        raise SchemaError(
            f"--text {name} asks to treat {name!r} as free text, but it holds numbers "
            f"({series.dtype}). Use --numeric or --categorical {name} instead."
        )


def infer_schema(
    frame: pd.DataFrame,
    target: str | None = None,
    *,
    drop: str | Iterable[str] = (),
    text: str | Iterable[str] = (),
    categorical: str | Iterable[str] = (),
    numeric: str | Iterable[str] = (),
    roles: Mapping[str, Role] | None = None,
) -> dict[str, ColumnInfo]:
    """Decide what each column of *frame* is for, with a one-sentence reason each.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, columns named by strings.
    target : str, optional
        The column to predict; it gets the role ``"target"``.
    drop, text, categorical, numeric : str or iterable of str
        Columns to ignore, or to force to that role.
    roles : mapping of str to Role, optional
        Further forced roles (the built-in catalog uses this).

    Returns
    -------
    dict of str to ColumnInfo
        One entry per column, in the frame's order.

    Raises
    ------
    SchemaError
        If a column holds ``inf``, mixes numbers with a few strings, or an override
        names a missing column.

    Examples
    --------
    >>> import pandas as pd
    >>> from tinkerlab.data import infer_schema
    >>> frame = pd.DataFrame({"size": [1.5, 2.0, 3.5], "color": ["red", "blue", "red"]})
    >>> {name: info.role for name, info in infer_schema(frame).items()}
    {'size': 'numeric', 'color': 'categorical'}
    """
    overrides = collect_overrides(
        [str(c) for c in frame.columns],
        target,
        drop=drop,
        text=text,
        categorical=categorical,
        numeric=numeric,
        roles=roles,
    )
    columns, _ = infer_columns(frame, target, overrides)
    return columns


# --------------------------------------------------------------------------- target and task


def check_task_name(task: str | None) -> Task | None:
    """Return *task* if it is a known task (or None); raise DatasetError otherwise."""
    known: tuple[str, ...] = get_args(Task)
    if task is None or task in known:
        return task  # type: ignore[return-value]
    raise DatasetError(
        f"task={task!r} (--task) is not a task tinkerlab knows. Use one of {quoted(known)}."
    )


def infer_task(y: pd.Series[Any], task: Task | None = None) -> tuple[Task, str]:
    """Infer the task from the target *y* (or check the one asked for), with a reason.

    Parameters
    ----------
    y : pandas.Series
        The target column, missing values already dropped.
    task : {"classification", "regression"}, optional
        The task asked for; checked against the values instead of inferred.

    Returns
    -------
    task : str
        ``"classification"`` or ``"regression"``.
    reason : str
        One sentence, e.g. ``"the target holds 3 distinct strings"``.

    Raises
    ------
    SchemaError
        If the target cannot serve the task asked for: strings for regression, or many
        non-integer numbers for classification.

    Examples
    --------
    >>> import pandas as pd
    >>> from tinkerlab.data import infer_task
    >>> infer_task(pd.Series(["cat", "dog", "cat"]))
    ('classification', 'the target holds 2 distinct strings')
    """
    import numpy as np
    import pandas as pd

    name = str(y.name)
    values = y.dropna()
    n_unique = int(values.nunique())
    dtype = values.dtype
    is_number = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if not is_number:
        kind = "true/false values" if pd.api.types.is_bool_dtype(dtype) else "strings"
        if task == "regression":
            raise SchemaError(
                f"Regression predicts numbers, but the target {name!r} holds {kind} such as "
                f"{_example(values)}. Pass --task classification, or choose a numeric target "
                "with --target."
            )
        return "classification", f"the target holds {n_unique} distinct {kind}"

    numbers = values.to_numpy(dtype=float)
    fractional = numbers[np.isfinite(numbers) & (numbers != np.round(numbers))]
    if task == "classification":
        n_fractional = len(np.unique(fractional))
        if n_fractional > MAX_CLASSES:
            raise SchemaError(
                f"Classification needs a few classes, but the target {name!r} holds "
                f"{n_fractional} distinct non-integer numbers (e.g. {fractional[0]:g}). Pass "
                "--task regression to predict the number itself."
            )
        if pd.api.types.is_float_dtype(dtype) and n_unique > MAX_CLASSES:
            # Whole numbers stored as floats (57.0, 212.0...): a measurement, not labels.
            raise SchemaError(
                f"Classification needs a few classes, but the float target {name!r} holds "
                f"{n_unique} distinct values (e.g. {numbers[0]:g}) in {len(values)} rows. Pass "
                "--task regression to predict the number itself."
            )
        return "classification", f"you asked for it; the target holds {n_unique} distinct values"
    if task == "regression":
        return "regression", f"you asked for it; the target holds {n_unique} distinct numbers"
    if len(fractional) == 0 and n_unique <= MAX_CLASSES and 2 * n_unique <= len(values):
        return (
            "classification",
            f"the target holds {n_unique} distinct integers, each seen "
            f"{len(values) / n_unique:.0f} times on average",
        )
    kind = "numbers" if len(fractional) else "integers, too many to be classes"
    return "regression", f"the target holds {n_unique} distinct {kind}"


def check_target(y: pd.Series[Any], task: Task) -> list[str]:
    """Check the target (missing values dropped) can be learned; return notices.

    Raises
    ------
    SchemaError
        If it holds ``inf`` or a single value.
    """
    import pandas as pd

    name = str(y.name)
    if pd.api.types.is_numeric_dtype(y.dtype) and not pd.api.types.is_bool_dtype(y.dtype):
        check_finite(y, name)
    counts = y.value_counts()
    if len(counts) == 1:
        only = quoted([counts.index[0]])
        if task == "classification":
            raise SchemaError(
                f"The target {name!r} has a single class, {only}, in all {len(y)} rows; a "
                "classifier needs at least two. Check the file holds every class, or choose "
                "another target with --target."
            )
        raise SchemaError(
            f"The target {name!r} is {only} in all {len(y)} rows, so there is nothing to "
            "predict. Choose another target with --target."
        )
    notices: list[str] = []
    if task == "classification":
        lonely = counts[counts < 2]
        if len(lonely):
            notices.append(
                f"{len(lonely)} class(es) of {name!r} appear in a single row "
                f"({quoted(lonely.index.tolist(), limit=5)}); a stratified split needs at "
                "least two rows per class."
            )
        if len(counts) > 50:
            notices.append(
                f"The target {name!r} has {len(counts)} classes; is it really categorical? "
                "Pass --task regression to predict a number."
            )
    return notices


def no_features_error(columns: Mapping[str, ColumnInfo], target: str | None) -> SchemaError:
    """The error for a table where no column is left to learn from."""
    fates = [f"{c.name!r} is {c.role}" for c in columns.values() if c.name != target]
    listing = "; ".join(fates) if fates else "the table has no other column"
    return SchemaError(
        f"No feature columns are left to learn from ({listing}). Keep one with "
        f"--numeric, --categorical or --text NAME, or add columns to the file. Feature roles: "
        f"{quoted(FEATURE_ROLES)}."
    )
