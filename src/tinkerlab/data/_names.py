"""Small helpers that make error messages name things well: quoting, lists, "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


def quoted(names: Iterable[object], limit: int = 12) -> str:
    """Return ``'a', 'b', 3``: strings quoted, cut after *limit* items with a count of the rest.

    >>> quoted(["a", "b", "c"], limit=2)
    "'a', 'b' and 1 more"
    >>> quoted([1, 2.5])
    '1, 2.5'
    """
    items = [repr(name) if isinstance(name, str) else str(name) for name in names]
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def closest(name: str, choices: Sequence[str]) -> list[str]:
    """Return the *choices* that look most like *name*, best first (at most three).

    A choice that differs only in case or surrounding spaces comes first: that is
    the typo people make most ("Survived " for "Survived").
    """
    wanted = name.strip().casefold()
    same = [c for c in choices if c.strip().casefold() == wanted and c != name]
    similar = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    folded = {c.casefold(): c for c in choices}
    similar += [folded[m] for m in difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.6)]
    found: list[str] = []
    for choice in [*same, *similar]:
        if choice not in found and choice != name:
            found.append(choice)
    return found[:3]


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """Return ``"Did you mean 'x'? "`` for the closest choice, or an empty string."""
    matches = closest(name, choices)
    if not matches:
        return ""
    if matches[0].strip() == name.strip() and matches[0] != name:
        return f"Did you mean {matches[0]!r}? (watch the spaces) "
    return f"Did you mean {' or '.join(repr(m) for m in matches)}? "


def said(error: BaseException) -> str:
    """What an exception says, on one line, without a final period."""
    return " ".join(str(error).split()).rstrip(".") or type(error).__name__
