"""The declared options: every row is consistent with itself and every surface reads it.

The table in ``tinkerlab.options`` is the one source of the run/tinker/compare options;
these tests make sure a row cannot drift from the command line's flags, the Python
verbs' signatures, or its own example.
"""

from __future__ import annotations

import inspect

import pytest

import tinkerlab as tl
from tinkerlab.cli import app
from tinkerlab.options import (
    COMMANDS,
    GROUPS,
    OPTIONS,
    RULES,
    Excludes,
    KnobValues,
    Needs,
    Requires,
    Value,
    options_for,
    settle,
    speaking,
    spell,
)
from tinkerlab.options._constraints import word

ALL = [(command, option) for command in COMMANDS for option in options_for(command)]


@pytest.mark.parametrize(("command", "option"), ALL, ids=lambda v: getattr(v, "name", v))
def test_every_example_is_allowed_by_its_own_rule(command, option):
    assert option.group in GROUPS
    checked = option.rule.check(option.example)
    # ...and typed as the command line spells it, it parses back to the same value.
    with speaking("cli", command):
        typed = spell(option.name, option.example)
    if option.rule.__class__.__name__ in ("Boolean", "Source", "FilePath"):
        return  # a flag, a positional argument, a path: no value text to read back
    words = typed.split()
    texts = words[1::2] if option.repeat else [" ".join(words[1:])]
    import shlex

    texts = [shlex.split(t)[0] for t in texts]
    # A knob's values stay text until the knob (which knows its type) reads them.
    if isinstance(option.rule, KnobValues):
        checked = {name: word(value) for name, value in checked.items()}
    elif isinstance(option.rule, Value) or getattr(option.rule, "item", None) == Value():
        checked = [word(v) for v in checked] if isinstance(checked, list) else word(checked)
    again = option.rule.parse_each(texts) if option.repeat else option.rule.parse(texts[0])
    assert again == checked


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_command_line_takes_exactly_the_declared_options(command):
    from typer.main import get_command

    click_command = get_command(app).commands[command]  # type: ignore[attr-defined]
    flags = {p.name for p in click_command.params} - {"help"}
    assert flags == {o.name for o in options_for(command, "cli")}


@pytest.mark.parametrize(
    ("verb", "command"),
    [(tl.run, "run"), (tl.tinker, "tinker"), (tl.compare, "compare"), (tl.search, "search")],
)
def test_the_python_verbs_take_the_declared_options_with_their_defaults(verb, command):
    parameters = inspect.signature(verb).parameters
    for option in options_for(command, "python"):
        assert option.name in parameters, option.name
        if option.name not in ("dataset", "knob", "values"):
            assert parameters[option.name].default == option.default, option.name
        assert option.name in (verb.__doc__ or ""), f"{option.name} missing from the docstring"
    cli_only = {o.name for o in options_for(command)} - {
        o.name for o in options_for(command, "python")
    }
    assert not cli_only & set(parameters)


def test_rules_name_declared_options_of_their_command():
    for command, rules in RULES.items():
        names = {o.name for o in options_for(command)}
        for rule in rules:
            mentioned = {
                Excludes: lambda r: {r.name, *r.others},
                Requires: lambda r: {r.name, r.other},
                Needs: lambda r: {*r.names, *([r.unless] if r.unless else [])},
            }[type(rule)](rule)
            assert mentioned <= names, (command, mentioned - names)


def test_defaults_pass_their_own_rules():
    for option in OPTIONS.values():
        if option.default not in (None, ()):
            assert option.rule.check(option.default) == option.default


def test_settle_fills_defaults_and_says_what_was_changed():
    settings = settle("tinker", {"dataset": "iris", "knob": "max_depth", "cv": 5, "seed": 3})
    assert settings.cv == 5
    assert settings.seed == 3
    assert settings.mode == "drop-one"
    assert settings.given == {"dataset", "knob", "seed"}  # cv=5 is the default: unchanged
    assert settings["values"] is None  # an option called "values" is read by name
    with pytest.raises(AttributeError):
        _ = settings.budget  # not an option of tinker
