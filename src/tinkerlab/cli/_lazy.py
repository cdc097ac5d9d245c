"""A Typer group whose commands are imported when they are used, not at start-up.

:class:`LazyGroup` reads the command table (:mod:`tinkerlab.cli._commands`) and turns a
row into a click command only when the command line resolves it (``tinkerlab run ...``,
``tinkerlab run --help``): the row's module is imported then, and only that one. Its
own ``--help`` is drawn from the table (:mod:`tinkerlab.cli._help`), so listing the
commands imports none of them.

This is click's documented pattern for large command lines ("lazily loading
subcommands": override ``list_commands`` and ``get_command``), on Typer's group class.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any, Literal

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from tinkerlab.cli._commands import COMMANDS, Entry
from tinkerlab.cli._help import group_help

#: How every command renders its help: rich markup, as the app declares.
MARKUP: Literal["rich"] = "rich"


class LazyCommands(MutableMapping[str, Any]):
    """Command name -> click command, built on first access from its table row."""

    def __init__(self) -> None:
        self._rows = {e.name: e for e in COMMANDS}
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = load(self._rows[name])  # KeyError: no such command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:  # click's add_command
        self._built[name] = command
        self._rows.setdefault(name, Entry(name, "", "", command.help or ""))

    def __delitem__(self, name: str) -> None:
        self._built.pop(name, None)
        del self._rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class LazyGroup(TyperGroup):
    """Typer's group, with the commands imported on use and the help drawn from the table."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: nothing is imported

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.commands.get(cmd_name)  # Mapping.get: None for an unknown name

    def invoke(self, ctx: Any) -> Any:
        """Run the command with every library message worded for the command line
        (``--drop x``, not Python's ``drop=['x']``); declared commands also name themselves
        (:mod:`tinkerlab.cli._declared`)."""
        from tinkerlab.options import speaking

        with speaking("cli"):
            return super().invoke(ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from tinkerlab.cli._help import width

        formatter.write(group_help(width()))


def load(entry: Entry) -> Any:
    """The click command of one table row, its help reflowed as every command's is."""
    from tinkerlab.cli._output import reflow

    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if entry.group:
        reflow_typer(target)
        return get_group_from_info(
            TyperInfo(target, name=entry.name),
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=MARKUP,
        )
    info = CommandInfo(name=entry.name, callback=target, help=reflow(target.__doc__))
    return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=MARKUP)


def reflow_typer(typer_app: typer.Typer) -> None:
    """Every command's help in a Typer as flowing paragraphs (the terminal wraps them)."""
    from tinkerlab.cli._output import reflow

    typer_app.info.help = reflow(typer_app.info.help)
    for info in typer_app.registered_commands:
        info.help = reflow(info.help or (info.callback.__doc__ if info.callback else None))
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            reflow_typer(group.typer_instance)


def make_app() -> typer.Typer:
    """The ``tinkerlab`` Typer app: a :class:`LazyGroup` over the command table."""
    from tinkerlab.cli._commands import APP_HELP

    app = typer.Typer(
        name="tinkerlab",
        cls=LazyGroup,
        help=APP_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=MARKUP,
    )
    app.callback()(_root)  # a group (not one command) although nothing is registered yet
    return app


def _root() -> None:
    """The group itself does nothing; its commands do the work."""
