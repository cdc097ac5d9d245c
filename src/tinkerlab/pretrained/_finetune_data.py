"""The texts and labels to fine-tune on: a loaded Dataset's columns, chosen and checked.

Kept apart from :mod:`._finetune`: choosing the columns is about the table, not the
training, and imports no torch. :mod:`._finetune` re-exports :func:`texts_and_labels`.
"""

from __future__ import annotations

from typing import Any

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained._text import as_texts


def json_value(value: Any) -> Any:
    """A NumPy scalar as the Python value JSON can hold."""
    return value.item() if hasattr(value, "item") else value


def texts_and_labels(
    dataset: Any, text: str | None, label: str | None, *, max_rows: int | None, seed: int
) -> tuple[str, str, list[str], list[Any]]:
    """(text column, label column, texts, labels) of a loaded Dataset, checked.

    *text* defaults to the dataset's only text column, *label* to its target; *max_rows*
    keeps a seeded random sample of that many rows.
    """
    frame = dataset.frame
    columns = list(frame.columns)
    for name, option in ((text, "--text"), (label, "--label")):
        if name is not None and name not in columns:
            import difflib

            close = difflib.get_close_matches(name, columns, n=1)
            hint = f"Did you mean {close[0]!r}? " if close else ""
            raise InputError(
                f"Column {name!r} ({option}) not found. {hint}Columns: {', '.join(columns)}."
            )
    if text is None:
        found = dataset.features("text")
        if len(found) != 1:
            raise InputError(
                f"Which column holds the texts? {dataset.name!r} has "
                f"{len(found) or 'no'} text column(s){': ' + ', '.join(found) if found else ''}. "
                "Fix: name it with --text COLUMN."
            )
        text = found[0]
    if label is None:
        if dataset.target is None:
            raise InputError(
                f"Which column holds the labels? {dataset.name!r} has no target. "
                "Fix: name it with --label COLUMN."
            )
        label = dataset.target
    if text == label:
        raise InputError(f"--text and --label are both {text!r}. Fix: give two different columns.")
    values = frame[text].dropna()
    if len(values) == 0 or not all(isinstance(v, str) for v in values):
        kind = str(frame[text].dtype)
        raise InputError(
            f"Column {text!r} (--text) does not hold text (dtype {kind}, e.g. "
            f"{values.iloc[0] if len(values) else None!r}). Fix: name the text column with "
            f"--text; text columns here: {', '.join(dataset.features('text')) or 'none'}."
        )
    rows = frame[frame[label].notna()]
    if max_rows is not None:
        if max_rows < 2:
            raise InputError(
                f"max_rows (--max-rows) must be an integer >= 2. Got {max_rows!r} instead. "
                "Fix: --max-rows N"
            )
        if max_rows < len(rows):
            rows = rows.sample(n=max_rows, random_state=seed)
    return text, label, as_texts(rows[text]), [json_value(v) for v in rows[label].tolist()]


__all__ = ["json_value", "texts_and_labels"]
