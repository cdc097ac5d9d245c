"""The ``tinkerlab`` command line: a thin Typer layer over the Python API.

Every command has ``--help`` with an example and ``--json`` for scripts. Exit codes:
0 success, 1 failure, 2 bad input (with a one-paragraph message, never a traceback;
set ``TINKERLAB_DEBUG=1`` to see one for a failure).

Commands are imported when they run (:mod:`tinkerlab.cli._lazy`): ``tinkerlab --help``
prints the command table (:mod:`tinkerlab.cli._commands`) without importing Typer, rich
or any command, and ``tinkerlab run ...`` imports the run command only; scikit-learn and
pandas load inside the commands that need them.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

_APP: list[typer.Typer] = []  # built once, on first use


def __getattr__(name: str) -> Any:
    """``tinkerlab.cli.app``: the Typer app, built (not its commands) on first use."""
    if name == "app":
        if not _APP:
            from tinkerlab.cli._lazy import make_app

            _APP.append(make_app())
        return _APP[0]
    raise AttributeError(f"module 'tinkerlab.cli' has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``tinkerlab`` console script; exits with 0, 1 or 2."""
    _exit_without_last_collections()
    from tinkerlab.cli._help import print_group_help, wants_group_help

    if wants_group_help(sys.argv[1:] if argv is None else argv):
        print_group_help()  # no command: nothing else to import
        return
    from tinkerlab.cli._output import print_error
    from tinkerlab.exceptions import TinkerlabError

    app = globals()["app"] if "app" in globals() else __getattr__("app")  # a test may set it
    try:
        app(args=argv, prog_name="tinkerlab")
    except TinkerlabError as error:
        print_error(str(error), bad_input=error.exit_code == 2)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print_error("Interrupted; nothing was recorded for the unfinished step.", bad_input=False)
        sys.exit(130)
    except Exception as error:  # a bug or an environment problem: say so, exit 1
        if os.environ.get("TINKERLAB_DEBUG"):
            raise
        print_error(
            f"{type(error).__name__}: {error}. This looks like a bug or an environment problem; "
            "rerun with TINKERLAB_DEBUG=1 for the traceback and report it.",
            bad_input=False,
        )
        sys.exit(1)


def _exit_without_last_collections() -> None:
    """When the interpreter exits, let it skip the garbage collector's last walks.

    While CPython takes the modules apart at exit it collects garbage, each time visiting
    every object still alive: after ``tinkerlab run`` that is every class and function
    of scikit-learn, SciPy, pandas and SQLAlchemy, and it cost ~0.35 s of CPU after the
    run had printed everything and recorded itself (more than the journal's write).
    :func:`gc.freeze` at exit takes them out of the collector's sight; objects are still
    released as their last reference goes, files are closed, and the OS takes back the
    memory with the process. It runs at exit only (``atexit``), so a test or a notebook
    that calls :func:`main` keeps its collector as it was until then. Registered once.
    """
    atexit.unregister(gc.freeze)  # a second main() in one process: still one handler
    atexit.register(gc.freeze)


__all__ = ["app", "main"]
