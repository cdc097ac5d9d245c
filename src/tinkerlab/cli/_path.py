"""``tinkerlab path``: where you are, a lab, its check and hints, the understanding test,
the self-assessment checklist, and the math timeline (``path math``, from ``_theory``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli import _theory
from tinkerlab.cli._output import Db, Json, console, print_json

if TYPE_CHECKING:
    from tinkerlab.path import CheckResult, Lab

path = typer.Typer(
    help=(
        "The learning path: where you are, the next lab, checks that run your own work, "
        "the understanding test and the checklist.\n\n"
        "Start with:  tinkerlab path"
    ),
    invoke_without_command=True,
)
path.command("math")(_theory.math_path)

LabId = Annotated[str, typer.Argument(help="A lab's id, e.g. 2.3 (tinkerlab path lists them).")]


@path.callback()
def where_am_i(ctx: typer.Context, db: Db = None, json_out: Json = False) -> None:
    """Where you are: labs done by phase, the day of the path, and the next lab to do.

    Checks that read only your journal run first, so work done without `path check`
    counts too.

    Example:  tinkerlab path
    """
    if ctx.invoked_subcommand is not None:
        return
    from tinkerlab import _api
    from tinkerlab import path as lab_path
    from tinkerlab.path._labs import day_range

    with _api.open_journal(db) as journal:
        now = lab_path.status(journal=journal)
        test = lab_path.score(journal=journal)
    if json_out:
        print_json({**now.to_dict(), "test": test})
        return
    console.print(
        f"[bold]The path[/]: {len(now.done)} of {now.total} labs done · day {now.day}"
        + (f" · test {test['right']}/{test['scored']} right" if test["scored"] else "")
    )
    for phase in now.phases():
        bar = "■" * phase["done"] + "□" * (phase["labs"] - phase["done"])
        days = day_range(*phase["days"])
        console.print(
            f" {phase['phase']}. {phase['name']:<11} {days:<11} {bar:<8} "
            f"[dim]{escape(phase['about'])}[/]"
        )
    console.print()
    for lab in lab_path.labs():
        mark = (
            "[green]✓[/]" if lab.id in now.done else ("[bold]→[/]" if lab is now.next_lab else " ")
        )
        console.print(f" {mark} {lab.id:<4} {escape(lab.title)}")
    if now.next_lab is None:
        console.print(
            "\n[bold green]Every lab is done.[/] Your checklist: tinkerlab path checklist"
        )
        return
    lab = now.next_lab
    console.print(f"\n[bold]Next: lab {lab.id}[/] — {escape(lab.goal)}")
    for command in lab.cli:
        console.print(f"  {escape(command)}")
    console.print(f"  More: tinkerlab path show {lab.id} · check it: tinkerlab path check {lab.id}")


def _show_lab(lab: Lab, solution: bool) -> None:
    console.print(
        f"[bold]Lab {lab.id}: {escape(lab.title)}[/]  "
        f"[dim]phase {lab.phase} ({lab.phase_name}), {lab.days_text}[/]"
    )
    console.print(f"\n[bold]Goal[/]  {escape(lab.goal)}\n[bold]Why[/]   {escape(lab.why)}\n")
    console.print("[bold]Command line[/]")
    for command in lab.cli:
        console.print(f"  {escape(command)}")
    console.print("[bold]Python[/]")
    for line in lab.python:
        console.print(f"  {escape(line)}")
    console.print(f"[bold]Web lab[/]  tinkerlab lab, then {escape(lab.web)}")
    from tinkerlab.path import CHECKS

    console.print(
        f"\n[bold]Check[/]  tinkerlab path check {lab.id}: looks at "
        f"{escape(CHECKS[lab.check['kind']].looks_at)}"
    )
    console.print(f"[bold]Hints[/]  {len(lab.hints)}: tinkerlab path hint {lab.id}")
    if solution:
        console.print(f"[bold]Solution[/]  {escape(lab.solution)}")
    if lab.unlocks:
        console.print(f"[bold]Opens[/]  lab {', '.join(lab.unlocks)}")


@path.command("show")
def show(
    lab_id: LabId,
    solution: Annotated[bool, typer.Option(help="Show the solution too.")] = False,
    json_out: Json = False,
) -> None:
    """A lab: its goal, why it matters, what to type (command line, Python, web lab), its check.

    Example:  tinkerlab path show 2.3
    """
    from tinkerlab.path import lab

    found = lab(lab_id)
    if json_out:
        data = found.to_dict()
        if solution:
            data["solution"] = found.solution
        print_json(data)
        return
    _show_lab(found, solution)


def print_check(result: CheckResult) -> None:
    """A check's result: passed or not, the evidence, what is missing, what to type next."""
    if result.passed:
        console.print(f"[bold green]Lab {result.lab_id}: passed[/]")
    else:
        console.print(f"[bold yellow]Lab {result.lab_id}: not yet[/]")
    for item in result.found:
        console.print(f"  found: {escape(item)}")
    if not result.passed:
        console.print(f"  missing: {escape(result.missing)}")
    if result.next_command:
        console.print(f"  next: {escape(result.next_command)}")


@path.command("check")
def check(
    lab_id: LabId,
    script: Annotated[
        Path | None, typer.Option(help="Your edited script (lab 1.3); default: train.py here.")
    ] = None,
    url: Annotated[
        str, typer.Option(help="Your running service (labs 5.1, 5.2).")
    ] = "http://127.0.0.1:8000",
    project: Annotated[
        Path | None, typer.Option(help="Your project folder (lab 7.1); default: this folder.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds your script may run.")] = 300.0,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Check a lab against your own work: your journal, your script, your service or project.

    A pass is recorded in the journal. A check that does not pass says what is missing
    and the next command to type, and exits with code 1.

    Examples:

      tinkerlab path check 1.2

      tinkerlab path check 1.3 --script train.py

      tinkerlab path check 5.1 --url http://127.0.0.1:8000
    """
    import os

    from tinkerlab import path as lab_path

    token = os.environ.get("TINKERLAB_TOKEN") or None
    result = lab_path.check(
        lab_id, script=script, url=url, token=token, project=project, timeout=timeout, db=db
    )
    if json_out:
        print_json(result.to_dict())
    else:
        print_check(result)
    if not result.passed:
        raise typer.Exit(1)


@path.command("hint")
def hint(
    lab_id: LabId,
    number: Annotated[int, typer.Argument(help="Which hint: 1 gives least away.")] = 1,
) -> None:
    """A hint for a lab; the first gives least away, the next ones more.

    Example:  tinkerlab path hint 2.3 2
    """
    from tinkerlab.path import hint as lab_hint

    console.print(escape(lab_hint(lab_id, number)))


@path.command("test")
def understanding_test(
    predict: Annotated[
        str | None,
        typer.Option(help="Your shape for the drawn experiment: up, down, peak, valley, flat."),
    ] = None,
    explain: Annotated[
        str | None, typer.Option(help="Your choice (its number) for the finding to explain.")
    ] = None,
    part: Annotated[str, typer.Option(help="Which questions: both, predict or explain.")] = "both",
    show: Annotated[
        bool, typer.Option(help="Show the questions and your score; answer nothing.")
    ] = False,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """The understanding test: predict an experiment you have not run, explain a finding of yours.

    The experiment runs as tinkerlab tinker would, and its curve scores your prediction;
    your explanation is scored against what the detectors found. Answers and the score over
    time are kept in the journal. Without --predict/--explain it asks (a terminal).

    Examples:

      tinkerlab path test

      tinkerlab path test --predict peak --explain 2

      tinkerlab path test --show
    """
    from tinkerlab import path as lab_path
    from tinkerlab.exceptions import InputError

    if part not in ("both", "predict", "explain"):
        raise InputError(f"--part is both, predict or explain; got {part!r}.")
    out: dict[str, Any] = {}
    from tinkerlab import _api

    with _api.open_journal(db) as journal:
        if part in ("both", "predict"):
            out["predict"] = _predict_part(journal, predict, show, json_out)
        if part in ("both", "explain"):
            out["explain"] = _explain_part(journal, explain, show, json_out)
        out["score"] = lab_path.score(journal=journal)
    if json_out:
        print_json(out)
        return
    score = out["score"]
    if score["scored"]:
        console.print(
            f"\n[bold]Your score[/]: {score['right']} of {score['scored']} scored answers right "
            f"({score['share']:.0%}) over {score['answers']} answers."
        )


def _predict_part(journal: Any, shape: str | None, show: bool, quiet: bool) -> Any:
    from tinkerlab import path as lab_path

    question = lab_path.draw_prediction(journal=journal)
    if question is None:
        if not quiet:
            console.print("You have swept every experiment the test draws from: well done.")
        return None
    if not quiet:
        console.print(f"[bold]Predict[/]  {escape(question.text)}")
    if show:
        return question.to_dict()
    if shape is None:
        shape = typer.prompt("Your prediction")
    scored = lab_path.answer_prediction(question, shape, journal=journal)
    if not quiet:
        console.print(f"  {escape(scored.explanation)}  (experiment #{scored.experiment_id})")
    return {**question.to_dict(), "result": scored.to_dict()}


def _explain_part(journal: Any, choice: str | None, show: bool, quiet: bool) -> Any:
    from tinkerlab import path as lab_path

    question = lab_path.draw_explanation(journal=journal)
    if question is None:
        if not quiet:
            console.print(
                "[bold]Explain[/]  No finding in your experiments yet: run one first "
                "(tinkerlab path show 2.1)."
            )
        return None
    if not quiet:
        console.print(f"\n[bold]Explain[/]  {escape(question.text)}")
        for number, (_, text) in enumerate(question.choices, start=1):
            console.print(f"  {number}. {escape(text)}")
    if show:
        return question.to_dict()
    if choice is None:
        choice = typer.prompt("Your choice (number)")
    scored = lab_path.answer_explanation(question, choice, journal=journal)
    if not quiet:
        console.print(f"  {escape(scored.explanation)}")
    return {**question.to_dict(), "result": scored.to_dict()}


@path.command("checklist")
def checklist(db: Db = None, json_out: Json = False) -> None:
    """The self-assessment checklist: each "I can..." met only with evidence in your journal.

    Example:  tinkerlab path checklist
    """
    from tinkerlab import path as lab_path

    items = lab_path.checklist(db=db)
    if json_out:
        print_json([item.to_dict() for item in items])
        return
    met = sum(item.met for item in items)
    console.print(f"[bold]Self-assessment[/]: {met} of {len(items)} backed by your journal")
    for item in items:
        if item.met:
            console.print(f" [green]✓[/] {escape(item.statement)}  [dim]{escape(item.evidence)}[/]")
        else:
            console.print(f" [dim]·[/] {escape(item.statement)}  [dim]→ {escape(item.command)}[/]")
