"""Surfaces: who is asking (the command line, Python, the web lab), so that a fix is
written the way the learner will type it.

The same mistake needs different words in different places: ``--test-size 0.2`` in a
terminal, ``test_size=0.2`` in a notebook, ``Test size: 0.2`` on a web form. The adapter
(the CLI, the web lab) says where the learner is with :func:`speaking`; the library
writes every fix through :func:`spell`, :func:`fix` and :func:`suggest`, which read it.

>>> with speaking("cli", "tinker"):
...     fix(("model", "knn"), ("knob", "n_neighbors"))
'--model knn --knob n_neighbors'
>>> fix(("model", "knn"), ("knob", "n_neighbors"))
"model='knn', knob='n_neighbors'"
>>> with speaking("cli", "run"):
...     spell("categorical", ["Marriage Rating (1-5)"])
"--categorical 'Marriage Rating (1-5)'"
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from tinkerlab.options._constraints import Boolean, Items, word
from tinkerlab.options._declared import OPTIONS, Option, Surface


@dataclass(frozen=True)
class Where:
    """The surface a learner is on, and the command they ran."""

    kind: Surface = "python"
    command: str | None = None  # "run", "tinker", "compare"...

    def command_name(self, command: str | None = None) -> str:
        """``tinkerlab run``, ``tl.run`` or ``the run page``."""
        name = command or self.command or "tinkerlab"
        if self.kind == "cli":
            return f"tinkerlab {name}" if name != "tinkerlab" else name
        if self.kind == "web":
            return f"the {name} page"
        return f"tl.{name}" if name != "tinkerlab" else "tinkerlab"


_PYTHON = Where()  # frozen: safe to share as the default
_WHERE: ContextVar[Where] = ContextVar("tinkerlab_surface", default=_PYTHON)


def where() -> Where:
    """The surface being spoken to now (Python, unless an adapter said otherwise)."""
    return _WHERE.get()


@contextmanager
def speaking(kind: Surface | None = None, command: str | None = None) -> Iterator[Where]:
    """Within the block, fixes are written for *kind* (and name *command*)."""
    now = _WHERE.get()
    token = _WHERE.set(Where(kind or now.kind, command or now.command))
    try:
        yield _WHERE.get()
    finally:
        _WHERE.reset(token)


_NOTHING = object()


def name_of(name: str) -> str:
    """The option itself as the surface names it: ``--test-size``, ``test_size``, ``Test size``."""
    option = OPTIONS.get(name)
    kind = where().kind
    if kind == "cli":
        if option is None:
            return "--" + name.replace("_", "-")
        return name.upper() if option.argument else option.cli_flag.split("/")[0]
    if kind == "web":
        return option.title if option is not None else name.replace("_", " ").capitalize()
    return name


def spell(name: str, value: Any = _NOTHING) -> str:
    """Option *name* set to *value*, as the learner would type it here.

    ``--set max_depth=8`` / ``params={'max_depth': 8}`` / ``Knob values: max_depth=8``.
    Words are quoted for the shell where they need it.
    """
    option = OPTIONS.get(name)
    value = option.example if value is _NOTHING and option is not None else value
    kind = where().kind
    if kind == "python":
        return f"{name}={value!r}" if value is not _NOTHING else name
    words = _words(option, value) if value is not _NOTHING else []
    if kind == "web":
        return f"{name_of(name)}: {', '.join(words)}" if words else name_of(name)
    return " ".join(_cli_parts(option, name, value, words))


def fix(*pairs: tuple[str, Any]) -> str:
    """Several options set at once: ``--model knn --knob n_neighbors``."""
    glue = ", " if where().kind in ("python", "web") else " "
    return glue.join(spell(name, value) for name, value in pairs)


def suggest(command: str, dataset: Any = None, *pairs: tuple[str, Any]) -> str:
    """A whole command to run: ``tinkerlab tinker iris --model knn --knob n_neighbors`` or
    ``tl.tinker('iris', model='knn', knob='n_neighbors')``."""
    kind = where().kind
    if kind == "python":
        args = ([repr(dataset)] if dataset is not None else []) + [spell(n, v) for n, v in pairs]
        return f"tl.{command}({', '.join(args)})"
    if kind == "web":
        return f"on the {command} page, " + fix(*pairs) if pairs else f"the {command} page"
    head = ["tinkerlab", command, *([shlex.quote(str(dataset))] if dataset is not None else [])]
    return " ".join([*head, fix(*pairs)] if pairs else head)


def _words(option: Option | None, value: Any) -> list[str]:
    """The command-line words of *value* (one per use of a repeated flag)."""
    if option is None:
        return [word(value)]
    if option.repeat and isinstance(option.rule, Items):
        return [word(v) for v in value]
    return option.rule.to_text(value)


def _cli_parts(option: Option | None, name: str, value: Any, words: list[str]) -> list[str]:
    if option is None:
        return ["--" + name.replace("_", "-"), *map(shlex.quote, words)]
    if isinstance(option.rule, Boolean):
        on, _, off = option.cli_flag.partition("/")
        return [on if value else (off or "")] if (value or off) else []
    if option.argument:
        return [shlex.quote(w) for w in words]
    flag = option.cli_flag
    if option.repeat:
        return [part for w in words for part in (flag, shlex.quote(w))]
    return [flag, *map(shlex.quote, words)]


def help_text(option: Option) -> str:
    """The option's help sentence, other options named as this surface spells them."""
    import re

    return re.sub(r"\{(\w+)\}", lambda m: name_of(m.group(1)), option.help)
