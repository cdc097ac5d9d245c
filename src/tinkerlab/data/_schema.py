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

The rules read each column's figures from :mod:`._profile`, which measures all columns
together; notices of one kind are grouped when many columns share it (:mod:`._notices`).
The task follows the target (:mod:`._task`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from tinkerlab.data._dataset import FEATURE_ROLES, ColumnInfo, Role
from tinkerlab.data._names import did_you_mean, quoted
from tinkerlab.data._notices import group_notices
from tinkerlab.data._profile import (
    SAMPLE,
    Profile,
    is_number_dtype,
    is_string_dtype,
    profile_columns,
)
from tinkerlab.exceptions import SchemaError
from tinkerlab.options import name_of, spell

if TYPE_CHECKING:
    import pandas as pd

#: Returns the column being decided (fetched only when a message quotes its values).
Column = Callable[[], "pd.Series[Any]"]
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
    notice: str = ""  # grouped with the notices of other columns given the same role


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
                    f"{name_of(flag)} names column {name!r}, which is not in the table. "
                    f"{did_you_mean(name, columns)}Columns: {quoted(columns, limit=30)}."
                )
            if name == target:
                raise SchemaError(
                    f"{name!r} is the target, so it cannot also be passed to {name_of(flag)}. "
                    f"Remove it from {name_of(flag)}, or choose another target "
                    f"({name_of('target')})."
                )
            if name in given and given[name] != flag:
                raise SchemaError(
                    f"Column {name!r} is passed to both {name_of(given[name])} and "
                    f"{name_of(flag)}; a column has one role. Keep only one of them."
                )
            given[name] = flag
            if flag == "drop":
                decisions[name] = Decision(role, f"dropped by you ({name_of('drop')})")
            else:
                decisions[name] = Decision(role, f"{role} because you said so ({name_of(flag)})")
    return decisions


# --------------------------------------------------------------------------- columns


def _looks_like_id_name(name: str) -> bool:
    return bool(_ID_NAME.search(name.strip()) or _CAMEL_ID.search(name.strip()))


def example(values: Iterable[Any], k: int = 3) -> str:
    """The first *k* distinct values, quoted: ``'red', 'blue', 'green'``."""
    import pandas as pd

    return quoted(pd.Series(list(values), dtype=object).drop_duplicates().head(k).tolist(), limit=k)


def decide(name: str, dtype: Any, profile: Profile, column: Column) -> Decision:
    """Choose the role of one feature column by the rules in the module docstring.

    *profile* holds the figures the rules read (:mod:`._profile`); *column* returns the
    column itself, asked for only by the rare cases that quote its values (an error).

    Raises
    ------
    SchemaError
        If a numeric column holds ``inf`` or a string column is mostly numbers.
    """
    import pandas as pd

    n_unique = profile.n_unique
    if profile.nested:
        return Decision(
            "ignored",
            f"holds {profile.nested} values, which a model cannot use",
            f"Ignored {name!r}: it holds {profile.nested} values (nested data), which a model "
            "cannot use — flatten it into plain columns first.",
        )

    # 2. constant
    if n_unique <= 1:
        return _constant_decision(name, profile)

    is_bool = pd.api.types.is_bool_dtype(dtype)
    is_number = pd.api.types.is_numeric_dtype(dtype) and not is_bool
    is_int = pd.api.types.is_integer_dtype(dtype)

    # 3. id
    decision = _id_decision(name, profile, is_number=is_number, is_int=is_int)
    if decision is not None:
        return decision

    # 4. datetime (a real datetime dtype)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _datetime_decision(name, f"holds dates and times ({dtype})")

    # 5. categorical dtypes
    if is_bool:
        return Decision("categorical", "true/false values")
    if isinstance(dtype, pd.CategoricalDtype):
        return Decision("categorical", f"a pandas categorical with {n_unique} levels in use")

    # 6. numeric
    if is_number_dtype(dtype):
        return _decide_numbers(name, profile, column, is_int=is_int)

    # 7. strings
    if is_string_dtype(dtype):
        return _decide_strings(name, profile, column)

    # 8. anything else
    return Decision(
        "ignored",
        f"values of type {dtype} cannot be used as features",
        f"Ignored {name!r}: its values have type {dtype}, which tinkerlab cannot turn into "
        "features — convert it to numbers or strings first.",
    )


def _constant_decision(name: str, profile: Profile) -> Decision:
    """Rule 2: a column with at most one distinct value (perhaps all missing) is dropped."""
    n = profile.n
    if n == 0:
        reason = "every value is missing"
    else:
        only = quoted([profile.first])
        reason = f"every row holds the same value {only}"
        if n < profile.n_rows:
            reason = f"one value, {only}, apart from {profile.n_rows - n} empty cells"
    return Decision("constant", reason, f"Dropped {name!r}: {reason}, so it cannot help a model.")


def _id_decision(name: str, profile: Profile, *, is_number: bool, is_int: bool) -> Decision | None:
    """Rule 3: distinct values named like an id, or distinct counting integers; else None."""
    n = profile.n
    if profile.all_distinct and _looks_like_id_name(name):
        keep = spell("numeric" if is_number else "categorical", [name])
        return Decision(
            "id",
            f"every value is distinct and the name {name!r} says it is an identifier",
            f"Dropped {name!r}: every value is distinct and its name says identifier — pass "
            f"{keep} to keep it.",
        )
    if profile.all_distinct and is_int and n >= MIN_ROWS_FOR_ID:
        low, high = int(profile.low), int(profile.high)
        if high - low + 1 == n or profile.increasing:
            how = f"counting from {low} to {high}" if high - low + 1 == n else "in increasing order"
            return Decision(
                "id",
                f"every value is a distinct integer, {how}: a row number or id",
                f"Dropped {name!r}: every value is a distinct integer ({how}), looks like an id "
                f"— pass {spell('numeric', [name])} to keep it.",
            )
    return None


def _decide_numbers(name: str, profile: Profile, column: Column, *, is_int: bool) -> Decision:
    """Rule 6: numbers are numeric (refusing infinities), even integers with few values."""
    n_unique = profile.n_unique
    if profile.n_infinite:
        check_finite(column(), name)  # raises, naming the first row
    if is_int and n_unique <= 10:
        return Decision(
            "numeric",
            f"integers with {n_unique} distinct values ({quoted(profile.smallest, limit=5)}); "
            f"kept as numbers — pass {spell('categorical', [name])} to treat them as categories",
        )
    return Decision(
        "numeric",
        f"numbers: {n_unique} distinct values from {profile.low:g} to {profile.high:g}",
    )


def _datetime_decision(name: str, reason: str) -> Decision:
    return Decision(
        "datetime",
        reason,
        f"{name!r} holds dates; it is kept out of the features for now — pass "
        f"{spell('categorical', [name])} to use its values as categories, or "
        f"{spell('drop', [name])} to silence this.",
    )


def _decide_strings(name: str, profile: Profile, column: Column) -> Decision:
    """Rules 3 (short distinct strings), 4 (date strings) and 7 for a column of strings."""
    n, n_unique = profile.n, profile.n_unique
    if MIXED_SHARE * n <= profile.n_numbers < n:
        raise _mixed_types_error(column(), name)

    first = str(profile.first)
    if profile.date_shaped and _looks_like_dates(column().dropna().astype(str).head(SAMPLE)):
        return _datetime_decision(name, f"strings that read as dates, e.g. {first!r}")

    mean_chars, mean_words = profile.mean_chars, profile.mean_words
    distinct = n_unique / n
    if (mean_chars >= TEXT_CHARS or mean_words >= TEXT_WORDS) and distinct >= TEXT_DISTINCT:
        return Decision(
            "text",
            f"free text: {mean_words:.0f} words per value on average, {distinct:.0%} distinct",
            f"Treating {name!r} as free text ({mean_words:.0f} words per value on average) — "
            f"pass {spell('categorical', [name])} to treat its values as categories, or "
            f"{spell('drop', [name])}.",
        )
    if profile.all_distinct and n >= MIN_ROWS_FOR_ID:
        return Decision(
            "id",
            f"every value is a distinct short string, e.g. {first!r}: a code or a name",
            f"Dropped {name!r}: every value is a distinct short string (e.g. {first!r}), "
            f"looks like an id or a name — pass {spell('categorical', [name])} or "
            f"{spell('text', [name])} to keep it.",
        )
    reason = f"{n_unique} distinct strings among {n} values, e.g. {quoted(profile.examples)}"
    if n_unique > MANY_CATEGORIES and distinct > 0.5:
        return Decision(
            "categorical",
            reason,
            f"{name!r} has {n_unique} distinct values among {n}; one-hot encoding makes a "
            f"column for each — pass {spell('drop', [name])} if it is an identifier, or "
            f"{spell('text', [name])} if it is prose.",
        )
    return Decision("categorical", reason)


def _mixed_types_error(series: pd.Series[Any], name: str) -> SchemaError:
    """A column of numbers with a few strings among them: which, where, and what to do."""
    import pandas as pd

    values = series.dropna()
    bad = values[pd.to_numeric(values, errors="coerce").isna()]
    markers = [
        v for v in bad.drop_duplicates().head(5) if str(v).strip().lower() in _MISSING_MARKERS
    ]
    hint = (
        f" If {quoted(markers)} means 'unknown', replace it with an empty cell." if markers else ""
    )
    return SchemaError(
        f"Column {name!r} is mostly numbers, but {len(bad)} of its {len(values)} values are not: "
        f"{example(bad, 5)} (first in row {bad.index[0]}). A column must hold one kind of "
        f"value.{hint} Clean those cells, or pass {spell('categorical', [name])} to treat "
        f"every value as a category, or {spell('drop', [name])}."
    )


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
            f"infinity. Replace them with a number or an empty cell, or pass "
            f"{spell('drop', [name])}."
        )


def infer_columns(
    frame: pd.DataFrame,
    target: str | None,
    overrides: Mapping[str, Decision],
    target_reason: str = "the column to predict",
) -> tuple[dict[str, ColumnInfo], list[str]]:
    """Decide every column's role; return the :class:`ColumnInfo` map and the notices.

    The columns are measured together first (:func:`profile_columns`), so a table of
    10,000 columns takes a second, not minutes; the notices come grouped by kind
    (:func:`group_notices`).
    """
    profiles = profile_columns(frame)
    columns: dict[str, ColumnInfo] = {}
    notices: list[tuple[Role, str, str]] = []
    for position, (name, dtype) in enumerate(zip(profiles, frame.dtypes, strict=True)):
        profile = profiles[name]

        def column(position: int = position) -> pd.Series[Any]:
            return frame.iloc[:, position]

        if name == target:
            decision = Decision("target", target_reason)
        elif name in overrides:
            decision = overrides[name]
            _check_forced(column(), name, decision.role)
        else:
            decision = decide(name, dtype, profile, column)
        if decision.notice:
            notices.append((decision.role, name, decision.notice))
        columns[name] = ColumnInfo(
            name=name,
            role=decision.role,
            dtype=str(dtype),
            n_missing=profile.n_rows - profile.n,
            n_unique=profile.n_unique,
            reason=decision.reason,
        )
    return columns, group_notices(notices)


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
                f"{spell('numeric', [name])} asks to treat {name!r} as numbers, but {len(bad)} "
                f"of its {len(values)} values are not numbers: {example(bad, 5)}. Clean those "
                f"cells, or use {spell('categorical', [name])} instead."
            )
    if role == "text" and pd.api.types.is_numeric_dtype(series.dtype):
        raise SchemaError(
            f"{spell('text', [name])} asks to treat {name!r} as free text, but it holds "
            f"numbers ({series.dtype}). Use {spell('numeric', [name])} or "
            f"{spell('categorical', [name])} instead."
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


def no_features_error(columns: Mapping[str, ColumnInfo], target: str | None) -> SchemaError:
    """The error for a table where no column is left to learn from."""
    fates = [f"{c.name!r} is {c.role}" for c in columns.values() if c.name != target]
    listing = "; ".join(fates) if fates else "the table has no other column"
    return SchemaError(
        f"No feature columns are left to learn from ({listing}). Keep one with "
        f"{name_of('numeric')}, {name_of('categorical')} or {name_of('text')} and a column's "
        "name, or add columns to the file. Feature roles: "
        f"{quoted(FEATURE_ROLES)}."
    )
