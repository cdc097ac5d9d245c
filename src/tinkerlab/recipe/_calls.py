"""A pipeline described as data, so the same description builds objects *and* code.

A :class:`Call` names a class by its import path and holds its keyword arguments.
``Call.build()`` imports the class and instantiates it; ``Call.code()`` writes the
Python expression that does the same. The run and the script a learner owns are
both produced from one tree of Calls, so they cannot drift apart.

>>> scaler = Call("sklearn.preprocessing.StandardScaler")
>>> scaler.code()
'StandardScaler()'
>>> type(scaler.build()).__name__
'StandardScaler'

Larger pipelines are written as a :class:`Program`: named steps that refer to
earlier ones with :class:`Var`, which reads like the script a person would write.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

_INDENT = "    "
_LINE = 88  # a call longer than this is split over several lines


@dataclass(frozen=True)
class Var:
    """A reference to a variable assigned earlier in a :class:`Program`."""

    name: str


@dataclass(frozen=True)
class Ref:
    """An importable object used as a value, not called: ``Ref("numpy.log1p")`` builds to
    the function itself and is written ``log1p`` (``from numpy import log1p``)."""

    path: str  # "numpy.log1p"

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[1]

    def build(self) -> Any:
        """The object itself, imported."""
        module, name = self.path.rsplit(".", 1)
        return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Call:
    """``path(**kwargs)``: a class to import and the keyword arguments to call it with."""

    path: str  # "sklearn.preprocessing.StandardScaler"
    kwargs: dict[str, Any] = field(default_factory=dict)  # values: literals, Calls, lists/tuples
    args: tuple[Any, ...] = ()  # positional arguments (Pipeline's list of steps)

    @property
    def name(self) -> str:
        """The class name as the script imports it: ``StandardScaler``."""
        return self.path.rsplit(".", 1)[1]

    def build(self, env: dict[str, Any] | None = None) -> Any:
        """Import the class and return a new instance (``env`` resolves :class:`Var`)."""
        env = env or {}
        module, name = self.path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), name)
        args = [_build(a, env) for a in self.args]
        return cls(*args, **{k: _build(v, env) for k, v in self.kwargs.items()})

    def code(self, indent: int = 0) -> str:
        """The Python expression for this call; nested calls are laid out one per line."""
        parts = [_code(a, indent + 1) for a in self.args]
        parts += [f"{k}={_code(v, indent + 1)}" for k, v in self.kwargs.items()]
        flat = f"{self.name}({', '.join(parts)})"
        if len(flat) + len(_INDENT) * indent <= _LINE and "\n" not in flat:
            return flat
        pad = _INDENT * (indent + 1)
        return f"{self.name}(\n" + "".join(f"{pad}{p},\n" for p in parts) + _INDENT * indent + ")"

    def imports(self) -> set[str]:
        """Every ``from module import Name`` line this call (and its children) needs."""
        module, name = self.path.rsplit(".", 1)
        found = {f"from {module} import {name}"}
        for value in (*self.args, *self.kwargs.values()):
            found |= _imports(value)
        return found


@dataclass(frozen=True)
class Program:
    """Named steps, each a :class:`Call` that may refer to earlier steps by :class:`Var`."""

    steps: tuple[tuple[str, Call], ...]  # (variable name, call), in order

    def build(self, env: dict[str, Any] | None = None) -> Any:
        """Build every step and return the last one's object (``env``: names defined before)."""
        env = dict(env or {})
        for var, call in self.steps:
            env[var] = call.build(env)
        return env[self.steps[-1][0]]

    def code(self) -> str:
        """The assignments, one per step: ``name = Class(...)``."""
        return "\n".join(f"{var} = {call.code()}" for var, call in self.steps)

    def imports(self) -> set[str]:
        """Every import line the steps need."""
        found: set[str] = set()
        for _, call in self.steps:
            found |= call.imports()
        return found


def literal(value: Any) -> str:
    """Python source for a plain value, strings in double quotes as our scripts are formatted."""
    if isinstance(value, str) and '"' not in value and "\\" not in value:
        return '"' + repr(value)[1:-1].replace("\\'", "'") + '"'
    return repr(value)


def _build(value: Any, env: dict[str, Any]) -> Any:
    if isinstance(value, Var):
        return env[value.name]
    if isinstance(value, Ref):
        return value.build()
    if isinstance(value, Call):
        return value.build(env)
    if isinstance(value, list):
        return [_build(v, env) for v in value]
    if isinstance(value, tuple):
        return tuple(_build(v, env) for v in value)
    return value


def _code(value: Any, indent: int) -> str:
    if isinstance(value, Var | Ref):
        return value.name
    if isinstance(value, Call):
        return value.code(indent)
    if isinstance(value, list | tuple):
        items = [_code(v, indent + 1) for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        if isinstance(value, tuple) and len(value) == 1:
            items[0] += ","
        flat = open_ + ", ".join(items) + close
        if len(flat) + len(_INDENT) * indent <= _LINE and "\n" not in flat:
            return flat
        pad = _INDENT * (indent + 1)
        return open_ + "\n" + "".join(f"{pad}{i},\n" for i in items) + _INDENT * indent + close
    return literal(value)


def _imports(value: Any) -> set[str]:
    if isinstance(value, Call):
        return value.imports()
    if isinstance(value, Ref):
        module, name = value.path.rsplit(".", 1)
        return {f"from {module} import {name}"}
    if isinstance(value, list | tuple):
        found: set[str] = set()
        for v in value:
            found |= _imports(v)
        return found
    return set()
