"""``tinkerlab journal``: every run so far, notes and questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._journal_experiments import (
    experiment_json,
    experiments_table,
    latest_predictions,
    prediction_json,
    print_attached,
    print_trend_tables,
    print_value_guesses,
    rate,
    resume_hint,
    show_experiment,
    texts_json,
)
from tinkerlab.cli._output import Db, Json, console, print_json

if TYPE_CHECKING:
    from tinkerlab.journal import (
        ExperimentNoteEntry,
        NoteEntry,
        QuestionEntry,
        RunEntry,
    )

app = typer.Typer(
    help="Every run so far, with your notes and questions.\n\nExample:  tinkerlab journal show 3",
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def journal(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="Show at most this many runs.")] = 20,
    dataset: Annotated[str | None, typer.Option(help="Only runs on this dataset.")] = None,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """List runs, newest first (the same as `tinkerlab journal list`).

    Example:  tinkerlab journal --limit 5
    """
    if ctx.invoked_subcommand is None:
        list_runs(limit=limit, dataset=dataset, db=db, json_out=json_out)
        return
    if db is not None or json_out or dataset is not None or limit != 20:
        from tinkerlab.exceptions import UsageError

        raise UsageError(
            f"Options given before '{ctx.invoked_subcommand}' would be ignored. Fix: put them "
            f"after it, e.g. tinkerlab journal {ctx.invoked_subcommand} ... --db URL --json"
        )


@app.command("list")
def list_runs(
    limit: Annotated[int, typer.Option(help="Show at most this many runs.")] = 20,
    dataset: Annotated[str | None, typer.Option(help="Only runs on this dataset.")] = None,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """List runs, newest first.

    Example:  tinkerlab journal list --dataset titanic --json
    """
    from tinkerlab import _api

    with _api.open_journal(db) as store:
        entries = store.list_runs(limit=limit, dataset=dataset)
        total = store.count_runs()
    if json_out:
        print_json([_entry_json(e) for e in entries])
        return
    if not entries:
        if total:
            console.print(f"No runs match (the journal holds {total}).")
        else:
            console.print(
                "The journal is empty. Record a first run with:  [bold]tinkerlab quickstart[/]"
            )
        return
    from tinkerlab.cli._tables import Column, fitted

    columns = [
        Column("id", justify="right"),
        Column("when (UTC)", priority=3),  # the first to go on a narrow terminal
        Column("dataset"),
        Column("model"),
        Column("metric", priority=1),
        Column("cv mean ± std", justify="right"),
        Column("test", justify="right"),
        Column("baseline", justify="right", priority=2),
    ]
    rows = []
    for e in entries:
        name = _primary(e)
        s, b = e.metrics.get(name, {}), e.baseline.get(name, {})
        rows.append(
            [
                str(e.id),
                e.created_at.strftime("%Y-%m-%d %H:%M"),
                escape(_short_name(e.dataset)),
                escape(e.model),
                name,
                f"{_num(s.get('cv_mean'))} ± {_num(s.get('cv_std'))}",
                _num(s.get("test")),
                _num(b.get("test")),
            ]
        )
    title = f"Journal: {len(entries)} of {total} runs, newest first"
    console.print(fitted(columns, rows, width=console.width, title=title))
    console.print("One run in full:  [bold]tinkerlab journal show ID[/]")


#: The most characters of a dataset's name the run list shows (``--json`` has it whole).
NAME_SHOWN = 20


def _short_name(dataset: str) -> str:
    """A dataset as the run list shows it: a file by its name, not its folders, and a
    long name by its end (``…_final_version_3.csv``), so the scores keep their room."""
    name = dataset.replace("\\", "/").rsplit("/", 1)[-1] or dataset
    return name if len(name) <= NAME_SHOWN else "…" + name[-(NAME_SHOWN - 1) :]


@app.command("show")
def show(
    record: Annotated[
        str,
        typer.Argument(help="A run (3) or an experiment (e2); `tinkerlab journal` lists them."),
    ],
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Show one run: its recipe, scores, notes, questions and plot files; or one
    experiment: what it varied, its result, prediction, notes and questions.

    Example:  tinkerlab journal show 3
    Example:  tinkerlab journal show e2
    """
    from tinkerlab import _api

    kind, number = _record(record)
    if kind == "experiment":
        show_experiment(number, db, json_out)
        return
    run_id = number
    with _api.open_journal(db) as store:
        entry = store.get_run(run_id)
        notes = store.notes(run_id)
        questions = store.questions(run_id)
    if json_out:
        data = _entry_json(entry)
        data["notes"] = texts_json(notes)
        data["questions"] = texts_json(questions)
        print_json(data)
        return
    from rich.table import Table

    console.print(
        f"[bold]Run #{entry.id}[/] · {escape(entry.model)} on {escape(entry.dataset)} "
        f"({entry.task}) · {entry.created_at:%Y-%m-%d %H:%M} UTC · "
        f"tinkerlab {entry.tinkerlab_version}"
    )
    recipe = entry.recipe
    params = recipe.get("params", {})
    settings = escape(", ".join(f"{k}={v}" for k, v in params.items()) or "defaults")
    console.print(
        f"  target {escape(repr(recipe['target']))}; model settings: {settings}; "
        f"{recipe['cv_folds']}-fold CV; test size {recipe['test_size']}; "
        f"seed {recipe['seed']}"
    )
    console.print(f"  data sha256 {entry.data_sha256[:16]}…")
    for notice in entry.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}")
    table = Table(title="Scores")
    for column in ("metric", "cv mean ± std", "test", "baseline test"):
        table.add_column(column)
    for name, s in entry.metrics.items():
        table.add_row(
            name,
            f"{_num(s.get('cv_mean'))} ± {_num(s.get('cv_std'))}",
            _num(s.get("test")),
            _num(entry.baseline.get(name, {}).get("test")),
        )
    console.print(table)
    print_attached(entry.plot_paths, notes, questions)
    console.print(f'Add a note:  tinkerlab journal note {entry.id} "what I noticed"')


@app.command("note")
def note(
    record: Annotated[
        str, typer.Argument(help="What the note is about: a run (3) or an experiment (e3).")
    ],
    text: Annotated[str, typer.Argument(help="What you noticed.")],
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Write down what you noticed about a run or an experiment.

    Example:  tinkerlab journal note 3 "the forest beats the tree by 0.04"
    Example:  tinkerlab journal note e2 "deeper trees overfit after depth 5"
    """
    from tinkerlab import _api

    kind, number = _record(record, "note")
    with _api.open_journal(db) as store:
        entry = (
            store.add_experiment_note(number, text)
            if kind == "experiment"
            else store.add_note(number, text)
        )
    if json_out:
        print_json(_written_json(entry))
        return
    console.print(f"Note #{entry.id} added to {kind} #{number}.")


@app.command("ask")
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in your own words.")],
    run_id: Annotated[int | None, typer.Option("--run", help="The run it is about.")] = None,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Record a question a result raised, linked to the run it came from, and show the
    theory cards that answer it (as tinkerlab why does).

    Example:  tinkerlab journal ask "why is the forest worse on the test split?" --run 3
    """
    from tinkerlab import _api, insight

    hits = insight.search(question, limit=3)  # checks the question first
    with _api.open_journal(db) as store:
        entry = store.add_question(question, run_id=run_id, cards=[h.card.id for h in hits])
    if json_out:
        print_json(
            {
                **_written_json(entry),
                "cards": [
                    {"id": c.id, "title": c.title, "read": f"tinkerlab theory {c.id}"}
                    for c in (h.card for h in hits)
                ],
            }
        )
        return
    about = f" about run #{run_id}" if run_id is not None else ""
    console.print(
        f"Question #{entry.id} recorded{about}. All your questions: tinkerlab journal questions"
    )
    if not hits:
        console.print("No card shares a word with it yet; browse them all: tinkerlab theory")
        return
    console.print("[bold]Cards that answer it:[/]")
    for hit in hits:
        console.print(f"  {escape(hit.card.title)}  —  tinkerlab theory {hit.card.id}")


@app.command("questions")
def questions(
    run_id: Annotated[int | None, typer.Option("--run", help="Only this run's questions.")] = None,
    experiment_id: Annotated[
        int | None, typer.Option("--experiment", help="Only this experiment's questions.")
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only questions none of whose cards you have read.")
    ] = False,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """List the questions you asked, oldest first: what each is about, the cards found
    for it (tinkerlab why) and which of them you have read since (tinkerlab theory ID).

    A question stays open until you read one of its cards.

    Example:  tinkerlab journal questions --open
    """
    from tinkerlab import _api

    with _api.open_journal(db) as store:
        entries = store.questions(run_id, experiment_id=experiment_id, open_only=open_only)
    if json_out:
        print_json(
            [
                {
                    "id": q.id,
                    "run_id": q.run_id,
                    "experiment_id": q.experiment_id,
                    "created_at": q.created_at,
                    "text": q.text,
                    "cards": list(q.cards),
                    "cards_read": list(q.cards_read),
                    "open": q.is_open,
                }
                for q in entries
            ]
        )
        return
    if not entries:
        console.print(
            "No open questions."
            if open_only
            else 'No questions yet. Ask one:  tinkerlab why "why ...?"'
        )
        return
    for q in entries:
        about = [f"run #{q.run_id}"] if q.run_id is not None else []
        about += [f"experiment #{q.experiment_id}"] if q.experiment_id is not None else []
        state = "[yellow]open[/]" if q.is_open else "[green]answered[/]"
        console.print(
            f"  [magenta]#{q.id}[/] {state} ({q.created_at:%Y-%m-%d %H:%M}"
            f"{', ' + ', '.join(about) if about else ''}): {escape(q.text)}"
        )
        if q.cards:
            shown = ", ".join(
                f"{escape(c)} [green]✓ read[/]" if c in q.cards_read else escape(c) for c in q.cards
            )
            console.print(f"      cards: {shown}   (tinkerlab theory ID)")


@app.command("experiments")
def experiments(
    limit: Annotated[int, typer.Option(help="Show at most this many experiments.")] = 20,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """List experiments (tinkerlab tinker), newest first, with their status and result.

    Example:  tinkerlab journal experiments --limit 5
    """
    from tinkerlab import _api

    with _api.open_journal(db) as store:
        entries = store.list_experiments(limit=limit)
    if json_out:
        print_json([experiment_json(e) for e in entries])
        return
    if not entries:
        console.print(
            "No experiments yet. Try one:  "
            "[bold]tinkerlab tinker iris --model knn --knob n_neighbors[/]"
        )
        return
    console.print(experiments_table(entries))
    resume_hint(entries)


@app.command("analyses")
def analyses(
    limit: Annotated[int, typer.Option(help="Show at most this many analyses.")] = 20,
    kind: Annotated[str | None, typer.Option(help="Only analyses of this kind: feedback.")] = None,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """List analyses (tinkerlab feedback), newest first, with their findings and report.

    Example:  tinkerlab journal analyses --kind feedback
    """
    from tinkerlab import _api

    with _api.open_journal(db) as store:
        entries = store.analyses(kind, limit=limit)
    if json_out:
        print_json(
            [
                {
                    "id": e.id,
                    "created_at": e.created_at,
                    "kind": e.kind,
                    "dataset": e.dataset,
                    "headline": e.headline,
                    "files": [str(p) for p in e.file_paths],
                    "summary": e.summary,
                }
                for e in entries
            ]
        )
        return
    if not entries:
        console.print("No analyses yet. Try one:  [bold]tinkerlab feedback reviews --sample 500[/]")
        return
    from rich.table import Table

    table = Table(title=f"Analyses: {len(entries)}, newest first")
    for column in ("id", "when (UTC)", "kind", "dataset", "findings", "report"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(
            str(e.id),
            e.created_at.strftime("%Y-%m-%d %H:%M"),
            escape(e.kind),
            escape(e.dataset),
            escape(e.headline or "–"),
            escape(str(e.file_paths[0])) if e.file_paths else "–",
        )
    console.print(table)


@app.command("predictions")
def predictions(
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Your prediction record: hit rate over time and per knob kind, and how close your
    numeric guesses came (a calibration-style score).

    Example:  tinkerlab journal predictions --json
    """
    from tinkerlab import _api
    from tinkerlab.experiment import summarize_predictions

    with _api.open_journal(db) as store:
        entries = store.predictions()
    record = summarize_predictions(entries)
    if json_out:
        print_json({**record, "entries": [prediction_json(p) for p in entries]})
        return
    if not entries:
        console.print(
            "No predictions yet. Predict before you look:  "
            "[bold]tinkerlab tinker iris --model knn --knob n_neighbors --predict peak[/]"
        )
        return
    shapes = record["shapes"]
    console.print(
        f"[bold]{record['predictions']} predictions[/] ({record['pending']} waiting for their "
        f"experiment to finish). Shapes: {shapes['hits']} right of {shapes['judged']} judged "
        f"= [bold]{rate(shapes['hit_rate'])}[/]; {shapes['too_noisy']} too noisy to tell."
    )
    print_trend_tables(record)
    print_value_guesses(record)
    console.print(latest_predictions(entries[-10:]))


def _record(text: str, command: str = "show") -> tuple[str, int]:
    """``("run", 3)`` for ``3``, ``("experiment", 2)`` for ``e2``; a usage error otherwise."""
    from tinkerlab.exceptions import UsageError
    from tinkerlab.journal import parse_record

    named = parse_record(text)
    if named is None:
        raise UsageError(
            f"Cannot tell which record {text!r} is. Fix: a run's number (tinkerlab journal "
            f"{command} 3) or an experiment's, with an e (tinkerlab journal {command} e2); "
            "tinkerlab journal and tinkerlab journal experiments list them."
        )
    return named


def _written_json(entry: NoteEntry | ExperimentNoteEntry | QuestionEntry) -> dict[str, Any]:
    """A note or question just written, for --json."""
    from tinkerlab.journal import ExperimentNoteEntry

    about = (
        {"experiment_id": entry.experiment_id}
        if isinstance(entry, ExperimentNoteEntry)
        else {"run_id": entry.run_id}
    )
    return {
        "id": entry.id,
        **about,
        "text": entry.text,
        "created_at": entry.created_at,
    }


def _num(value: float | None) -> str:
    """A score with 4 decimals; the journal stores NaN as None, shown as a dash."""
    return "–" if value is None or value != value else f"{value:.4f}"


def _primary(entry: RunEntry) -> str:
    return "accuracy" if entry.task == "classification" else "rmse"


def _entry_json(e: RunEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "uid": e.uid,
        "created_at": e.created_at,
        "dataset": e.dataset,
        "task": e.task,
        "model": e.model,
        "metrics": e.metrics,
        "baseline": e.baseline,
        "summary": e.summary,
        "timings": e.timings,
        "notices": e.notices,
        "data_sha256": e.data_sha256,
        "tinkerlab_version": e.tinkerlab_version,
        "recipe": e.recipe,
        "plots": [str(p) for p in e.plot_paths],
    }
