"""The Python verbs' signatures and parameter docs, written from the declarations.

``tl.run``, ``tl.tinker`` and ``tl.compare`` take their options as ``**options``;
:func:`declared` gives each the full signature (so ``help(tl.run)``, Jupyter's ``?``
and tab completion list every option with its default) and fills the ``{options}``
slot of its docstring with one numpydoc entry per option, from the same rows the
command line reads.

>>> from tinkerlab.options._python import parameters_doc
>>> print(parameters_doc("compare").splitlines()[2])
budget : a float in the range (0, inf), default=60.0
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

from tinkerlab.options._declared import options_for
from tinkerlab.options._surface import help_text

F = TypeVar("F", bound=Callable[..., Any])


def declared(command: str) -> Callable[[F], F]:
    """Give a Python verb every declared option of *command* as a keyword parameter."""

    def wrap(func: F) -> F:
        own = inspect.signature(func)
        kept = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
        names = {p.name for p in kept}
        added = [
            inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default)
            for o in options_for(command, "python")
            if o.name not in names
        ]
        order = sorted([*kept, *added], key=lambda p: p.kind)  # stable: declared order kept
        func.__signature__ = own.replace(parameters=order)  # type: ignore[attr-defined]
        if func.__doc__ and "{options}" in func.__doc__:
            func.__doc__ = func.__doc__.replace(
                "{options}", textwrap.indent(parameters_doc(command, skip=names), "    ").strip()
            )
        return func

    return wrap


def parameters_doc(command: str, skip: set[str] | frozenset[str] = frozenset()) -> str:
    """Numpydoc ``Parameters`` entries for *command*'s Python options."""
    entries = []
    for option in options_for(command, "python"):
        if option.name in skip:
            continue
        default = "" if option.default in (None, ()) else f", default={option.default!r}"
        text = textwrap.fill(help_text(option), 84, initial_indent="    ", subsequent_indent="    ")
        entries.append(f"{option.name} : {option.describe()}{default}\n{text}")
    return "\n".join(entries)
