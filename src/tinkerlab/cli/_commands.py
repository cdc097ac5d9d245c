"""Every command of ``tinkerlab``, as one table: where it lives and its one-line help.

The command line imports a command's module only when that command runs (or its own
``--help`` is asked for): importing all of them, with Typer, rich and their help texts,
cost more than the 0.2 s a ``tinkerlab --help`` may take. So the list that ``--help``
prints is plain data here, read without importing any command; the short help of each
row is the first paragraph of the command's own help, and
``tests/cli/test_lazy_commands.py`` checks that the two never drift apart.

Adding a command is adding a row (in the order ``--help`` lists it).

>>> COMMANDS[0].name, COMMANDS[0].module
('quickstart', 'tinkerlab.cli._run')
>>> by_name("journal").group
True
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """One command: its name, the module and attribute that hold it, its short help.

    (A named tuple rather than a dataclass: ``dataclasses`` imports ``inspect``, which
    alone costs a third of the time ``tinkerlab --help`` may take.)
    """

    name: str  # what the learner types: tinkerlab NAME
    module: str  # the module that defines it, imported when the command runs
    attribute: str  # a function (a command) or a typer.Typer (a group of commands)
    help: str  # the first paragraph of its help, shown by tinkerlab --help
    group: bool = False  # a Typer of sub-commands (journal, scratch...) rather than one function


_CLI = "tinkerlab.cli."

#: The commands, in the order ``tinkerlab --help`` lists them.
COMMANDS: tuple[Entry, ...] = (
    Entry("quickstart", _CLI + "_run", "quickstart",
          "The main job in one command: a random forest on the Titanic passengers, explained."),
    Entry("datasets", _CLI + "_datasets", "datasets",
          "List the built-in datasets: rows, columns, task, target, source and licence."),
    Entry("models", _CLI + "_models", "models",
          "List the models you can use with --model, or one model's knobs (for --set)."),
    Entry("run", _CLI + "_run", "run",
          "Train and evaluate a model, beside a dummy baseline, and record it in the journal."),
    Entry("tinker", _CLI + "_tinker", "tinker",
          "Change one thing, predict what happens, then see it with its noise."),
    Entry("compare", _CLI + "_compare", "compare",
          "Compare every model on the same folds within a time budget: a leaderboard."),
    Entry("search", _CLI + "_search", "search",
          "Tune several knobs of one model at once: the settings raced by successive halving."),
    Entry("save", _CLI + "_serve", "save",
          "Save a recorded run as a servable artifact (retrains it on the same data)."),
    Entry("serve", _CLI + "_serve", "serve",
          "Serve a saved model as a REST service: /predict, /health, /metadata, /metrics, "
          "/drift."),
    Entry("predict", _CLI + "_serve", "predict",
          "Send rows to a model service and show (or save) its predictions."),
    Entry("monitor", _CLI + "_serve", "monitor",
          "Drift of the rows a service received lately against its training data."),
    Entry("theory", _CLI + "_theory", "theory",
          "Read a theory card: the idea, the math, code and an experiment to try."),
    Entry("why", _CLI + "_theory", "why",
          "Find the theory cards that answer your question, and note the question in the "
          "journal."),
    Entry("explain", _CLI + "_theory", "explain",
          "Every phenomenon found in an experiment (or a run), with the numbers that show it."),
    Entry("pretrained", _CLI + "_pretrained", "pretrained",
          "List the pre-trained models, whether each is installed, and the extra that "
          "installs it."),
    Entry("detect", _CLI + "_pretrained", "detect",
          "Find faces, cat faces, eyes or licence plates in an image with OpenCV's Haar "
          "cascades."),
    Entry("autocomplete", _CLI + "_pretrained", "autocomplete",
          "Train a small GPT-2 on your own text, then let it complete your sentences (on CPU)."),
    Entry("feedback", _CLI + "_feedback", "feedback",
          "Analyse feedback: sentiment, themes, search and duplicates, with a report."),
    Entry("finetune", _CLI + "_finetune", "finetune",
          "Fine-tune MiniLM on a column of texts and their labels; save a servable model."),
    Entry("lab", _CLI + "_lab", "lab",
          "Open the web lab: run, tinker (predicting first), understand and ship in a browser."),
    Entry("look", _CLI + "_look", "look",
          "Look at a dataset before modelling it: columns, target, relations, alerts."),
    Entry("export", _CLI + "_project", "export",
          "Export a run, an experiment or a project as a GitHub-ready portfolio folder that "
          "reproduces its own numbers."),
    Entry("journal", _CLI + "_journal", "app",
          "Every run so far, with your notes and questions.", group=True),
    Entry("scratch", _CLI + "_scratch", "app",
          "From-scratch NumPy twins of the classic algorithms: read their code, compare them "
          "with scikit-learn, climb from logistic regression to a deep net.", group=True),
    Entry("demo", _CLI + "_serve", "demo", "Short end-to-end demonstrations.", group=True),
    Entry("gpt", _CLI + "_gpt", "app",
          "A byte-level GPT you can read (tinkerlab/scratch/_gpt.py): train it on any text "
          "file or the bundled reviews, then sample from it.", group=True),
    Entry("path", _CLI + "_path", "path",
          "The learning path: where you are, the next lab, checks that run your own work, "
          "the understanding test and the checklist.", group=True),
    Entry("project", _CLI + "_project", "project",
          "Projects on your own data, step by step: problem, data, cleaning, EDA, features, "
          "model, train, evaluate, deploy, monitor, export.", group=True),
)  # fmt: skip

#: The help of ``tinkerlab`` itself.
APP_HELP = (
    "A code-first machine-learning lab: run a real model in a minute, tinker with one "
    "thing at a time, understand why, ship it.\n\n"
    "Start with:  tinkerlab quickstart"
)


def by_name(name: str) -> Entry:
    """The row of command *name* (KeyError if there is none)."""
    for entry in COMMANDS:
        if entry.name == name:
            return entry
    raise KeyError(name)
