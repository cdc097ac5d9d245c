"""``tinkerlab --help`` without importing any command, Typer or rich.

The list of commands is the table in :mod:`tinkerlab.cli._commands`; this draws it the
way Typer's rich help draws a group (usage, description, an Options and a Commands
panel), in plain text, at the terminal's width. A command's own ``--help`` is Typer's,
drawn from the command itself once its module is imported.

>>> text = group_help(width=80)
>>> text.splitlines()[1].strip()
'Usage: tinkerlab [OPTIONS] COMMAND [ARGS]...'
>>> any(line.startswith("│ search ") for line in text.splitlines())
True
"""

from __future__ import annotations

import os
import shutil
import sys

from tinkerlab.cli._commands import APP_HELP, COMMANDS

#: How ``tinkerlab`` alone (or with --help / -h) is recognised before anything is imported.
HELP_ARGS = ((), ("--help",))


def wants_group_help(argv: list[str]) -> bool:
    """Whether *argv* asks for the top-level help (no command: the help, as Typer does)."""
    return tuple(argv) in HELP_ARGS


def width() -> int:
    """The terminal's width as rich measures it: ``COLUMNS``, the tty, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def group_help(width: int = 80) -> str:
    """The whole help text of ``tinkerlab``, *width* columns wide."""
    blank = " " * width
    lines = [blank, _pad(" Usage: tinkerlab [OPTIONS] COMMAND [ARGS]...", width), blank]
    for paragraph in APP_HELP.split("\n\n"):
        wrapped = wrap(paragraph, width - 2)
        lines += [_pad(" " + line, width) for line in wrapped] + [blank]
    names = max(len(e.name) for e in COMMANDS)
    lines += _panel("Options", [("--help", "<bool>  Show this message and exit.")], names, width)
    lines += _panel("Commands", [(e.name, e.help) for e in COMMANDS], names, width)
    return "\n".join(lines) + "\n"


def _panel(title: str, rows: list[tuple[str, str]], names: int, width: int) -> list[str]:
    """A rounded box with a title, one (name, help) row per entry, help wrapped."""
    inner = width - 4  # "│ " and " │"
    top = f"╭─ {title} " + "─" * max(0, width - len(title) - 5) + "╮"
    out = [top]
    for name, text in rows:
        wrapped = wrap(text, max(10, inner - names - 2))
        for i, line in enumerate(wrapped or [""]):
            head = name if i == 0 else ""
            out.append("│ " + f"{head:<{names}}  {line}".ljust(inner) + " │")
    out.append("╰" + "─" * (width - 2) + "╯")
    return out


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap (``textwrap`` would import ``re``, which costs more than this)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _pad(line: str, width: int) -> str:
    return line.ljust(width)


def print_group_help() -> None:
    """Write the help on stdout (what ``tinkerlab --help`` does)."""
    sys.stdout.write(group_help(width()))
