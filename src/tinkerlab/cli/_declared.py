"""Commands whose flags are built from the declared options (``tinkerlab.options``).

``run``, ``tinker`` and ``compare`` do not spell out their options: :func:`command`
turns each declared row into a Typer parameter — flag, help, group, metavar — and hands
the command's body the :class:`~tinkerlab.options.Settings` that
:func:`~tinkerlab.options.settle` made of what was typed. Errors are written for the
command line (``--test-size 0.2``) because the body runs inside
:func:`~tinkerlab.options.speaking`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.options import (
    GROUPS,
    Boolean,
    Choices,
    Interval,
    Option,
    Settings,
    help_text,
    options_for,
    settle,
    speaking,
)
from tinkerlab.options._constraints import word

Body = Callable[[Settings], None]


def command(name: str) -> Callable[[Body], Callable[..., None]]:
    """Make *body(settings)* a Typer command taking every declared option of *name*.

    >>> @command("compare")
    ... def compare(settings): ...
    >>> "budget" in inspect.signature(compare).parameters
    True
    """

    def wrap(body: Body) -> Callable[..., None]:
        options = options_for(name, "cli")
        shown = sorted(options, key=lambda o: GROUPS.index(o.group))  # help panels in order

        @functools.wraps(body)
        def typed(**typed_in: Any) -> None:
            with speaking("cli", name):
                given = {o.name: _given(o, typed_in[o.name]) for o in options}
                body(settle(name, given, text=True))

        with speaking("cli", name):  # help names other options as flags
            parameters = [_parameter(o) for o in shown]
        typed.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        del typed.__wrapped__  # Typer must read the signature above, not the body's
        return typed

    return wrap


def _given(option: Option, value: Any) -> Any:
    """What was typed, or None when the flag was left out (so defaults stay defaults)."""
    if isinstance(option.rule, Boolean):
        return value if value != option.default else None
    if option.repeat:
        return list(value) if value else None
    return value


def _parameter(option: Option) -> inspect.Parameter:
    """The Typer parameter for one declared option."""
    text = escape(_help(option))
    kind = inspect.Parameter.KEYWORD_ONLY
    if option.argument:
        info: Any = typer.Argument(help=text, metavar=option.name.upper(), show_default=False)
        annotation: Any = Annotated[str | None, info]
        return inspect.Parameter(option.name, kind, default=None, annotation=annotation)
    panel = option.group
    if isinstance(option.rule, Boolean):
        info = typer.Option(option.cli_flag, help=text, rich_help_panel=panel)
        annotation = Annotated[bool, info]
        return inspect.Parameter(option.name, kind, default=option.default, annotation=annotation)
    info = typer.Option(
        option.cli_flag,
        help=text,
        rich_help_panel=panel,
        metavar=_metavar(option),
        show_default=False,
    )
    annotation = Annotated[list[str] | None if option.repeat else str | None, info]
    return inspect.Parameter(option.name, kind, default=None, annotation=annotation)


def _help(option: Option) -> str:
    """The help line: the sentence, then the default where it is a value."""
    default = option.default
    if default is None or isinstance(option.rule, Boolean) or default == ():
        return help_text(option)
    return f"{help_text(option)} Default: {word(default)}."


def _metavar(option: Option) -> str:
    """``INT``, ``FLOAT``, ``[linear|log]``, ``NAME=VALUE``, ``TEXT``."""
    rule = option.rule
    if isinstance(rule, Interval):
        return rule.kind.upper()
    if isinstance(rule, Choices):
        choices = "[" + "|".join(word(v) for v in rule.values) + "]"
        return choices if len(choices) <= 18 else "CHOICE"  # long lists: the help says them
    if option.name == "params":
        return "NAME=VALUE"
    if option.name == "span":
        return "LOW:HIGH"
    return "TEXT"
