"""``tinkerlab run`` and ``tinkerlab quickstart``: a trained, evaluated model in one command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tinkerlab.cli._output import Db, Json, Target, TextFeatures, console, print_json, progress

if TYPE_CHECKING:
    from tinkerlab.recipe import Recipe
    from tinkerlab.runner import Run

_TASKS = ("classification", "regression")


def run(
    dataset: Annotated[
        str | None,
        typer.Argument(
            help="A built-in name (tinkerlab datasets) or a file: CSV, Parquet, JSON lines, Excel."
        ),
    ] = None,
    recipe: Annotated[
        Path | None,
        typer.Option(help="Run a recipe file again (TOML or JSON, from --recipe-out) instead."),
    ] = None,
    target: Target = None,
    model: Annotated[
        str | None, typer.Option(help="A model from `tinkerlab models`; default random_forest.")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="A knob value, NAME=VALUE; repeat it. See `tinkerlab models NAME`."
        ),
    ] = None,
    impl: Annotated[
        str, typer.Option(help="sklearn, or scratch for our NumPy twin (tinkerlab.scratch).")
    ] = "sklearn",
    task: Annotated[
        str | None,
        typer.Option(help="classification or regression (inferred from the target otherwise)."),
    ] = None,
    drop: Annotated[
        list[str] | None, typer.Option(help="A column to leave out; repeat it.")
    ] = None,
    text: Annotated[
        list[str] | None, typer.Option(help="Treat a column as free text (TF-IDF).")
    ] = None,
    categorical: Annotated[
        list[str] | None, typer.Option(help="Treat a column as categories.")
    ] = None,
    numeric: Annotated[
        list[str] | None, typer.Option(help="Treat a column as a number (keeps an id-like column).")
    ] = None,
    cv: Annotated[int, typer.Option(help="Folds of cross-validation on the training split.")] = 5,
    test_size: Annotated[
        float, typer.Option(help="Share of rows held out for the test score.")
    ] = 0.2,
    seed: Annotated[int, typer.Option(help="Seed of the split, the folds and the model.")] = 0,
    script: Annotated[
        Path | None, typer.Option(help="Write a standalone script that reproduces this run.")
    ] = None,
    notebook: Annotated[
        Path | None, typer.Option(help="Write the same as a Jupyter notebook.")
    ] = None,
    recipe_out: Annotated[
        Path | None,
        typer.Option(help="Write the recipe as TOML (or JSON if the name ends in .json)."),
    ] = None,
    sep: Annotated[str | None, typer.Option(help="CSV delimiter (sniffed otherwise).")] = None,
    encoding: Annotated[str | None, typer.Option(help="File encoding (sniffed otherwise).")] = None,
    sheet: Annotated[
        str | None, typer.Option(help="Excel sheet name (default: the first).")
    ] = None,
    max_bytes: Annotated[
        str | None,
        typer.Option(
            help="Memory budget for reading a file, e.g. 500M or 2G; larger files are sampled."
        ),
    ] = None,
    db: Db = None,
    record: Annotated[bool, typer.Option(help="Record the run in the journal.")] = True,
    save: Annotated[
        Path | None,
        typer.Option(help="Save the trained model as an artifact directory to serve."),
    ] = None,
    text_features: TextFeatures = "tfidf",
    json_out: Json = False,
) -> None:
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
    from tinkerlab.exceptions import UsageError

    if save is not None:  # --save (tinkerlab.serve): fail before training, not after it
        from tinkerlab.serve._artifact import check_destination

        check_destination(save.expanduser(), overwrite=False)

    if task is not None and task not in _TASKS:
        raise UsageError(f"--task must be classification or regression. Got {task!r} instead.")
    if recipe is not None:
        if dataset is not None:
            raise UsageError(
                f"Give a dataset or --recipe, not both (got {dataset!r} and {str(recipe)!r}). "
                "Fix: tinkerlab run --recipe FILE"
            )
        replay = _read_recipe(recipe)
        script, notebook, recipe_out = _check_outputs(
            replay.source.path, [script, notebook, recipe_out]
        )
        from tinkerlab import _api

        with progress(not json_out, total=6) as step:
            step(f"loading {replay.source.name}")
            result = _api.run(replay, record=record, db=db, progress=step)
        _finish(result, script, notebook, recipe_out, json_out, save)
        return
    if dataset is None:
        raise UsageError(
            "Name a dataset: a built-in (tinkerlab datasets) or a file. "
            "Fix: tinkerlab run titanic, or tinkerlab run my.csv --target price"
        )
    script, notebook, recipe_out = _check_outputs(dataset, [script, notebook, recipe_out])
    if impl not in ("sklearn", "scratch"):
        raise UsageError(f"--impl must be sklearn or scratch. Got {impl!r} instead.")
    from tinkerlab.data._readers import parse_size

    budget = parse_size(max_bytes) if max_bytes is not None else None
    read = {"sep": sep, "encoding": encoding, "sheet": sheet, "max_bytes": budget}
    loading = {
        "target": target,
        "task": task,
        "drop": drop or [],
        "text": text or [],
        "categorical": categorical or [],
        "numeric": numeric or [],
        **{k: v for k, v in read.items() if v is not None},
    }
    result = _run(
        dataset,
        model=model,
        settings=set_ or [],
        impl=impl,
        loading=loading,
        running={
            "cv": cv,
            "test_size": test_size,
            "seed": seed,
            "record": record,
            "db": db,
            "text_features": text_features,
        },
        show_progress=not json_out,
    )
    _finish(result, script, notebook, recipe_out, json_out, save)


def _finish(
    result: Run,
    script: Path | None,
    notebook: Path | None,
    recipe_out: Path | None,
    json_out: bool,
    save: Path | None = None,
) -> None:
    """Write the files asked for, then show the run (or print it as JSON)."""
    written = _write_outputs(result, script, notebook, recipe_out)
    if save is not None:  # --save: the artifact for `tinkerlab serve` (see tinkerlab.serve)
        from tinkerlab.serve import save_artifact

        written.append(save_artifact(result, save))
    if json_out:
        data = result.to_dict()
        data["written"] = [str(p) for p in written]
        print_json(data)
        return
    from tinkerlab.cli._render import render_next_steps, render_run
    from tinkerlab.cli._theory import show_findings

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
    if not json_out:
        console.print(
            "[bold]tinkerlab quickstart[/]: who survived the Titanic? A random forest learns "
            "it from 1309 passengers (sex, age, class), scored against a baseline that always "
            "guesses the most common outcome.\n"
        )
    result = _run(
        "titanic",
        model="random_forest",
        settings=[],
        impl="sklearn",
        loading={},
        running={"record": True, "db": db},
        show_progress=not json_out,
    )
    if json_out:
        print_json(result.to_dict())
        return
    from tinkerlab.cli._render import render_next_steps, render_run
    from tinkerlab.cli._theory import show_findings

    render_run(result, [])
    show_findings(result.phenomena, result.unlocked)
    render_next_steps(result)


def _run(
    dataset: str,
    *,
    model: str | None,
    settings: list[str],
    impl: str,
    loading: dict[str, Any],
    running: dict[str, Any],
    show_progress: bool,
) -> Run:
    """Load, settle the model and its knob values, then run: the steps shared by
    ``run`` and ``quickstart``, under one progress bar."""
    from tinkerlab import _api
    from tinkerlab.recipe import default_model, parse_settings

    with progress(show_progress, total=6) as step:
        step(f"loading {dataset}")
        data = _api.load(dataset, **loading)
        assert data.task is not None  # load() always settles the task when there is a target
        name = model or default_model(data.task, has_text=bool(data.features("text")))
        params = parse_settings(name, data.task, settings, impl)  # type: ignore[arg-type]
        return _api.run(data, model=name, params=params, impl=impl, progress=step, **running)


def _check_outputs(dataset: str, paths: list[Path | None]) -> list[Path | None]:
    """Fail before the run (not after it) when an output file cannot be written, or would
    overwrite the data or another output. Returns the paths with ``~`` expanded."""
    from tinkerlab.exceptions import UsageError

    expanded = [p.expanduser() if p is not None else None for p in paths]
    given = [p for p in expanded if p is not None]
    data_file = Path(dataset).expanduser().resolve()
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
