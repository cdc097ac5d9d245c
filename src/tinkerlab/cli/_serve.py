"""``tinkerlab save / serve / predict / monitor / demo drift``: ship a model as a service."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import Json, console, errors, print_json, progress

if TYPE_CHECKING:
    from tinkerlab.serve import Artifact
    from tinkerlab.serve._generate import GenerationModel

_TokenFile = Annotated[
    Path | None,
    typer.Option(help="A file holding the bearer token (default: $TINKERLAB_TOKEN)."),
]


def save(
    run_id: Annotated[int, typer.Argument(help="The run's number in the journal.")],
    path: Annotated[Path, typer.Argument(help="The artifact directory to create.")],
    force: Annotated[bool, typer.Option(help="Replace an existing artifact directory.")] = False,
    db: Annotated[str | None, typer.Option(help="Journal database URL.")] = None,
    json_out: Json = False,
) -> None:
    """Save a recorded run as a servable artifact (retrains it on the same data).

    The journal keeps recipes and scores, not models, so the run is executed again with
    its seed after checking the data's SHA-256 is the one the run saw.

    Example:  tinkerlab save 3 models/titanic
    """
    from tinkerlab.serve import save_journal_run

    with progress(not json_out, total=6) as step:
        step(f"retraining run #{run_id}")
        saved = save_journal_run(run_id, path, db=db, overwrite=force, progress=step)
    if json_out:
        print_json({"path": str(saved.path), "run_id": run_id, "notices": saved.notices})
        return
    for notice in saved.notices:
        console.print(f"[yellow]note:[/] {escape(notice)}")
    _saved_message(saved.path)


def _saved_message(path: Path) -> None:
    console.print(
        f"Saved the model to [bold]{escape(str(path))}[/] (model.skops, meta.json, "
        f"model-card.md).\nServe it with:  tinkerlab serve {escape(str(path))}"
    )


# The options of `serve` that need more than a line, named once here.
_ServedPath = Annotated[
    Path,
    typer.Argument(
        help="An artifact directory (from --save or save), a language model directory "
        "(autocomplete train: POST /generate) or a fine-tuned classifier (finetune)."
    ),
]
_MaxWaitMs = Annotated[float, typer.Option(help="How long a lone request waits for others (ms).")]
_MaxBodyBytes = Annotated[int, typer.Option(help="Larger request bodies get a 413.")]
_BodyTimeout = Annotated[
    float, typer.Option(help="Seconds a request body may take to arrive; then 408, closed.")
]
_MonitorDir = Annotated[
    Path | None, typer.Option(help="Where the prediction log goes (default: ARTIFACT/monitor).")
]
_Sample = Annotated[
    float, typer.Option(help="Share of rows kept in the prediction log; 0 turns it off.")
]


def serve(
    path: _ServedPath,
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond loopback a token is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token_file: _TokenFile = None,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the model).")] = 1,
    trust: Annotated[
        list[str] | None,
        typer.Option(help="Trust a type the artifact holds, as the refusal names it; repeat."),
    ] = None,
    batch: Annotated[bool, typer.Option(help="Micro-batch concurrent requests.")] = True,
    max_batch: Annotated[int, typer.Option(help="Most rows in one call of the model.")] = 64,
    max_wait_ms: _MaxWaitMs = 2.0,
    max_body_bytes: _MaxBodyBytes = 2_000_000,
    body_timeout: _BodyTimeout = 10.0,
    monitor_dir: _MonitorDir = None,
    sample: _Sample = 1.0,
    access_log: Annotated[bool, typer.Option(help="One JSON line per request on stderr.")] = True,
    json_out: Json = False,
) -> None:
    """Serve a saved model as a REST service: /predict, /health, /metadata, /metrics, /drift.

    Listens on 127.0.0.1 (this machine only) unless --host says otherwise, which then
    needs a token. API docs (offline) at /docs. A language model directory (from
    tinkerlab autocomplete train, or any local Hugging Face causal LM) is served as a
    text-generation service: POST /generate.

    Examples:

      tinkerlab serve models/titanic

      tinkerlab serve models/ac

      tinkerlab serve models/titanic --host 0.0.0.0 --token-file secret.txt --workers 2
    """
    from tinkerlab.serve import ServeConfig
    from tinkerlab.serve._security import read_token
    from tinkerlab.serve._server import serve as run_server

    token = read_token(token_file)
    config = ServeConfig(
        token=token,
        batch=batch,
        max_batch=max_batch,
        max_wait_ms=max_wait_ms,
        max_body_bytes=max_body_bytes,
        body_timeout_s=body_timeout,
        monitor_dir=monitor_dir,
        sample=sample,
        access_log=access_log,
    )

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # version differences are shown as notices instead
        run_server(
            path,
            config,
            host=host,
            port=port,
            workers=workers,
            trusted=tuple(trust or ()),
            on_ready=functools.partial(
                _announce,
                host=host,
                port=port,
                workers=workers,
                token=token is not None,
                json_out=json_out,
            ),
        )


def _announce(
    served: Artifact | GenerationModel,
    *,
    host: str,
    port: int,
    workers: int,
    token: bool,
    json_out: bool,
) -> None:
    """What `serve` says once the model is loaded and checked, before it listens."""
    shown = "127.0.0.1" if host in ("localhost",) else host
    url = f"http://{shown}:{port}"
    if json_out:
        print_json(
            {
                "url": url,
                "model_id": served.model_id,
                "model_version": served.version,
                "workers": workers,
                "token": token,
                "notices": served.notices,
            }
        )
        return
    for notice in served.notices:
        errors.print(f"[yellow]note:[/] {escape(notice)}")
    errors.print(
        f"Serving [bold]{escape(served.model_id)}[/] (version {served.version}) at "
        f"[bold]{escape(url)}[/] · docs {escape(url)}/docs · "
        + ("token required" if token else "no token (loopback only)")
        + f" · {workers} worker(s) · Ctrl-C stops"
    )


def predict(
    url: Annotated[str, typer.Argument(help="The service, e.g. http://127.0.0.1:8000")],
    file: Annotated[
        Path | None,
        typer.Option(help="Rows to predict: CSV, Parquet, JSON lines, JSON or Excel."),
    ] = None,
    json_in: Annotated[
        str | None,
        typer.Option("--json", help='Rows as JSON text: {"col": value} or a list of them.'),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the predictions here (.csv or .json).")
    ] = None,
    output: Annotated[
        str, typer.Option(help="What to print: table, json (for scripts) or csv.")
    ] = "table",
    batch_size: Annotated[int, typer.Option(help="Rows per request.")] = 500,
    token_file: _TokenFile = None,
) -> None:
    """Send rows to a model service and show (or save) its predictions.

    Columns the model does not use (ids, the target) are left out; the output keeps the
    input's row order. Use --output json for scripts (--json is the input here).

    Examples:

      tinkerlab predict http://127.0.0.1:8000 --file new_passengers.csv

      tinkerlab predict http://127.0.0.1:8000 --json '{"sex": "female", "age": 29}'
    """
    import json

    from tinkerlab.exceptions import UsageError
    from tinkerlab.serve import Client
    from tinkerlab.serve._security import read_token

    if (file is None) == (json_in is None):
        raise UsageError(
            "Give the rows either with --file FILE or with --json TEXT (one of them). "
            'Example: --json \'{"sex": "female"}\''
        )
    if output not in ("table", "json", "csv"):
        raise UsageError(f"--output must be table, json or csv. Got {output!r} instead.")
    if batch_size < 1:
        raise UsageError(f"--batch-size must be at least 1. Got {batch_size} instead.")
    frame = _read_rows(file) if file is not None else _json_rows(json_in or "")
    with Client(url, token=read_token(token_file), batch_size=batch_size) as client:
        result = client.predict(frame)
        unused = client.unused_columns
    if out is not None:
        if out.suffix.lower() == ".json":
            out.write_text(result.to_json(orient="records", indent=1), encoding="utf-8")
        else:
            result.to_csv(out, index=False)
    if output == "json":
        print_json(json.loads(result.to_json(orient="records")))
        return
    if output == "csv":
        import sys

        result.to_csv(sys.stdout, index=False)
        return
    _render_predictions(result, unused, out)


def _read_rows(path: Path) -> Any:
    """A table from a file, by its extension (CSV delimiter sniffed)."""
    import pandas as pd

    from tinkerlab.exceptions import UsageError

    if not path.is_file():
        raise UsageError(f"No file {str(path)!r}. Fix: check the path.")
    name = path.name.lower().removesuffix(".gz")
    try:
        if name.endswith(".parquet"):
            return pd.read_parquet(path)
        if name.endswith((".jsonl", ".ndjson")):
            return pd.read_json(path, lines=True)
        if name.endswith(".json"):
            return pd.read_json(path)
        if name.endswith((".xlsx", ".xls")):
            return pd.read_excel(path)
        return pd.read_csv(path, sep=None, engine="python")
    except Exception as error:  # pandas raises many types
        raise UsageError(
            f"Cannot read {str(path)!r} as a table: {error}. Fix: a CSV with a header line, or "
            "Parquet, JSON lines, JSON or Excel."
        ) from None


def _json_rows(text: str) -> Any:
    import json

    import pandas as pd

    from tinkerlab.exceptions import UsageError

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f'--json is not valid JSON ({error}). Example: --json \'{{"sex": "female"}}\''
        ) from None
    rows = [data] if isinstance(data, dict) else data
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise UsageError("--json must be an object or a non-empty list of objects.")
    return pd.DataFrame(rows)


def _render_predictions(result: Any, unused: list[str], out: Path | None) -> None:
    from rich.table import Table

    if unused:
        console.print(
            f"[dim]Not sent (the model does not use them): {escape(', '.join(unused))}[/]"
        )
    table = Table(title=f"{len(result)} predictions", title_justify="left")
    table.add_column("row", justify="right")
    for column in result.columns:
        table.add_column(escape(str(column)), justify="right")
    for index, row in list(result.iterrows())[:50]:
        table.add_row(str(index), *(_cell(v) for v in row.tolist()))
    console.print(table)
    if len(result) > 50:
        console.print(f"[dim]… {len(result) - 50} more rows (--out FILE keeps them all)[/]")
    if out is not None:
        console.print(f"Wrote {escape(str(out))}")


def _cell(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else escape(str(value))


def monitor(
    url: Annotated[str, typer.Argument(help="The service, e.g. http://127.0.0.1:8000")],
    window: Annotated[int, typer.Option(help="Compare this many recent rows.")] = 1000,
    token_file: _TokenFile = None,
    fail_on_drift: Annotated[
        bool, typer.Option(help="Exit with code 1 when the drift alarm is on (for cron/CI).")
    ] = False,
    json_out: Json = False,
) -> None:
    """Drift of the rows a service received lately against its training data.

    Per feature: PSI (binned numbers, categories) and a KS test (numbers); the same for
    the predictions. PSI above 0.25 or a clear KS gap is drift; 0.1-0.25 is worth watching.

    Example:  tinkerlab monitor http://127.0.0.1:8000 --window 500
    """
    from tinkerlab.serve import Client
    from tinkerlab.serve._security import read_token

    with Client(url, token=read_token(token_file)) as client:
        report = client.drift(window=window)
    if json_out:
        print_json(report)
    else:
        render_drift(report)
    if fail_on_drift and report.get("alarm"):
        raise typer.Exit(1)


def render_drift(report: dict[str, Any], title: str | None = None) -> None:
    """The drift report as a table, alarm first."""
    from rich.table import Table

    if "message" in report and not report.get("features"):
        console.print(escape(report["message"]))
        return
    rows = report["rows"]
    head = (
        title
        or f"Drift: the last {rows} served rows against {report['reference_rows']} training rows"
    )
    if not report["enough_rows"]:
        console.print(
            f"[yellow]Only {rows} rows logged (at least {report['thresholds']['min_rows']} are "
            "needed for an alarm); send more traffic.[/]"
        )
    table = Table(title=head, title_justify="left")
    for column in ("input", "kind", "PSI", "KS D", "KS p", "change", "status"):
        table.add_column(
            column, justify="left" if column in ("input", "kind", "change") else "right"
        )
    colours = {"drift": "bold red", "watch": "yellow", "ok": "green"}
    for f in [*report["features"], {"name": "(prediction)", "kind": "", **report["prediction"]}]:
        if "largest_change" in f:
            c = f["largest_change"]
            change = f"{c['value']}: {c['reference_share']:.0%} → {c['live_share']:.0%}"
        elif f.get("live_mean") is not None and f.get("reference_mean") is not None:
            change = f"mean {f['reference_mean']:.4g} → {f['live_mean']:.4g}"
        else:
            change = ""
        ks_d = f.get("ks_statistic")
        ks_p = f.get("ks_pvalue")
        table.add_row(
            escape(str(f["name"])),
            f["kind"],
            f"{f['psi']:.3f}",
            f"{ks_d:.3f}" if ks_d is not None else "",
            f"{ks_p:.2g}" if ks_p is not None else "",
            escape(change),
            f"[{colours[f['status']]}]{f['status']}[/]",
        )
    console.print(table)
    if report["alarm"]:
        drifted = ", ".join(report["drifted"]) or "the predictions"
        console.print(f"[bold red]ALARM:[/] drift in {escape(drifted)}.")
    elif report["enough_rows"]:
        watch = report.get("watch") or []
        extra = f" (worth watching: {escape(', '.join(watch))})" if watch else ""
        console.print(f"[green]No drift alarm.[/]{extra}")


demo = typer.Typer(
    help="Short end-to-end demonstrations.\n\nExample:  tinkerlab demo drift",
    no_args_is_help=True,
)


@demo.command("drift")
def demo_drift(
    dataset: Annotated[str, typer.Option(help="A built-in classification dataset.")] = "titanic",
    rows: Annotated[int, typer.Option(help="Rows of normal, then of shifted traffic.")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the model and of the traffic.")] = 0,
    json_out: Json = False,
) -> None:
    """Train, serve on a loopback port, send normal then shifted traffic: see the alarm.

    Everything stays on 127.0.0.1 and in a temporary folder; the traffic is bounded.

    Example:  tinkerlab demo drift --dataset penguins
    """
    from tinkerlab.serve._demo import drift_demo

    with progress(not json_out, total=4) as step:
        result = drift_demo(dataset, rows=rows, seed=seed, say=step)
    if json_out:
        print_json(result)
        return
    console.print(
        f"Trained and served [bold]{escape(dataset)}[/] at {escape(result['url'])} "
        f"(artifact: {escape(result['artifact'])}).\n"
    )
    render_drift(result["normal"], f"1. {rows} normal rows (from the held-out test split)")
    console.print()
    shift = "; ".join(result["shift"])
    render_drift(result["shifted"], f"2. {rows} shifted rows ({shift})")
