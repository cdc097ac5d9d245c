"""``tinkerlab theory`` and ``tinkerlab why``: theory cards, and the cards answering a question."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import console, print_json

if TYPE_CHECKING:
    from tinkerlab.insight import Card

_Db = Annotated[
    str | None,
    typer.Option(
        help="Journal database URL (default: TINKERLAB_DB or the SQLite file in TINKERLAB_HOME)."
    ),
]
_Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


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
    db: _Db = None,
    json_out: _Json = False,
) -> None:
    """Read a theory card: the idea, the math, code and an experiment to try.

    Without an id, list every card and which ones your journal has unlocked so far
    (by the models you ran, the knobs you turned and what your experiments showed).

    Examples:

      tinkerlab theory

      tinkerlab theory gradient_descent

      tinkerlab theory overfitting --html overfitting.html
    """
    from tinkerlab import insight

    if card_id is None:
        if html is not None:
            from tinkerlab.exceptions import UsageError

            raise UsageError(
                "--html writes one card; name it: tinkerlab theory overfitting --html card.html"
            )
        _list_cards(db, json_out)
        return
    card = insight.theory(card_id)
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
            ways = " or ".join(insight.describe_trigger(t) for t in c.unlocked_by[:3])
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
    limit: Annotated[int, typer.Option(help="Show at most this many cards.")] = 3,
    record: Annotated[
        bool, typer.Option(help="Record the question in the journal (tinkerlab journal questions).")
    ] = True,
    db: _Db = None,
    json_out: _Json = False,
) -> None:
    """Find the theory cards that answer your question, and note the question in the journal.

    The search runs offline over the cards' titles, concepts and text (BM25); no network,
    no language model.

    Examples:

      tinkerlab why "why does accuracy go down when the tree gets deeper?"

      tinkerlab why "what does the learning rate do?" --run 12
    """
    from tinkerlab import _api, insight

    hits = insight.search(question, limit=limit)  # checks the question and the limit first
    entry = None
    if record:
        with _api.open_journal(db) as store:
            entry = store.add_question(question, run_id=run_id)
    elif run_id is not None:
        with _api.open_journal(db) as store:
            store.get_run(run_id)  # an unknown run is still bad input
    if json_out:
        print_json(
            {
                "question": question.strip(),
                "question_id": None if entry is None else entry.id,
                "run_id": run_id,
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
        )
        return
    if entry is not None:
        about = f" about run #{run_id}" if run_id is not None else ""
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
