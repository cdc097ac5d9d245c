"""The settings a search tries: each knob read and checked, then a grid or random draws.

A search tunes several knobs of one model at once. Each knob is given as a range
(``C=0.1:100``, spaced by the knob's own scale: ``C`` and ``gamma`` are log-scaled in
the registry, so 0.1, 0.4, 1.6, ... rather than 0.1, 20, 40, ...) or as values
(``kernel=rbf,linear``). Two ways to turn the knobs into settings:

* **grid**: every combination of the knobs' values (:func:`grid`), as
  ``GridSearchCV`` would; a range gets ``steps`` values;
* **random**: ``candidates`` settings, each knob drawn independently, uniformly on its
  own scale (log-uniform for a log knob: Bergstra & Bengio 2012, "Random search for
  hyper-parameter optimization", JMLR 13, show that a few random settings often beat a
  grid because each knob gets more distinct values). The draws are ours rather than
  ``HalvingRandomSearchCV``'s, so that every value is checked by the registry and
  written down, and the same seed always draws the same settings.

Every check happens here, before a single fit, with the fix spelled as the learner
types it (``--knob C=0.1:100`` or ``knobs={'C': (0.1, 100)}``).

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> recipe = make_recipe(load("iris"), model="svm")
>>> axes = read_knobs(recipe, {"C": "0.1:100", "kernel": "rbf,linear"})
>>> [(a.name, a.scale) for a in axes]
[('C', 'log'), ('kernel', 'linear')]
>>> len(grid(axes, steps=4))
8
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.experiment._knob_kinds import spaced as _spaced
from tinkerlab.experiment._knob_kinds import value_text as _text
from tinkerlab.options import name_of, spell

if TYPE_CHECKING:
    from tinkerlab.recipe import Knob, Recipe

#: Values a range gets on a grid, by the number of knobs (the grid stays near 64 settings).
GRID_STEPS = {1: 8, 2: 6, 3: 4}
#: ... and beyond three knobs.
GRID_STEPS_BEYOND = 3
#: Settings a random search draws by default.
DEFAULT_CANDIDATES = 30
#: The most settings a search may try (a grid grows as the product of its knobs' values).
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Axis:
    """One knob of a search: its registry row and where it may go."""

    name: str  # the model's parameter, "C"
    knob: Knob  # its registry row: type, range, scale
    values: tuple[Any, ...] | None  # the values given (kernel=rbf,linear), checked
    span: tuple[float, float] | None  # or a range low..high (C=0.1:100), checked
    scale: str  # "log" or "linear": how a range is spaced and drawn from

    def label(self) -> str:
        """How the knob's domain reads: ``C in 0.1:100 (log)``, ``kernel in rbf, linear``."""
        if self.span is not None:
            return f"{self.name} in {_text(self.span[0])}:{_text(self.span[1])} ({self.scale})"
        return f"{self.name} in {', '.join(_text(v) for v in self.values or ())}"


def read_knobs(recipe: Recipe, knobs: Mapping[str, Any] | None) -> list[Axis]:
    """Each knob of *knobs* checked against the recipe's model: its name, then its range or
    values (text as typed, ``(low, high)`` or a list in Python)."""
    from tinkerlab.recipe import get_model

    spec = get_model(recipe.model, recipe.task)
    valid = [k.name for k in spec.knobs_for(recipe.task, recipe.impl)]
    if not knobs:
        raise RecipeError(
            f"A search needs {name_of('knobs')}: which knobs of {spec.title} to tune, and "
            f"where. Fix: {_example(spec.knobs_for(recipe.task))} (its knobs: "
            f"{', '.join(valid) or '(none)'})"
        )
    axes = []
    for name, where in knobs.items():
        if name not in valid:
            raise RecipeError(
                f"{spec.title} has no knob '{name}'{_close(name, valid)}. Its knobs: "
                f"{', '.join(valid) or '(none)'}. Fix: {_example(spec.knobs_for(recipe.task))}"
                f" (see tinkerlab models {recipe.model})"
            )
        if name in recipe.params:
            raise RecipeError(
                f"'{name}' is both fixed with {name_of('params')} and searched with "
                f"{name_of('knobs')}. Fix: leave it out of {name_of('params')}."
            )
        axes.append(_axis(spec.knob(name, recipe.task, recipe.impl), where, spec.title))
    if all(len(a.values or ()) == 1 for a in axes):
        raise RecipeError(
            f"A search needs at least one knob with two values or a range; got "
            f"{'; '.join(a.label() for a in axes)}. Fix: {_example(tuple(a.knob for a in axes))}"
        )
    return axes


def _axis(knob: Knob, where: Any, model: str) -> Axis:
    """One knob's range or values, checked by its registry row."""
    scale = knob.scale
    fix = _example((knob,))
    if isinstance(where, str) and ":" in where:
        low, _, high = where.partition(":")
        where = (_number(low, knob, model, fix), _number(high, knob, model, fix))
    if isinstance(where, tuple) and len(where) == 2 and all(_numeric(v) for v in where):
        if knob.kind not in ("int", "float"):
            raise RecipeError(
                f"'{knob.name}' is {knob.describe_range()}: a range needs a number knob. "
                f"Fix: {spell('knobs', {knob.name: ','.join(_text(c) for c in _choices(knob))})}"
            )
        low, high = (knob.check(_as_kind(v, knob), model, fix) for v in where)
        if not low < high:
            raise RecipeError(
                f"A range goes from low to high; got {_text(low)}:{_text(high)} for "
                f"'{knob.name}'. Fix: {spell('knobs', {knob.name: f'{_text(high)}:{_text(low)}'})}"
            )
        if scale == "log" and low <= 0:
            scale = "linear"  # a log axis cannot reach 0: space it evenly instead
        return Axis(knob.name, knob, None, (low, high), scale)
    texts = where.split(",") if isinstance(where, str) else list(where)
    values = []
    for value in texts:
        if isinstance(value, str):
            values.append(knob.parse(value, model, fix))
        else:
            values.append(knob.check(_as_kind(value, knob), model, fix))
    return Axis(knob.name, knob, tuple(dict.fromkeys(values)), None, scale)


def grid(axes: list[Axis], steps: int | None = None) -> list[dict[str, Any]]:
    """Every combination of the axes' values; a range gets *steps* values on its scale."""
    count = steps or GRID_STEPS.get(len(axes), GRID_STEPS_BEYOND)
    columns = [list(a.values) if a.values is not None else _range_values(a, count) for a in axes]
    size = math.prod(len(c) for c in columns)
    if size > MAX_CANDIDATES:
        raise RecipeError(
            f"This grid has {size:,} settings ({' × '.join(str(len(c)) for c in columns)}); "
            f"a search tries at most {MAX_CANDIDATES:,}. Fix: {spell('steps', 4)}, fewer "
            f"values, or {spell('strategy', 'random')} {spell('candidates', 50)}"
        )
    names = [a.name for a in axes]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*columns)]


def draw(axes: list[Axis], candidates: int, seed: int) -> list[dict[str, Any]]:
    """*candidates* settings drawn at random, each knob uniformly on its own scale; the
    same seed draws the same settings. Repeated draws are kept once."""
    rng = np.random.default_rng(seed)
    settings: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for _ in range(candidates * 20):  # a small discrete domain may hold fewer settings
        setting = {a.name: _draw_one(a, rng) for a in axes}
        key = tuple((type(v).__name__, v) for v in setting.values())
        if key not in seen:
            seen.add(key)
            settings.append(setting)
        if len(settings) == candidates:
            break
    return settings


def _draw_one(axis: Axis, rng: np.random.Generator) -> Any:
    if axis.values is not None:
        return axis.values[int(rng.integers(len(axis.values)))]
    assert axis.span is not None
    low, high = axis.span
    if axis.scale == "log":
        value = float(np.exp(rng.uniform(math.log(low), math.log(high))))
    else:
        value = float(rng.uniform(low, high))
    if axis.knob.kind == "int":
        return int(min(max(round(value), math.ceil(low)), math.floor(high)))
    return float(f"{value:.3g}")  # 0.0123456... -> 0.0123, as a grid's values


def _range_values(axis: Axis, steps: int) -> list[Any]:
    assert axis.span is not None
    return _spaced(axis.span[0], axis.span[1], steps, axis.scale, axis.knob.kind, axis.name)  # type: ignore[arg-type]


def _number(text: str, knob: Knob, model: str, fix: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise RecipeError(knob.complaint(text.strip(), model, fix)) from None


def _as_kind(value: Any, knob: Knob) -> Any:
    """A whole float for an int knob becomes an int (``1e3`` -> 1000); an int for a float
    knob a float, so that the registry's check reads them as typed."""
    if isinstance(value, np.generic):
        value = value.item()
    if knob.kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if knob.kind == "float" and _numeric(value):
        return float(value)
    return value


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def _choices(knob: Knob) -> tuple[Any, ...]:
    return (True, False) if knob.kind == "bool" else (*knob.choices, *knob.specials)


def _example(knobs: tuple[Knob, ...]) -> str:
    """A working --knob for the first knobs: a range for a number, values otherwise."""
    example: dict[str, str] = {}
    for knob in knobs[:2]:
        if knob.kind in ("int", "float") and knob.low is not None and knob.high is not None:
            low, high = _example_range(knob)
            example[knob.name] = f"{_text(low)}:{_text(high)}"
        else:
            example[knob.name] = ",".join(_text(c) for c in _choices(knob)[:3])
    return spell("knobs", example) if example else spell("knobs")


def _example_range(knob: Knob) -> tuple[Any, Any]:
    assert knob.low is not None
    assert knob.high is not None
    default = knob.default if _numeric(knob.default) else knob.sample
    if knob.scale == "log" and _numeric(default) and default > 0:
        low, high = max(knob.low, default / 100), min(knob.high, default * 100)
    else:
        low, high = knob.low, min(knob.high, knob.low + 20)
    return (int(low), int(high)) if knob.kind == "int" else (low, high)


def _close(name: str, valid: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, valid, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
