"""Ship: save a run as an artifact, start and stop its service, try it, watch for drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tinkerlab.exceptions import NotFoundError, TinkerlabError
from tinkerlab.web._app import journal
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._jobs import Job, wait_for
from tinkerlab.web._render import render, trusted_html

router = APIRouter()

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
#: How long the save form waits for the artifact before moving on to the job's page.
SAVING = 20.0


def _models_dir(request: Request) -> Path:
    folder: Path = request.app.state.config.folder("models")
    return folder


def artifact_dir(request: Request, name: str) -> Path:
    """The folder of artifact *name*, only inside the lab's models folder."""
    folder = _models_dir(request) / name
    if not _NAME.match(name) or not (folder / "meta.json").is_file():
        raise NotFoundError(f"No saved model {name!r}. Fix: save a run on the Ship page.")
    return folder


@router.get("/ship")
def ship_page(request: Request) -> Response:
    """Saved models with their service's state; the runs that can be saved."""
    import json

    saved = []
    for folder in sorted(_models_dir(request).iterdir()):
        meta_file = folder / "meta.json"
        if folder.is_dir() and meta_file.is_file():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            service = request.app.state.services.get(folder.name)
            saved.append({"name": folder.name, "meta": meta, "service": service})
    context: dict[str, Any] = {"saved": saved, "runs": journal(request).list_runs(limit=20)}
    return render(request, "ship.html", **context)


@router.post("/ship/save", dependencies=[Depends(require_csrf)])
async def save(request: Request, run_id: Annotated[int, Form()]) -> Response:
    """Train the recorded run again on the same data and save it (``tinkerlab save``)."""
    from tinkerlab.web._uploads import clean_name

    entry = journal(request).get_run(run_id)
    name = clean_name(f"{entry.dataset}-{entry.model}-run{entry.id}").replace(".", "-")
    target = _models_dir(request) / name
    config = request.app.state.config

    def work(job: Job) -> str:
        from tinkerlab.serve import save_journal_run

        job.update(what="training the recorded recipe again on the same data", total=6)
        save_journal_run(run_id, target, db=config.journal, overwrite=True, progress=job.step)
        return f"/ship/{name}"

    job = request.app.state.jobs.submit("save", f"Save run #{run_id} as {name}", work)
    await wait_for(job, lambda j: j.ended, SAVING)
    if job.status == "done" and job.url:
        return RedirectResponse(job.url, status_code=303)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/ship/{name}")
def model_page(request: Request, name: str) -> Response:
    """The model card, the service's state, the try-it form and the drift panel."""
    from tinkerlab.insight import markdown_html
    from tinkerlab.serve import load_artifact

    folder = artifact_dir(request, name)
    artifact = load_artifact(folder)
    service = request.app.state.services.get(name)
    drift = None
    if service is not None:
        drift = _drift(service.url)
    context: dict[str, Any] = {
        "name": name,
        "artifact": artifact,
        "columns": artifact.schema.columns,
        "card": trusted_html(markdown_html(artifact.card)),
        "service": service,
        "drift": drift,
    }
    return render(request, "model.html", **context)


def _drift(url: str) -> dict[str, Any] | None:
    from tinkerlab.serve import Client

    try:
        report: dict[str, Any] = Client(url).drift()
        return report
    except TinkerlabError:
        return None


@router.post("/ship/{name}/start", dependencies=[Depends(require_csrf)])
async def start(request: Request, name: str) -> Response:
    """Start ``tinkerlab serve`` on the artifact (loopback only, a port of its own)."""
    import asyncio

    folder = artifact_dir(request, name)
    await asyncio.to_thread(request.app.state.services.start, name, folder)
    return RedirectResponse(f"/ship/{name}#service", status_code=303)


@router.post("/ship/{name}/stop", dependencies=[Depends(require_csrf)])
def stop(request: Request, name: str) -> Response:
    """Stop the artifact's service."""
    artifact_dir(request, name)
    request.app.state.services.stop(name)
    return RedirectResponse(f"/ship/{name}#service", status_code=303)


@router.post("/ship/{name}/predict", dependencies=[Depends(require_csrf)])
async def try_it(request: Request, name: str) -> Response:
    """Send the try-it form's row to the running service; show its answer."""
    import asyncio

    from tinkerlab.serve import Client, load_artifact

    folder = artifact_dir(request, name)
    service = request.app.state.services.get(name)
    form = await request.form()
    artifact = load_artifact(folder)
    row = {c.name: _typed(c, form.get(f"col.{c.name}")) for c in artifact.schema.columns}
    context: dict[str, Any] = {"answer": None, "error": None, "row": row}
    if service is None:
        context["error"] = "The service is not running. Fix: start it above, then try again."
    else:
        try:
            context["answer"] = await asyncio.to_thread(Client(service.url).predict, row)
        except TinkerlabError as error:
            context["error"] = str(error)
    return render(request, "_answer.html", **context)


def _typed(column: Any, value: Any) -> Any:
    """A form's text as the service's schema wants it: a number, a known category, text."""
    text = value.strip() if isinstance(value, str) else ""
    if text == "":
        return "" if column.kind == "text" else None
    if column.kind == "numeric":
        try:
            return float(text)
        except ValueError:
            return text  # the service answers 422 and says why
    if column.kind == "categorical":
        return next((c for c in column.categories if str(c) == text), text)
    return text
