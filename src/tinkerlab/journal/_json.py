"""Turn what a run hands us into plain JSON values that both backends store alike.

Runs carry NumPy numbers and arrays, tuples and integer class labels; JSON knows none of them.
Converting here, once, means SQLite and PostgreSQL store, and give back, exactly the same
values, and a value JSON cannot hold is refused with its place named, before anything is
written.

- NumPy scalars and arrays become Python numbers and lists (anything with ``.tolist()``).
- Tuples become lists; dictionary keys that are numbers become strings (``{1: ...}`` is
  read back as ``{"1": ...}``), as JSON itself would do.
- A float that is not finite (NaN, inf) becomes ``None``: JSON has no such numbers and
  PostgreSQL refuses them, so the journal stores null on every backend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeAlias

from tinkerlab.exceptions import InputError

#: What JSON can hold, after conversion.
Json: TypeAlias = "bool | int | float | str | list[Json] | dict[str, Json] | None"


def to_json(value: object, where: str) -> Json:
    """Return *value* as plain JSON values; *where* names it in errors, e.g. ``"run.summary"``.

    Examples
    --------
    >>> to_json({1: (0.5, float("nan"))}, "run.summary")
    {'1': [0.5, None]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)  # an IntEnum becomes its number
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {_key(k, where): to_json(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    tolist = getattr(value, "tolist", None)  # NumPy scalars and arrays, without importing NumPy
    if callable(tolist):
        return to_json(tolist(), where)
    raise InputError(
        f"{where} holds a {type(value).__name__} ({_short(value)}), which the journal cannot "
        "store as JSON. Convert it to a number, string, list or dict before recording the run."
    )


def json_object(value: object, where: str) -> dict[str, Any]:
    """Like :func:`to_json`, for a value that must be a dict (``run.summary``, the recipe)."""
    if not isinstance(value, Mapping):
        raise InputError(
            f"{where} must be a dict; got a {type(value).__name__} ({_short(value)}). "
            "Pass a dict of JSON-able values."
        )
    converted = to_json(value, where)
    assert isinstance(converted, dict)
    return converted


def metric_table(value: object, where: str) -> dict[str, dict[str, float | None]]:
    """Check and convert a table of scores: ``{"accuracy": {"cv_mean": 0.81, ...}, ...}``."""
    table = json_object(value, where)
    for metric, scores in table.items():
        numbers_only = isinstance(scores, dict) and all(
            s is None or (isinstance(s, (int, float)) and not isinstance(s, bool))
            for s in scores.values()
        )
        if not numbers_only:
            raise InputError(
                f"{where}[{metric!r}] must map score names to numbers, like "
                f"{{'cv_mean': 0.81, 'test': 0.8}}; got {_short(scores)}."
            )
    return {m: {k: None if s is None else float(s) for k, s in v.items()} for m, v in table.items()}


def _key(key: object, where: str) -> str:
    if isinstance(key, str):
        return key
    tolist = getattr(key, "tolist", None)  # a NumPy integer label
    plain = tolist() if callable(tolist) else key
    if isinstance(plain, (bool, int, float)):
        return str(plain)
    raise InputError(
        f"{where} has a key of type {type(key).__name__} ({_short(key)}); JSON keys are "
        "strings. Use str, int or float keys."
    )


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
