"""Settling options: check what a learner gave against the declarations, once.

:func:`settle` is the one place where the options of ``run``, ``tinker`` and ``compare``
are checked, whichever surface they came from: typed text from the command line or a
web form (``text=True``), or Python values from a notebook. It fills in the defaults,
checks how options go together (:data:`~tinkerlab.options.RULES`), and returns
:class:`Settings`; an error names the option as the learner wrote it and the fix.

>>> settings = settle("run", {"dataset": "iris", "model": "knn", "cv": 3})
>>> settings.cv, settings.test_size, sorted(settings.given)
(3, 0.2, ['cv', 'dataset', 'model'])
>>> settle("run", {"dataset": "iris", "cv": 1})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tinkerlab.exceptions.InputError: The cv option of tl.run must be ... Got 1 instead. Fix: cv=5
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tinkerlab.exceptions import InputError
from tinkerlab.options._constraints import InvalidValueError, Items, KnobValues
from tinkerlab.options._declared import (
    OPTIONS,
    RULES,
    Excludes,
    Needs,
    Option,
    Requires,
    options_for,
)
from tinkerlab.options._surface import name_of, spell, suggest, where


@dataclass(frozen=True)
class Settings:
    """Every option of one command, checked, with defaults filled in.

    Read an option as an attribute (``settings.cv``) or by name (``settings["cv"]``);
    :attr:`given` says which the learner changed from their defaults.
    """

    command: str  # "run", "tinker" or "compare"
    by_name: Mapping[str, Any]  # every option of the command, by name
    given: frozenset[str]  # the options the learner changed from their defaults

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("by_name")  # absent while copying or unpickling
        if name.startswith("__") or values is None or name not in values:
            raise AttributeError(f"{self.__dict__.get('command')} has no option {name!r}")
        return values[name]

    def __getitem__(self, name: str) -> Any:
        return self.by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def get(self, name: str, default: Any = None) -> Any:
        """The option's value, or *default* when the command has no such option."""
        return self.by_name.get(name, default)

    def to_dict(self) -> dict[str, Any]:
        """Every option and its value (what a form shows, what a log records)."""
        return dict(self.by_name)

    def pick(self, *names: str) -> dict[str, Any]:
        """Some of the options as keyword arguments: ``load(**s.pick("target", "task"))``."""
        return {name: self.by_name[name] for name in names}

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (checked again)."""
        given = {n: self.by_name[n] for n in self.given} | changes
        return settle(self.command, given)


def settle(command: str, given: Mapping[str, Any], *, text: bool = False) -> Settings:
    """Check *given* options of *command* and fill in the rest with their defaults.

    Parameters
    ----------
    command : {"run", "tinker", "compare"}
        Whose options these are (:data:`~tinkerlab.options.COMMANDS`).
    given : mapping
        The options set, by name. ``None`` counts as not set, and a value equal to the
        default as not changed (:attr:`Settings.given` lists the changed ones).
    text : bool
        The values are typed text (command line, web form) to parse, rather than
        Python values to check.

    Raises
    ------
    InputError
        An unknown option, a value its rule does not allow, or options that do not go
        together; the message says which, the value, and the fix as the learner types it.
    """
    declared = {o.name: o for o in options_for(command)}
    for name in given:
        if name not in declared:
            raise InputError(_unknown(command, name, declared))
    values: dict[str, Any] = {}
    for name, option in declared.items():
        value = given.get(name)
        values[name] = option.default if value is None else _accept(command, option, value, text)
    changed = frozenset(n for n, v in values.items() if n in given and _differs(v, declared[n]))
    settings = Settings(command, values, changed)
    for rule in RULES.get(command, ()):
        _apply(rule, settings)
    return settings


def _differs(value: Any, option: Option) -> bool:
    """Whether *value* changes *option* from its default (a DataFrame never equals one)."""
    if value is None:
        return False
    try:
        return bool(value != option.default)
    except (TypeError, ValueError):  # e.g. an array or a frame compared element-wise
        return True


def check_option(
    name: str,
    value: Any,
    *,
    command: str | None = None,
    error: type[Exception] = InputError,
    field: str | None = None,
) -> Any:
    """*value* checked against option *name*'s declared rule; raises *error* worded from it.

    A Recipe checks its folds, test share and seed this way; it passes *field*, the name
    the value has there (``cv_folds``), so the message names what the learner wrote.
    """
    option = OPTIONS[name]
    if field is None:
        try:
            return _accept(command, option, value, text=False)
        except InputError as bad:
            raise error(str(bad)) from None
    try:
        return option.rule.check(value)
    except InvalidValueError:
        raise error(
            f"The recipe's {field} must be {option.describe()}. Got {_shown(value)} instead. "
            f"Fix: {field}={option.example!r}"
        ) from None


def _accept(command: str | None, option: Option, value: Any, text: bool) -> Any:
    """The checked value of one option, or an InputError worded from its rule."""
    try:
        if not text or not isinstance(value, str | list | tuple):
            return option.rule.check(value)
        if isinstance(value, str):
            return option.rule.parse(value)
        if isinstance(option.rule, Items | KnobValues):
            return option.rule.parse_each(value)
        return option.rule.check(value)
    except InvalidValueError as bad:
        typed = text and isinstance(value, str)  # show what was typed, not what it became
        shown = value if typed or not bad.args else bad.args[0]
        raise InputError(
            f"The {name_of(option.name)} option{_of(command)} must be "
            f"{option.describe()}. Got {_shown(shown)} instead. Fix: {spell(option.name)}"
        ) from None


def _shown(value: Any) -> str:
    """A bad value as the learner wrote it: ``-1``, ``'abc'`` (text that is no number)."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return repr(value)
        return value.strip()
    return repr(value)


def _of(command: str | None) -> str:
    """`` of tinkerlab run`` (the command in use), or nothing outside any command."""
    if command is None and where().command is None:
        return ""
    return f" of {where().command_name(command)}"


def _unknown(command: str, name: str, declared: Mapping[str, Option]) -> str:
    here = [n for n, o in declared.items() if where().kind in o.surfaces]
    close = difflib.get_close_matches(name, here, n=1)
    hint = f" Did you mean {name_of(close[0])}?" if close else ""
    known = ", ".join(name_of(n) for n in here)
    return (
        f"{where().command_name(command)} has no option {name_of(name)}.{hint} "
        f"Its options: {known}."
    )


def _apply(rule: Excludes | Requires | Needs, settings: Settings) -> None:
    """Raise an InputError if *settings* break *rule*."""
    given, command = settings.given, settings.command
    if isinstance(rule, Excludes) and rule.name in given:
        clash = [n for n in rule.others if n in given]
        if clash:
            raise InputError(
                f"{name_of(rule.name)} and {name_of(clash[0])} cannot go together: "
                f"{rule.because}. Fix: keep one of {spell(rule.name, settings[rule.name])} "
                f"and {spell(clash[0], settings[clash[0]])}."
            )
    elif isinstance(rule, Requires) and rule.name in given and rule.other not in given:
        raise InputError(
            f"{name_of(rule.name)} only applies with {name_of(rule.other)}: {rule.because}. "
            f"Fix: add {spell(rule.other)}, or leave out {name_of(rule.name)}."
        )
    elif isinstance(rule, Needs) and (rule.unless is None or rule.unless not in given):
        missing = [n for n in rule.names if n not in given]
        if missing:
            example = [(n, settings[n] if n in given else None) for n in rule.names]
            dataset = next((v for n, v in example if n == "dataset"), None) or "titanic"
            pairs = [(n, v if v is not None else OPTIONS[n].example) for n, v in example]
            pairs = [(n, v) for n, v in pairs if n != "dataset"]
            unless = OPTIONS.get(rule.unless or "")
            on_surface = unless is not None and where().kind in unless.surfaces
            also = f", or {spell(rule.unless)}" if rule.unless and on_surface else ""
            raise InputError(
                f"{where().command_name(command)} needs "
                f"{' and '.join(name_of(n) for n in missing)}: {rule.because}. "
                f"Fix: {suggest(command, dataset, *pairs)}{also}"
            )
