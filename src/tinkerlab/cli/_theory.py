"""``tinkerlab theory`` and ``tinkerlab why``: theory cards, and the cards answering a question."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import Db, Json, console, print_json

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tinkerlab.insight import Card, Finding


def theory(
    card_id: Annotated[
        str | None,
        typer.Argument(help="A card's id, e.g. overfitting; leave it out to list every card."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Also write the card as an HTML page (math as MathML) to this file."
        ),
    ] = None,
    record: Annotated[
        bool, typer.Option(help="Note in the journal that you read the card.")
    ] = True,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Read a theory card: the idea, the math, code and an experiment to try.

    Without an id, list every card and which ones your journal has unlocked so far
    (by the models you ran, the knobs you turned and what your experiments showed).

    Examples:

      tinkerlab theory

      tinkerlab theory gradient_descent

      tinkerlab theory overfitting --html overfitting.html
    """
    from tinkerlab import _api, insight

    if card_id is None:
        if html is not None:
            from tinkerlab.exceptions import UsageError

            raise UsageError(
                "--html writes one card; name it: tinkerlab theory overfitting --html card.html"
            )
        _list_cards(db, json_out)
        return
    card = insight.theory(card_id)
    if record:
        with _api.open_journal(db) as store:
            store.record_card_read(card.id)
    if html is not None:
        _write_html(card, html)
    if json_out:
        print_json(_card_json(card))
        return
    console.print(card)
    if html is not None:
        console.print(f"[bold]Wrote:[/] {escape(str(html))}")


def _list_cards(db: str | None, json_out: bool) -> None:
    from tinkerlab import _api, insight

    with _api.open_journal(db) as store:
        unlocked = insight.unlocked_cards(store)
    every = insight.cards()
    if json_out:
        print_json(
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "math_level": c.math_level,
                    "unlocked": c.id in unlocked,
                    "unlocked_by": list(c.unlocked_by),
                    "unlocked_because": (
                        {"trigger": unlocked[c.id][0], "where": unlocked[c.id][1]}
                        if c.id in unlocked
                        else None
                    ),
                }
                for c in every
            ]
        )
        return
    from rich.table import Table

    table = Table(
        title=f"Theory cards: {len(unlocked)} of {len(every)} unlocked by your work so far",
        title_justify="left",
    )
    for column in ("id", "title", "math", "unlocked?"):
        table.add_column(column)
    ordered = sorted(every, key=lambda c: c.id not in unlocked)  # stable: unlocked first
    for c in ordered:
        if c.id in unlocked:
            trigger, where = unlocked[c.id]
            status = f"[green]yes[/]: {escape(insight.describe_trigger(trigger))} ({where})"
        else:
            ways = " or ".join(insight.describe_trigger(t, short=True) for t in c.unlocked_by[:3])
            status = f"[dim]by {escape(ways)}[/]"
        table.add_row(escape(c.id), escape(c.title), str(c.math_level), status)
    console.print(table)
    console.print(
        "Read one (any card, unlocked or not):  [bold]tinkerlab theory ID[/]    "
        'Ask a question:  [bold]tinkerlab why "why does ...?"[/]'
    )


def _write_html(card: Card, path: Path) -> None:
    from tinkerlab.exceptions import InputError

    try:
        path.write_text(card.to_html(standalone=True), encoding="utf-8")
    except OSError as error:
        raise InputError(
            f"Could not write the card to {path}: {error.strerror or error}. Pick a path in a "
            "folder that exists and that you may write to."
        ) from error


def _card_json(card: Card) -> dict[str, Any]:
    return {
        "id": card.id,
        "title": card.title,
        "concepts": list(card.concepts),
        "unlocked_by": list(card.unlocked_by),
        "shows": card.shows,
        "math_level": card.math_level,
        "prerequisites": list(card.prerequisites),
        "related": list(card.related),
        "try_this": card.try_this,
        "code": card.code,
        "markdown": card.to_markdown(),
    }


def why(
    question: Annotated[str, typer.Argument(help="Your question, in your own words.")],
    run_id: Annotated[
        int | None, typer.Option("--run", help="The run that raised it (see tinkerlab journal).")
    ] = None,
    experiment_id: Annotated[
        int | None,
        typer.Option(
            "--experiment", help="The experiment that raised it (tinkerlab journal experiments)."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many cards.")] = 3,
    record: Annotated[
        bool, typer.Option(help="Record the question in the journal (tinkerlab journal questions).")
    ] = True,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Find the theory cards that answer your question, and note the question in the journal.

    The search runs offline over the cards' titles, concepts and text (BM25); no network,
    no language model.

    Examples:

      tinkerlab why "why does accuracy go down when the tree gets deeper?"

      tinkerlab why "what does the learning rate do?" --run 12

      tinkerlab why "is the best depth really better?" --experiment 17
    """
    from tinkerlab import _api, insight

    hits = insight.search(question, limit=limit)  # checks the question and the limit first
    entry = None
    if record:
        with _api.open_journal(db) as store:
            entry = store.add_question(
                question,
                run_id=run_id,
                experiment_id=experiment_id,
                cards=[h.card.id for h in hits],
            )
    elif run_id is not None or experiment_id is not None:
        with _api.open_journal(db) as store:  # an unknown run is still bad input
            if run_id is not None:
                store.get_run(run_id)
            if experiment_id is not None:
                store.get_experiment(experiment_id)
    if json_out:
        question_id = None if entry is None else entry.id
        print_json(_why_json(question, question_id, run_id, experiment_id, hits))
        return
    if entry is not None:
        about = f" about run #{run_id}" if run_id is not None else ""
        about += f" about experiment #{experiment_id}" if experiment_id is not None else ""
        console.print(
            f"Question #{entry.id} recorded{about}. All your questions: tinkerlab journal questions"
        )
    if not hits:
        console.print(
            "No card shares a word with that question. Try other words (the name of a knob, "
            "a model or what you saw), or browse them all:  [bold]tinkerlab theory[/]"
        )
        return
    console.print("\n[bold]Cards that answer it, best first:[/]")
    for rank, hit in enumerate(hits, start=1):
        console.print(
            f" {rank}. [bold]{escape(hit.card.title)}[/]  —  tinkerlab theory {hit.card.id}"
        )
        if hit.snippet:
            console.print(f"    [dim]“{escape(hit.snippet)}”[/]")


def _why_json(
    question: str,
    question_id: int | None,
    run_id: int | None,
    experiment_id: int | None,
    hits: Sequence[Any],
) -> dict[str, Any]:
    """What ``why --json`` prints: the question, where it was recorded, the cards."""
    return {
        "question": question.strip(),
        "question_id": question_id,
        "run_id": run_id,
        "experiment_id": experiment_id,
        "cards": [
            {
                "id": h.card.id,
                "title": h.card.title,
                "score": h.score,
                "snippet": h.snippet,
                "read": f"tinkerlab theory {h.card.id}",
            }
            for h in hits
        ],
    }


def show_findings(findings: Sequence[Finding], unlocked: Sequence[str] = ()) -> None:
    """Print what the detectors spotted, each with its card, and the cards just unlocked."""
    from tinkerlab import insight

    for finding in findings:
        card = insight.theory(finding.card)
        console.print(
            f"[bold cyan]Spotted in your results:[/] [bold]{escape(finding.title)}[/] — "
            f"{escape(finding.evidence)} (confidence {finding.confidence:.2f}).\n"
            f"  Read: '{escape(card.title)}'  (tinkerlab theory {card.id})"
        )
    if unlocked:
        titles = ", ".join(f"{escape(insight.theory(c).title)} ({c})" for c in unlocked)
        console.print(f"[bold green]Unlocked:[/] {titles}. All cards: tinkerlab theory")


def explain(
    experiment_id: Annotated[
        int | None,
        typer.Argument(help="An experiment's id (tinkerlab journal experiments)."),
    ] = None,
    run_id: Annotated[
        int | None, typer.Option("--run", help="Explain a run instead (tinkerlab journal list).")
    ] = None,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Every phenomenon found in an experiment (or a run), with the numbers that show it.

    The detectors run again on the numbers the journal holds, so an experiment recorded
    by an older tinkerlab is explained by today's detectors.

    Examples:

      tinkerlab explain 17

      tinkerlab explain --run 3
    """
    from tinkerlab import _api
    from tinkerlab.exceptions import UsageError

    if (experiment_id is None) == (run_id is None):
        raise UsageError(
            "Name one experiment or one run. Fix: tinkerlab explain 17, or tinkerlab explain "
            "--run 3 (ids: tinkerlab journal experiments, tinkerlab journal list)"
        )
    with _api.open_journal(db) as store:
        findings, what = _api.explain_record(store, experiment_id=experiment_id, run_id=run_id)
    if json_out:
        print_json({"about": what, "phenomena": [f.to_dict() for f in findings]})
        return
    if not findings:
        console.print(
            f"Nothing spotted in {escape(what)}: no detector fired. Each one needs clear "
            "evidence beyond the fold-to-fold noise (tinkerlab theory cross_validation)."
        )
        return
    console.print(f"[bold]{escape(what)}[/]: {len(findings)} phenomena spotted")
    show_findings(findings)


path = typer.Typer(
    help="The learning path: which topics your own work has made useful now.",
    no_args_is_help=True,
)


@path.command("math")
def math_path(db: Db = None, json_out: Json = False) -> None:
    """The math timeline: each topic unlocks when your work first needs it.

    Matrix operations when you manipulate data, derivatives when you optimise,
    probability when you classify with confidence, statistics when you compare models.

    Example:  tinkerlab path math
    """
    from tinkerlab import _api, insight

    with _api.open_journal(db) as store:
        steps = insight.math_timeline(store)
    if json_out:
        print_json([step.to_dict() for step in steps])
        return
    done = sum(step.unlocked is not None for step in steps)
    console.print(f"[bold]The math timeline[/]: {done} of {len(steps)} topics unlocked")
    for number, step in enumerate(steps, start=1):
        card = insight.theory(step.card)
        if step.unlocked is not None:
            trigger, where = step.unlocked
            mark = f"[green]unlocked[/] by {escape(insight.describe_trigger(trigger))} ({where})"
        else:
            ways = " or ".join(insight.describe_trigger(t) for t in card.unlocked_by)
            mark = f"[dim]locked: unlock it by {escape(ways)}[/]"
        console.print(
            f" {number}. [bold]{escape(card.title)}[/] — {escape(step.when)}\n    {mark}\n"
            f"    tinkerlab theory {card.id}"
        )
