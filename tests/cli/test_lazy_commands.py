"""The command table behind ``tinkerlab --help`` and the commands imported on use.

``tinkerlab --help`` prints the table in ``tinkerlab.cli._commands`` without importing
any command; these tests keep the table true to the commands themselves, and check
that the laziness holds (which modules a process has imported, not how long it took:
timings live in ``benchmarks/bench_cold_start.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tinkerlab.cli import app
from tinkerlab.cli._commands import COMMANDS
from tinkerlab.cli._help import group_help


def _click_group():
    from typer.main import get_command

    return get_command(app)


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda e: e.name)
def test_each_rows_short_help_is_the_first_paragraph_of_the_commands_own_help(entry):
    command = _click_group().commands[entry.name]
    assert command.name == entry.name
    assert (command.help or "").split("\n\n")[0] == entry.help


def test_the_group_lists_every_command_in_the_tables_order():
    group = _click_group()
    assert group.list_commands(None) == [e.name for e in COMMANDS]
    text = group_help(width=100)
    positions = [text.index(f"│ {e.name} ") for e in COMMANDS]
    assert positions == sorted(positions)


def test_help_and_no_arguments_print_the_table_and_exit_0(cli):
    for args in ((), ("--help",)):
        result = cli(*args)
        assert result.code == 0
        assert "Usage: tinkerlab [OPTIONS] COMMAND [ARGS]..." in result.out
        assert all(f"│ {e.name} " in result.out for e in COMMANDS)


def test_a_commands_own_help_still_shows_its_options(cli):
    result = cli("compare", "--help")
    assert result.code == 0
    assert "--budget" in result.out
    assert "leaderboard" in result.out


def test_an_unknown_command_is_bad_input_with_a_suggestion(cli):
    result = cli("runn")
    assert result.code == 2
    assert "Did you mean 'run'?" in result.out + result.err


def _imported_after(args: list[str]) -> set[str]:
    """The modules a fresh process has imported after ``tinkerlab ARGS`` (exit ignored)."""
    code = (
        "import sys, json\n"
        "from tinkerlab.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_no_command_nor_typer_nor_rich():
    modules = _imported_after(["--help"])
    assert not {"typer", "rich", "click", "sklearn", "pandas"} & modules
    assert not any(m.startswith("tinkerlab.cli._") and m not in _HELP_MODULES for m in modules)


_HELP_MODULES = {"tinkerlab.cli._help", "tinkerlab.cli._commands"}


def test_a_commands_help_imports_that_command_only():
    modules = _imported_after(["models", "--help"])
    assert "tinkerlab.cli._models" in modules
    others = {e.module for e in COMMANDS} - {"tinkerlab.cli._models"}
    assert not others & modules
    assert "sklearn" not in modules


def test_the_process_exits_with_its_objects_frozen_once_however_often_main_ran():
    """``main`` has the interpreter skip the collector's last walks at exit (gc.freeze,
    registered with atexit). A check registered before it runs after it (atexit is last
    in, first out) and sees the objects frozen; two calls of main register it once."""
    code = (
        "import atexit, gc\n"
        "freeze = gc.freeze\n"
        "def counted():\n"
        "    print('freezing')\n"
        "    freeze()\n"
        "gc.freeze = counted\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count()))\n"
        "print('frozen before:', gc.get_freeze_count())\n"
        "from tinkerlab.cli import main\n"
        "main(['--help'])\n"
        "main(['--help'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(("frozen", "freezing"))]
    assert lines[0] == "frozen before: 0"
    assert lines[1:-1] == ["freezing"]  # once, and before the check
    assert int(lines[-1].split(": ")[1]) > 1000  # every live object, modules and all
