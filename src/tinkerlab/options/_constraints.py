"""Constraints: what values an option allows, as plain objects.

A constraint answers four questions about one option, so that every surface asks the
same ones: which values are allowed (:meth:`~Constraint.check`, for Python values), how
typed text becomes a value (:meth:`~Constraint.parse`, for the command line and web
forms), how to say the rule in words (:meth:`~Constraint.describe`, for help and errors),
and which form control shows it (:meth:`~Constraint.widget`, for the web lab).

The idea is scikit-learn's ``_parameter_constraints``: the rule is data, and the error
message is generated from it, ``"must be an int in the range [2, 50]. Got 1 instead."``

>>> Interval("int", 2, 50).check(5)
5
>>> Interval("float", 0, 1, closed="neither").describe()
'a float in the range (0, 1)'
>>> Choices("linear", "log").parse("LOG")
'log'
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


class InvalidValueError(ValueError):
    """A value a constraint does not allow; :func:`tinkerlab.options.settle` words it."""


class Constraint:
    """The rule for one option's values (subclasses below)."""

    def check(self, value: Any) -> Any:
        """*value* (normalised) if it is allowed; else raise :class:`InvalidValueError`."""
        raise NotImplementedError

    def parse(self, text: str) -> Any:
        """Turn typed text (command line, web form) into a checked value."""
        return self.check(text)

    def describe(self) -> str:
        """The rule in words, completing "must be …": ``an int in the range [2, 50]``."""
        raise NotImplementedError

    def widget(self) -> dict[str, Any]:
        """How a form shows it: ``{"control": "range", "min": 2, "max": 50, ...}``."""
        return {"control": "text"}

    def to_text(self, value: Any) -> list[str]:
        """The words that type *value* on a command line (one per flag use)."""
        return [word(value)]


@dataclass(frozen=True)
class Interval(Constraint):
    """A number between two bounds: ``Interval("float", 0, 1, closed="neither")``."""

    kind: Literal["int", "float"]  # whole numbers only, or any real number
    low: float | None  # the smallest value (None: no bound)
    high: float | None  # the largest value (None: no bound)
    closed: Literal["both", "left", "right", "neither"] = "both"  # are the bounds allowed?
    scale: Literal["linear", "log"] = "linear"  # how a slider should space its values

    def check(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise InvalidValueError(value)
        if self.kind == "int":
            if not isinstance(value, numbers.Integral):
                raise InvalidValueError(value)
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise InvalidValueError(value)
        low_ok = self.low is None or (
            value >= self.low if self.closed in ("both", "left") else value > self.low
        )
        high_ok = self.high is None or (
            value <= self.high if self.closed in ("both", "right") else value < self.high
        )
        if not (low_ok and high_ok):
            raise InvalidValueError(value)
        return value

    def parse(self, text: str) -> Any:
        try:
            number: float = int(text) if self.kind == "int" else float(text)
        except ValueError:
            raise InvalidValueError(text) from None
        return self.check(number)

    def describe(self) -> str:
        what = "an int" if self.kind == "int" else "a float"
        if self.low is None and self.high is None:
            return "a whole number" if self.kind == "int" else "a number"
        left = "[" if self.closed in ("both", "left") and self.low is not None else "("
        right = "]" if self.closed in ("both", "right") and self.high is not None else ")"
        low = "-inf" if self.low is None else self._bound(self.low)
        high = "inf" if self.high is None else self._bound(self.high)
        return f"{what} in the range {left}{low}, {high}{right}"

    def _bound(self, value: float) -> str:
        return str(int(value)) if self.kind == "int" else f"{value:g}"

    def widget(self) -> dict[str, Any]:
        bounded = self.low is not None and self.high is not None
        return {
            "control": "range" if bounded else "number",
            "min": self.low,
            "max": self.high,
            "step": 1 if self.kind == "int" else "any",
            "scale": self.scale,
        }


@dataclass(frozen=True, init=False)
class Choices(Constraint):
    """One of a fixed list of values: ``Choices("linear", "log")``."""

    values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "values", values)

    def check(self, value: Any) -> Any:
        if value not in self.values or isinstance(value, bool) != isinstance(self.values[0], bool):
            raise InvalidValueError(value)
        return value

    def parse(self, text: str) -> Any:
        for choice in self.values:
            if text.strip().lower() == str(choice).lower():
                return choice
        raise InvalidValueError(text)

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def widget(self) -> dict[str, Any]:
        return {"control": "select", "choices": list(self.values)}


@dataclass(frozen=True)
class Boolean(Constraint):
    """True or false: a switch (``--fast/--no-fast``), a checkbox."""

    def check(self, value: Any) -> Any:
        if not isinstance(value, bool):
            raise InvalidValueError(value)
        return value

    def parse(self, text: str) -> Any:
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise InvalidValueError(text)

    def describe(self) -> str:
        return "true or false"

    def widget(self) -> dict[str, Any]:
        return {"control": "checkbox"}


_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Text(Constraint):
    """Non-empty text: a column, a model name, a URL. *choices_from* names the list a
    form can offer (``"models"``, ``"columns"``, ``"metrics"``); what is valid there is
    checked by the layer that owns that list (the model registry, the dataset)."""

    choices_from: str | None = None  # the list a web form offers, resolved by the lab
    pattern: str | None = None  # a regular expression the whole text must match
    what: str = "a non-empty string"  # the rule in words

    def check(self, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(value)
        if self.pattern is not None and not re.fullmatch(self.pattern, value.strip()):
            raise InvalidValueError(value)
        return value

    def describe(self) -> str:
        return self.what

    def widget(self) -> dict[str, Any]:
        return {"control": "select" if self.choices_from else "text", "from": self.choices_from}


@dataclass(frozen=True)
class Value(Constraint):
    """One value of a knob: a number, a word, true/false or none. Which values the knob
    allows is checked by the knob itself (it knows its type and range)."""

    def check(self, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                raise InvalidValueError(value)
            return value.strip()
        if value is None or isinstance(value, bool | numbers.Real):
            return value
        raise InvalidValueError(value)

    def describe(self) -> str:
        return "a value: a number, a word, true/false or none"


@dataclass(frozen=True)
class Span(Constraint):
    """A range ``LOW:HIGH`` of numbers (``"1:20"``, ``"0.001:10"``), or a pair in Python."""

    def check(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.parse(value)
        if isinstance(value, tuple | list) and len(value) == 2:
            low, high = value
            numbers_only = all(
                isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value
            )
            if numbers_only and math.isfinite(low) and math.isfinite(high) and low < high:
                return (low, high)
        raise InvalidValueError(value)

    def parse(self, text: str) -> Any:
        low, sep, high = text.partition(":")
        try:
            pair = (_number(low), _number(high))
        except ValueError:
            raise InvalidValueError(text) from None
        if not sep:
            raise InvalidValueError(text)
        return self.check(pair)

    def describe(self) -> str:
        return "a range LOW:HIGH of two numbers, LOW below HIGH"

    def widget(self) -> dict[str, Any]:
        return {"control": "span"}

    def to_text(self, value: Any) -> list[str]:
        return [f"{word(value[0])}:{word(value[1])}"]


def _number(text: str) -> float | int:
    """``"3"`` → 3, ``"0.5"`` → 0.5, ``"1e-3"`` → 0.001; anything else raises ValueError."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return float(text)


@dataclass(frozen=True)
class Items(Constraint):
    """Several values, each allowed by *item*. On the command line either one flag with
    a comma-separated list (``--models knn,svm``) or a flag given many times
    (``--drop a --drop b``): see :attr:`Option.repeat`."""

    item: Constraint  # the rule for each value
    minimum: int = 1  # at least this many values

    def check(self, value: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, Mapping) or not isinstance(value, Iterable):
            raise InvalidValueError(value)
        values = [self.item.check(v) for v in value]
        if len(values) < self.minimum:
            raise InvalidValueError(value)
        return values

    def parse(self, text: str) -> Any:
        return self.check([self.item.parse(v.strip()) for v in text.split(",") if v.strip()])

    def parse_each(self, texts: Iterable[str]) -> list[Any]:
        """The values of a repeated flag, each parsed (``--drop a --drop "b, c"``)."""
        values: list[Any] = self.check([self.item.parse(t) for t in texts])
        return values

    def describe(self) -> str:
        return f"a list of values, each {self.item.describe()}"

    def widget(self) -> dict[str, Any]:
        return {**self.item.widget(), "multiple": True}

    def to_text(self, value: Any) -> list[str]:
        return [",".join(word(v) for v in value)]


@dataclass(frozen=True)
class KnobValues(Constraint):
    """Model knob values, ``{"max_depth": 8}``; typed as ``--set max_depth=8`` (repeated).
    Each value is checked against the model's registry row, which knows the knob."""

    def check(self, value: Any) -> Any:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and k.strip() for k in value
        ):
            raise InvalidValueError(value)
        return {k.strip(): v for k, v in value.items()}

    def parse(self, text: str) -> Any:
        return self.parse_each([text])

    def parse_each(self, texts: Iterable[str]) -> dict[str, Any]:
        """``["max_depth=8", "criterion=entropy"]`` → ``{"max_depth": "8", ...}`` (text:
        the registry parses each value by its knob's type)."""
        values: dict[str, Any] = {}
        for text in texts:
            name, sep, value = text.partition("=")
            if not sep or not name.strip():
                raise InvalidValueError(text)
            values[name.strip()] = value.strip()
        return values

    def describe(self) -> str:
        return "NAME=VALUE pairs naming the model's knobs (see `tinkerlab models NAME`)"

    def widget(self) -> dict[str, Any]:
        return {"control": "knobs"}

    def to_text(self, value: Any) -> list[str]:
        return [f"{k}={word(v)}" for k, v in value.items()]


@dataclass(frozen=True)
class Source(Constraint):
    """Where data comes from: a built-in's name or a file path (text), or in Python also
    a table or a loaded dataset; whether it can be read is for the data layer to say."""

    def check(self, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise InvalidValueError(value)
        return value

    def describe(self) -> str:
        return "a built-in name (tinkerlab datasets), a file path, or a table"

    def widget(self) -> dict[str, Any]:
        return {"control": "select", "from": "datasets"}


@dataclass(frozen=True)
class FilePath(Constraint):
    """A file to read or write; where it may be written is checked where it is written."""

    def check(self, value: Any) -> Any:
        if isinstance(value, Path):
            return value
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(value)
        return Path(value)

    def describe(self) -> str:
        return "a file path"

    def to_text(self, value: Any) -> list[str]:
        return [str(value)]


@dataclass(frozen=True)
class ByteSize(Constraint):
    """A number of bytes, typed for people: ``500M``, ``2G``, ``1.5g`` or ``1048576``."""

    def check(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.parse(value)
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise InvalidValueError(value)
        return int(value)

    def parse(self, text: str) -> Any:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text, re.IGNORECASE)
        if not match:
            raise InvalidValueError(text)
        number, unit = float(match.group(1)), match.group(2).lower()
        size = int(number * 1024 ** " kmgt".index(unit or " "))
        if size < 1:
            raise InvalidValueError(text)
        return size

    def describe(self) -> str:
        return "a size in bytes, optionally with K, M, G or T (e.g. 500M or 2G)"


def word(value: Any) -> str:
    """A value as one command-line word: ``none``, ``true``, ``0.2``, ``knn``."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
