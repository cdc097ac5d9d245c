"""``tinkerlab project`` (new, status) and ``tinkerlab export``: the workflow and the portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tinkerlab.cli._output import Db, Json, console, print_json

project = typer.Typer(
    help=(
        "Projects on your own data, step by step: problem, data, cleaning, EDA, features, "
        "model, train, evaluate, deploy, monitor, export.\n\n"
        "Start with:  tinkerlab project new NAME --data FILE --target COLUMN"
    ),
    no_args_is_help=True,
)


@project.command("new")
def new(
    name: Annotated[str, typer.Argument(help="The project's name and folder, e.g. churn-study.")],
    data: Annotated[Path, typer.Option(help="The data file (CSV, Parquet, JSON, Excel).")],
    target: Annotated[str, typer.Option(help="The column to predict.")],
    where: Annotated[Path, typer.Option(help="The folder to make the project in.")] = Path("."),
    copy: Annotated[
        bool, typer.Option(help="Copy the data into the project (else reference it).")
    ] = True,
    source: Annotated[str, typer.Option(help="Where the data comes from (a URL, a person).")] = "",
    licence: Annotated[str, typer.Option(help="The data's licence, e.g. 'CC BY 4.0'.")] = "",
    json_out: Json = False,
) -> None:
    """Start a project: a folder with the problem to state, the data and its SHA-256, and
    each step of the workflow as a command.

    Example:  tinkerlab project new churn-study --data customers.csv --target churned
    """
    from tinkerlab.path import new_project

    made = new_project(name, data, target, where=where, copy=copy, source=source, licence=licence)
    if json_out:
        print_json({"folder": str(made.folder), "data": made.data, "sha256": made.sha256})
        return
    console.print(f"[bold]Project {escape(made.name)}[/] in {escape(str(made.folder))}")
    console.print(f"  data: {escape(made.data)} (SHA-256 {made.sha256[:12]}…)")
    console.print("  first: write the problem in problem.md, then follow the steps:")
    console.print(f"    cd {escape(str(made.folder))} && tinkerlab project status")


@project.command("status")
def status(
    folder: Annotated[Path, typer.Argument(help="The project folder.")] = Path("."),
    db: Db = None,
    json_out: Json = False,
) -> None:
    """The workflow's steps, each done or not, from your journal and the project's files.

    Example:  tinkerlab project status churn-study
    """
    from tinkerlab.path import open_project, project_status

    found = open_project(folder)
    steps = project_status(found.folder, db=db)
    if json_out:
        print_json({"project": found.name, "steps": [s.to_dict() for s in steps]})
        return
    done = sum(s.done for s in steps)
    console.print(f"[bold]{escape(found.name)}[/]: {done} of {len(steps)} steps done")
    upcoming = next((s for s in steps if not s.done), None)
    for number, step in enumerate(steps, start=1):
        if step.done:
            console.print(
                f" [green]✓[/] {number:>2}. {step.name:<9} [dim]{escape(step.evidence)}[/]"
            )
        else:
            console.print(f"   {number:>2}. {step.name:<9} [dim]→ {escape(step.command)}[/]")
    if upcoming is not None:
        console.print(f"\n[bold]Next[/]: {escape(upcoming.command)}")


def export(
    out: Annotated[Path, typer.Option(help="The folder to write (new or empty).")],
    subject: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help=(
                "A run (12, run:12), an experiment (experiment:3, e3) or a project's folder; "
                "left out inside a project's folder, that project."
            ),
            show_default=False,
        ),
    ] = None,
    project_dir: Annotated[
        Path | None,
        typer.Option(
            "--project", help="For a run or experiment: a project folder (problem, data licence)."
        ),
    ] = None,
    git: Annotated[bool, typer.Option(help="git init the folder and make a first commit.")] = False,
    author: Annotated[str | None, typer.Option(help="The name in LICENSE.")] = None,
    force: Annotated[bool, typer.Option(help="Write over a folder that is not empty.")] = False,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Export a run, an experiment or a project as a GitHub-ready portfolio folder that
    reproduces its own numbers.

    A run: README (problem, data with source and licence, approach, results with spread,
    plots, your predictions and notes), train.py and train.ipynb reading the data by a
    relative path, the model card, pinned requirements, a smoke test, .gitignore, a licence.
    An experiment: README (the values and their scores with spread, your prediction and its
    score, the chart), sweep.py that replays it, the smoke test. A project: README walking
    its workflow with the evidence, and each of its runs and experiments in a folder.

    Examples:

      tinkerlab export 12 --out ~/portfolio/titanic

      tinkerlab export experiment:3 --out ~/portfolio/titanic-depth

      tinkerlab export ./churn-study --out ../churn-portfolio --git

      cd churn-study && tinkerlab export --out ../churn-portfolio --git

      tinkerlab export 12 --out ../churn-portfolio --project . --git
    """
    from tinkerlab import path as lab_path

    done = lab_path.export(
        subject, out, project=project_dir, git=git, author=author, force=force, db=db
    )
    if json_out:
        print_json(done.to_dict())
        return
    console.print(f"[bold]Exported {done.subject}[/] to {escape(str(done.folder))}")
    console.print(
        f"  {len(done.files)} files: {escape(', '.join(f for f in done.files if '/' not in f))}"
    )
    for part in done.parts:
        console.print(f"  {escape(part)}/")
    if done.commit:
        console.print(f"  git: first commit {done.commit[:12]}")
    for notice in done.notices:
        console.print(f"  [yellow]to do[/]: {escape(notice)}")
    console.print(f"  check it: cd {escape(str(done.folder))} && python -m pytest")
