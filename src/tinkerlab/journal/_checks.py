"""Checks on the values the journal is handed, made before anything is written.

Each check returns the value as it will be stored, or raises an
:class:`~tinkerlab.exceptions.InputError` that names the value's place (``"point['label']"``),
what it got and what it needs. A record kind checks every value first and only then opens a
transaction, so bad input never leaves half a record behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tinkerlab.exceptions import InputError
from tinkerlab.journal._json import json_object, to_json

#: The records a caller names by id, by table: (one, many, the command that lists them).
RECORD_KINDS = {
    "runs": ("run", "runs", "tinkerlab journal"),
    "experiments": ("experiment", "experiments", "tinkerlab journal experiments"),
    "analyses": ("analysis", "analyses", "tinkerlab journal analyses"),
}


def check_id(value: object, table: str = "runs") -> int:
    """*value* if it is a whole number, as an id of a record in *table* must be."""
    if not isinstance(value, int) or isinstance(value, bool):
        one, many, listing = RECORD_KINDS[table]
        article = "An" if one[0] in "aeiou" else "A"
        raise InputError(
            f"{article} {one} id is a whole number, like 12; got {value!r}. "
            f"List the {many} and their ids with: {listing}"
        )
    return value


def check_limit(limit: int | None) -> int | None:
    """A listing's *limit*: 0 or more, or None for every record."""
    if limit is not None and limit < 0:
        raise InputError(f"limit must be 0 or more, or None for all; got {limit}.")
    return limit


def text(value: object, where: str) -> str:
    """A string, as it is."""
    if not isinstance(value, str):
        raise InputError(f"{where} must be a string; got a {type(value).__name__} ({value!r:.60}).")
    return value


def words(value: object, what: str) -> str:
    """Some text a person wrote (a note, a question), without surrounding blanks."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            f"A {what} needs some text; got {value!r:.60}. Write it in words, e.g. "
            "'the test score beats the CV mean'."
        )
    return value.strip()


def strings(value: object, where: str) -> list[str]:
    """A list of strings (notices, card ids)."""
    converted = to_json(value, where)
    if not isinstance(converted, list) or not all(isinstance(v, str) for v in converted):
        raise InputError(f"{where} must be a list of strings; got {value!r:.80}.")
    return [str(v) for v in converted]


def number(value: object, where: str) -> float:
    """A finite number (NumPy's included), as a float."""
    converted = to_json(value, where)
    if not isinstance(converted, int | float) or isinstance(converted, bool):
        raise InputError(f"{where} must be a finite number; got {value!r:.60}.")
    return float(converted)


def integer(value: object, where: str) -> int:
    """A whole number (NumPy's included)."""
    converted = to_json(value, where)
    if not isinstance(converted, int) or isinstance(converted, bool):
        raise InputError(f"{where} must be a whole number; got {value!r:.60}.")
    return converted


def optional(value: Any, kind: type, where: str) -> Any:
    """None, or a value of *kind* (``float`` also takes an int)."""
    if value is None:
        return None
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind in (str, bool) and isinstance(value, kind):
        return value
    raise InputError(f"{where} must be a {kind.__name__} or None; got {value!r:.60}.")


def fold_scores(value: object, where: str) -> dict[str, Any]:
    """``{"accuracy": [0.8, 0.82, ...]}``: numbers per fold; NaN is stored as null."""
    table = json_object(value, where)
    for metric, scores in table.items():
        ok = isinstance(scores, list) and all(
            s is None or (isinstance(s, int | float) and not isinstance(s, bool)) for s in scores
        )
        if not ok:
            raise InputError(
                f"{where}[{metric!r}] must be a list of scores, one per fold; got {scores!r:.60}."
            )
    return table


def files(value: object, where: str) -> dict[str, bytes]:
    """Files to store beside a record (plots, a report): plain names and their bytes."""
    if not isinstance(value, Mapping):
        raise InputError(f"{where} must map file names to bytes; got {value!r:.80}.")
    checked: dict[str, bytes] = {}
    for name, content in value.items():
        if not isinstance(name, str) or name in ("", ".", "..") or Path(name).name != name:
            raise InputError(
                f"File name {name!r} in {where} is not a plain file name. Use a name like "
                "'confusion_matrix.png', without folders."
            )
        if "\\" in name:
            raise InputError(
                f"File name {name!r} in {where} contains a backslash; use a plain one."
            )
        if not isinstance(content, bytes | bytearray | memoryview):
            raise InputError(
                f"{where}[{name!r}] must be bytes (the file's content); got a "
                f"{type(content).__name__}. Save a figure to io.BytesIO and pass .getvalue()."
            )
        checked[name] = bytes(content)
    return checked
