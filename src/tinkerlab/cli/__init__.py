"""The ``tinkerlab`` command line: a thin Typer layer over the Python API.

Every command has ``--help`` with an example and ``--json`` for scripts. Exit codes:
0 success, 1 failure, 2 bad input (with a one-paragraph message, never a traceback;
set ``TINKERLAB_DEBUG=1`` to see one for a failure).

Only Typer and rich are imported at start-up; scikit-learn and pandas load inside the
commands that need them, so ``tinkerlab --help`` answers at once.
"""

from __future__ import annotations

import os
import sys

import typer

from tinkerlab.cli import _compare, _datasets, _journal, _models, _run, _scratch, _tinker

app = typer.Typer(
    name="tinkerlab",
    help=(
        "A code-first machine-learning lab: run a real model in a minute, tinker with one "
        "thing at a time, understand why, ship it.\n\n"
        "Start with:  tinkerlab quickstart"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.command("quickstart")(_run.quickstart)
app.command("datasets")(_datasets.datasets)
app.command("models")(_models.models)
app.command("run")(_run.run)
app.command("tinker")(_tinker.tinker)
app.command("compare")(_compare.compare)
app.add_typer(_journal.app, name="journal")
app.add_typer(_scratch.app, name="scratch")
# Ship (issue 6): save an artifact, serve it, query it, watch it drift.
from tinkerlab.cli import _serve  # noqa: E402

app.command("save")(_serve.save)
app.command("serve")(_serve.serve)
app.command("predict")(_serve.predict)
app.command("monitor")(_serve.monitor)
app.add_typer(_serve.demo, name="demo")
# Understand (issue 4): theory cards, and the cards that answer a question.
from tinkerlab.cli import _theory  # noqa: E402

app.command("theory")(_theory.theory)
app.command("why")(_theory.why)
app.command("explain")(_theory.explain)
# Pre-trained models (issue 7): the registry, ready-made detectors, a small autocompleter.
from tinkerlab.cli import _pretrained  # noqa: E402

app.command("pretrained")(_pretrained.pretrained)
app.command("detect")(_pretrained.detect)
app.command("autocomplete")(_pretrained.autocomplete)
# Feedback analyser (issue 7): sentiment, themes, search and duplicates in a column of texts.
from tinkerlab.cli import _feedback  # noqa: E402

app.command("feedback")(_feedback.feedback)
# Fine-tuning (issue 7): a head on frozen MiniLM embeddings, or the whole encoder (torch).
from tinkerlab.cli import _finetune  # noqa: E402

app.command("finetune")(_finetune.finetune)
# The web lab (issue 13): every page above in a browser.
from tinkerlab.cli import _lab  # noqa: E402

app.command("lab")(_lab.lab)
# Look at the data (issue 16): an EDA report written for learners, with next steps that run.
from tinkerlab.cli import _look  # noqa: E402

app.command("look")(_look.look)
# The learning path (issue 17): labs and their checks, the test, projects, the portfolio.
from tinkerlab.cli import _path, _project  # noqa: E402

app.add_typer(_path.path, name="path")
app.add_typer(_project.project, name="project")
app.command("export")(_project.export)
# Deep learning (issue 18): the readable byte-level GPT of tinkerlab.scratch, trained and sampled.
from tinkerlab.cli import _gpt  # noqa: E402

app.add_typer(_gpt.app, name="gpt")


def _reflow_help(typer_app: typer.Typer) -> None:
    """Every command's help as flowing paragraphs (the terminal wraps them at its width)."""
    from tinkerlab.cli._output import reflow

    typer_app.info.help = reflow(typer_app.info.help)
    for info in typer_app.registered_commands:
        info.help = reflow(info.help or (info.callback.__doc__ if info.callback else None))
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _reflow_help(group.typer_instance)


_reflow_help(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``tinkerlab`` console script; exits with 0, 1 or 2."""
    from tinkerlab.cli._output import print_error
    from tinkerlab.exceptions import TinkerlabError

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


__all__ = ["app", "main"]
