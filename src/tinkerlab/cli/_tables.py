"""Tables that fit the terminal without cutting words in half.

rich shrinks every column of a table that is too wide, and a column narrower than its
longest word folds that word ("logistic_regressi / on", "CC-BY-4 / .0"). :func:`fitted`
gives each column at least its longest word, wraps prose at spaces, and leaves out the
least important columns when even that does not fit — saying so in the caption, where
``--json`` shows everything.

>>> table = fitted(
...     [Column("name"), Column("what it is", prose=True, priority=1)],
...     [["logistic_regression", "A weighted sum of the features."]],
...     width=40,
... )
>>> [c.header for c in table.columns]
['name', 'what it is']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table

#: What a column costs besides its text: a border and a space either side.
_EDGE = 3


@dataclass(frozen=True)
class Column:
    """One column: its header, whether its text is prose that may wrap at spaces, and how
    much it matters (0 is kept longest; higher numbers are left out first)."""

    header: str
    prose: bool = False  # wraps at spaces; otherwise one unbroken line
    priority: int = 0  # 0: always shown; larger: dropped earlier when space runs out
    justify: str = "left"  # "left" or "right" (numbers)


def fitted(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    title: str | None = None,
    caption: str | None = None,
) -> Table:
    """A rich Table of *rows* whose columns fit *width* without splitting a word.

    When even the columns that are always shown do not fit, the widest of them folds
    (its longest cells go on two lines) rather than the table losing its right edge.
    """
    keep = list(range(len(columns)))
    while len(keep) > 1 and _needed(columns, rows, keep) > width:
        drop = max(keep, key=lambda i: (columns[i].priority, i))
        if columns[drop].priority == 0:
            break
        keep.remove(drop)
    folds = None
    if _needed(columns, rows, keep) > width:
        folds = max(keep, key=lambda i: _longest_word(columns[i], rows, i))
    left_out = [columns[i].header for i in range(len(columns)) if i not in keep]
    note = f"(too narrow for: {', '.join(left_out)}; --json has them)" if left_out else None
    table = Table(
        title=title,
        caption=" ".join(c for c in (caption, note) if c) or None,
        expand=False,
    )
    for i in keep:
        column = columns[i]
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=not column.prose and i != folds,
            overflow="fold" if column.prose or i == folds else "ellipsis",
            min_width=None if i == folds else _longest_word(column, rows, i),
        )
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    return table


def _longest_word(column: Column, rows: Sequence[Sequence[str]], i: int) -> int:
    """The narrowest the column may get: its longest word (prose) or its longest cell."""
    cells = [column.header, *(row[i] for row in rows)]
    if column.prose:
        return max(len(word) for cell in cells for word in (cell.split() or [""]))
    return max(len(cell) for cell in cells)


def _needed(columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int]) -> int:
    """The width the kept columns need at their narrowest, borders included."""
    return 1 + sum(_longest_word(columns[i], rows, i) + _EDGE for i in keep)
