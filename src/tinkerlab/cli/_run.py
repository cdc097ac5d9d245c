"""``tinkerlab run`` and ``tinkerlab quickstart``: a trained, evaluated model in one command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tinkerlab.cli._declared import command
from tinkerlab.cli._output import Json, console, print_json, progress

if TYPE_CHECKING:
    from tinkerlab.options import Settings
    from tinkerlab.recipe import Recipe
    from tinkerlab.runner import Run


@command("run")
def run(settings: Settings) -> None:
    """Train and evaluate a model, beside a dummy baseline, and record it in the journal.

    Reports what went in (rows, features by role, class balance) and what came out
    (cross-validated scores with their spread, the test score, the most important
    features, plots), and can write the code you own.

    Examples:

      tinkerlab run titanic

      tinkerlab run my.csv --target price --model random_forest --set max_depth=8

      tinkerlab run titanic --script train.py --notebook train.ipynb

      tinkerlab run --recipe recipe.toml

      tinkerlab run titanic --model random_forest --save models/titanic

      tinkerlab run reviews --text-features minilm
    """
    from tinkerlab import _api

    s = settings
    if s.save is not None:  # --save (tinkerlab.serve): fail before training, not after it
        from tinkerlab.serve._artifact import check_destination

        check_destination(s.save.expanduser(), overwrite=s.force)
    source: Any = None
    if s.recipe is not None:
        source = _read_recipe(s.recipe)
        data_file = source.source.path
    else:
        data_file = s.dataset
    outputs = _check_outputs(data_file, [s.script, s.notebook, s.recipe_out], force=s.force)
    name = source.source.name if source is not None else s.dataset
    with progress(not s.json, total=6) as step:
        step(f"loading {name}")
        result = _api.run_settled(
            s,
            progress=step,
            source=source,
            reading=step.read,
            on_scores=_numbers_first(s.json, step),
        )
    script, notebook, recipe_out = outputs
    _finish(result, script, notebook, recipe_out, s.json, s.save, overwrite=s.force, shown=True)


def _numbers_first(json_out: bool, step: Any) -> Any:
    """Print the scores the moment they are known; importances, plots and the journal
    follow (they explain the numbers, they are not needed to print them)."""
    if json_out:
        return None  # one JSON document at the end

    def show(run: Run) -> None:
        from tinkerlab.cli._render import render_scores

        step.close()  # the bar off the screen before stdout is written
        render_scores(run)

    return show


def _finish(
    result: Run,
    script: Path | None,
    notebook: Path | None,
    recipe_out: Path | None,
    json_out: bool,
    save: Path | None = None,
    *,
    overwrite: bool = False,
    shown: bool = False,
) -> None:
    """Write the files asked for, then show the run (or print it as JSON); *shown*: its
    scores were printed already (``render_scores``), the rest follows."""
    written = _write_outputs(result, script, notebook, recipe_out)
    if save is not None:  # --save: the artifact for `tinkerlab serve` (see tinkerlab.serve)
        from tinkerlab.serve import save_artifact

        written.append(save_artifact(result, save.expanduser(), overwrite=overwrite))
    if json_out:
        data = result.to_dict()
        data["written"] = [str(p) for p in written]
        print_json(data)
        return
    from tinkerlab.cli._render import render_details, render_next_steps, render_run
    from tinkerlab.cli._theory import show_findings

    if shown:
        render_details(result, written)
    else:
        render_run(result, written)
    show_findings(result.phenomena, result.unlocked)
    render_next_steps(result)


def _read_recipe(path: Path) -> Recipe:
    """A Recipe from a TOML or JSON file, with a clear error when it is not one."""
    from tinkerlab.exceptions import UsageError
    from tinkerlab.recipe import Recipe

    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"Cannot read the recipe {str(path)!r}: {error.strerror or error}. "
            "Fix: write one with tinkerlab run DATASET --recipe-out recipe.toml"
        ) from None
    if path.suffix.lower() == ".json":
        return Recipe.from_json(text)
    return Recipe.from_toml(text)


def quickstart(
    db: Annotated[str | None, typer.Option(help="Journal database URL.")] = None,
    json_out: Json = False,
) -> None:
    """The main job in one command: a random forest on the Titanic passengers, explained.

    Trains and evaluates a real model on a real, built-in dataset in a few seconds,
    records it in the journal, and shows what to try next.

    Example:  tinkerlab quickstart
    """
    from tinkerlab import _api
    from tinkerlab.options import settle, speaking

    if not json_out:
        console.print(
            "[bold]tinkerlab quickstart[/]: who survived the Titanic? A random forest learns "
            "it from 1309 passengers (sex, age, class), scored against a baseline that always "
            "guesses the most common outcome.\n"
        )
    with speaking("cli", "run"):
        settings = settle("run", {"dataset": "titanic", "model": "random_forest", "db": db})
        with progress(not json_out, total=6) as step:
            step("loading titanic")
            result = _api.run_settled(settings, progress=step)
    if json_out:
        print_json(result.to_dict())
        return
    from tinkerlab.cli._render import render_next_steps, render_run
    from tinkerlab.cli._theory import show_findings

    render_run(result, [])
    show_findings(result.phenomena, result.unlocked)
    render_next_steps(result)


def _check_outputs(
    dataset: Any, paths: list[Path | None], *, force: bool = False
) -> list[Path | None]:
    """Fail before the run (not after it) when an output file cannot be written, would
    overwrite the data or another output, or exists already (unless *force*). Returns
    the paths with ``~`` expanded."""
    from tinkerlab.exceptions import UsageError

    expanded = [p.expanduser() if p is not None else None for p in paths]
    given = [p for p in expanded if p is not None]
    data_file = Path(str(dataset)).expanduser().resolve()
    seen: set[Path] = set()
    for path in given:
        resolved = path.resolve()
        if resolved == data_file:
            raise UsageError(
                f"Refusing to write {str(path)!r}: it is the data file being read, and writing "
                "it would destroy your data. Fix: name another file, e.g. --script train.py"
            )
        if resolved in seen:
            raise UsageError(
                f"Two outputs name the same file {str(path)!r}. Fix: give each its own."
            )
        seen.add(resolved)
        if path.is_dir():
            raise UsageError(f"Cannot write {str(path)!r}: it is a folder. Fix: name a file.")
        if path.exists() and not force:
            raise UsageError(
                f"Refusing to overwrite {str(path)!r}: it exists already. Fix: choose another "
                "name, or add --force to replace it."
            )
        if not resolved.parent.is_dir():
            raise UsageError(
                f"Cannot write {str(path)!r}: the folder {str(resolved.parent)!r} does not exist. "
                "Fix: create it first, or choose another path."
            )
        if not os.access(resolved.parent, os.W_OK) or (
            resolved.exists() and not os.access(resolved, os.W_OK)
        ):
            raise UsageError(
                f"Cannot write {str(path)!r}: permission denied. Fix: choose a path you can write."
            )
    return expanded


def _write_outputs(
    result: Run, script: Path | None, notebook: Path | None, recipe_out: Path | None
) -> list[Path]:
    """Write the files the run was asked for, each atomically (a temporary file, renamed)."""
    from tinkerlab.exceptions import UsageError

    texts: list[tuple[Path, str]] = []
    if script is not None:
        texts.append((script, result.script()))
    if notebook is not None:
        texts.append((notebook, result.notebook()))
    if recipe_out is not None:
        as_json = recipe_out.suffix.lower() == ".json"
        texts.append((recipe_out, result.recipe.to_json() if as_json else result.recipe.to_toml()))
    for path, text in texts:
        partial = path.with_name(f".{path.name}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            recorded = f"Run #{result.id} was recorded; " if result.id is not None else ""
            raise UsageError(
                f"{recorded}writing {str(path)!r} failed: {error.strerror or error}. "
                "Fix: choose a path you can write and run again."
            ) from None
    return [path for path, _ in texts]
