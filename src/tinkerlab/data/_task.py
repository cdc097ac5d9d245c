"""The target and the task: classification or regression, inferred from the target's values.

**classification** for strings, booleans and categoricals, and for integers with at most
:data:`MAX_CLASSES` distinct values each seen twice on average; **regression** for other
numbers. A task asked for is checked against the values instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, get_args

from tinkerlab.data._dataset import Task
from tinkerlab.data._names import quoted
from tinkerlab.data._schema import check_finite, example
from tinkerlab.exceptions import DatasetError, SchemaError
from tinkerlab.options import name_of, spell

if TYPE_CHECKING:
    import pandas as pd

#: Integer targets with at most this many distinct values are classes.
MAX_CLASSES = 20


def check_task_name(task: str | None) -> Task | None:
    """Return *task* if it is a known task (or None); raise DatasetError otherwise."""
    known: tuple[str, ...] = get_args(Task)
    if task is None or task in known:
        return task  # type: ignore[return-value]
    raise DatasetError(
        f"{spell('task', task)} is not a task tinkerlab knows. Use one of {quoted(known)}."
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
                f"{example(values)}. Pass {spell('task', 'classification')}, or choose a "
                f"numeric target ({name_of('target')})."
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
                f"{spell('task', 'regression')} to predict the number itself."
            )
        if pd.api.types.is_float_dtype(dtype) and n_unique > MAX_CLASSES:
            # Whole numbers stored as floats (57.0, 212.0...): a measurement, not labels.
            raise SchemaError(
                f"Classification needs a few classes, but the float target {name!r} holds "
                f"{n_unique} distinct values (e.g. {numbers[0]:g}) in {len(values)} rows. Pass "
                f"{spell('task', 'regression')} to predict the number itself."
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
                f"another target ({name_of('target')})."
            )
        raise SchemaError(
            f"The target {name!r} is {only} in all {len(y)} rows, so there is nothing to "
            f"predict. Choose another target ({name_of('target')})."
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
                f"Pass {spell('task', 'regression')} to predict a number."
            )
    return notices
