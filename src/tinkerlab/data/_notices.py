"""Notices about column roles, grouped by kind so a wide table gets a few sentences, not thousands.

Schema inference says why it dropped or set aside each column. A few columns of one kind
keep their own sentence (it names the column, the evidence and the flag that changes
it); from :data:`GROUP_ABOVE` columns of one kind on, they share one sentence with the
count and the first names::

    Dropped 1,000 constant columns: 'c0', 'c10', 'c20', … (+997) — each holds a single
    value (or none), so it cannot help a model.
"""

from __future__ import annotations

from collections.abc import Iterable

from tinkerlab.data._dataset import Role
from tinkerlab.options import name_of, spell

#: More columns of one kind than this share one notice.
GROUP_ABOVE = 3
#: Names shown in a grouped notice before the count of the rest.
NAMES_SHOWN = 3

#: One sentence per kind: {count} columns, {names} the first few; {numeric}, {drop}... an
#: option as the learner's surface names it (``--drop``, ``drop``, ``Drop``), and
#: {numeric_example}... that option set to the first column. The kind is the role the
#: columns got (categorical columns get a notice only for having very many values).
GROUPED: dict[Role, str] = {
    "constant": (
        "Dropped {count} constant columns: {names} — each holds a single value (or none), "
        "so it cannot help a model."
    ),
    "id": (
        "Dropped {count} columns that look like ids (every value distinct: a row number, a "
        "code or a name): {names} — pass {numeric} or {categorical} with a name (e.g. "
        "{numeric_example}) to keep one."
    ),
    "datetime": (
        "Kept {count} date columns out of the features for now: {names} — pass {categorical} "
        "with a name (e.g. {categorical_example}) to use its values as categories."
    ),
    "text": (
        "Treating {count} columns as free text: {names} — pass {categorical} with a name "
        "(e.g. {categorical_example}) to treat its values as categories, or {drop}."
    ),
    "categorical": (
        "{count} categorical columns have very many distinct values (one-hot encoding makes "
        "a column for each): {names} — pass {drop} with a name (e.g. {drop_example}) if "
        "one is an identifier, or {text} if it is prose."
    ),
    "ignored": (
        "Ignored {count} columns whose values a model cannot use (nested data or types "
        "that are neither numbers nor strings): {names} — convert them to numbers or "
        "strings first."
    ),
}


def group_notices(notices: Iterable[tuple[Role, str, str]]) -> list[str]:
    """Turn ``(role, column, notice)`` triples into the notices to show, grouped by role.

    Kinds appear in the order of their first column; a kind with at most
    :data:`GROUP_ABOVE` columns keeps each column's own notice.

    Examples
    --------
    >>> notes = [("constant", f"c{i}", f"Dropped 'c{i}': ...") for i in range(5)]
    >>> group_notices(notes)
    ["Dropped 5 constant columns: 'c0', 'c1', 'c2', … (+2) — each holds a single value (or none), so it cannot help a model."]
    >>> group_notices(notes[:2])
    ["Dropped 'c0': ...", "Dropped 'c1': ..."]
    """  # noqa: E501 - a doctest shows the sentence whole
    by_role: dict[Role, list[tuple[str, str]]] = {}
    for role, column, notice in notices:
        by_role.setdefault(role, []).append((column, notice))
    shown: list[str] = []
    for role, items in by_role.items():
        if len(items) <= GROUP_ABOVE or role not in GROUPED:
            shown.extend(notice for _, notice in items)
            continue
        columns = [column for column, _ in items]
        shown.append(
            GROUPED[role].format(
                count=f"{len(columns):,}", names=name_list(columns), **_options(columns[0])
            )
        )
    return shown


def _options(column: str) -> dict[str, str]:
    """The role options as this surface names them, alone and set to *column*."""
    roles = ("numeric", "categorical", "text", "drop")
    return {
        **{role: name_of(role) for role in roles},
        **{f"{role}_example": spell(role, [column]) for role in roles},
    }


def name_list(columns: list[str], shown: int = NAMES_SHOWN) -> str:
    """``'c0', 'c1', 'c2', … (+997)``: the first names, quoted, and how many more."""
    names = ", ".join(repr(c) for c in columns[:shown])
    rest = len(columns) - shown
    return f"{names}, … (+{rest:,})" if rest > 0 else names
