"""Feedback: the feedback analyser on a chosen text column (``tinkerlab feedback``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tinkerlab.exceptions import NotFoundError, TinkerlabError
from tinkerlab.options import speaking
from tinkerlab.web import _uploads
from tinkerlab.web._app import journal
from tinkerlab.web._choices import Choices, load_cached
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._jobs import Job, wait_for
from tinkerlab.web._render import render

router = APIRouter()


@router.get("/feedback")
def feedback_page(request: Request, dataset: str = "reviews", error: str = "") -> Response:
    """Choose the texts (and, if there is one, a column of labels); earlier analyses."""
    config = request.app.state.config
    choices = Choices(config.folder("uploads"))
    columns: list[Any] = []
    problems = [error] if error else []
    try:
        with speaking("web"):
            data = load_cached(_uploads.resolve(config.folder("uploads"), dataset))
        columns = list(data.columns.values())
    except TinkerlabError as failure:
        problems.append(str(failure))
    context: dict[str, Any] = {
        "datasets": choices.datasets(),
        "dataset": dataset,
        "columns": columns,
        "texts": [c.name for c in columns if c.role == "text"],
        "analyses": journal(request).analyses("feedback", limit=20),
        "problems": problems,
    }
    return render(request, "feedback.html", **context)


@router.post("/feedback", dependencies=[Depends(require_csrf)])
async def feedback_start(
    request: Request,
    dataset: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
    search: Annotated[str, Form()] = "",
    sample: Annotated[str, Form()] = "",
) -> Response:
    """Analyse in the background; the report is recorded in the journal."""
    config = request.app.state.config
    with speaking("web"):
        source = _uploads.resolve(config.folder("uploads"), dataset)
    try:
        rows = int(sample) if sample.strip() else None
    except ValueError:
        rows = -1
    if rows is not None and rows < 10:
        return feedback_page(
            request, dataset, "Sample must be a whole number of rows, at least 10."
        )

    def work(job: Job) -> str:
        from tinkerlab import _api

        job.update(what="reading the texts")
        report = _api.feedback(
            source,
            text or None,
            label or False,
            db=config.journal,
            search=search.strip() or None,
            sample=rows,
            progress=lambda what: job.update(what=what),
        )
        return f"/feedback/{report.id}"

    shown = _uploads.shown_choice(config.folder("uploads"), dataset)
    job = request.app.state.jobs.submit("feedback", f"Feedback in {shown}", work)
    await wait_for(job, lambda j: j.ended, 2.0)
    if job.status == "failed":
        return feedback_page(request, dataset, job.error or "The analysis failed.")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/feedback/{analysis_id}")
def analysis_page(request: Request, analysis_id: int) -> Response:
    """One recorded analysis: its headline, its numbers, a link to the whole report."""
    entry = journal(request).get_analysis(analysis_id)
    return render(request, "analysis.html", entry=entry, summary=entry.summary)


@router.get("/feedback/{analysis_id}/report")
def analysis_report(request: Request, analysis_id: int) -> HTMLResponse:
    """The analyser's own HTML report (self-contained, no script)."""
    entry = journal(request).get_analysis(analysis_id)
    report = next((p for p in entry.file_paths if p.name == "feedback.html"), None)
    if report is None or not report.is_file():
        raise NotFoundError(f"Analysis #{analysis_id} has no report file.")
    return HTMLResponse(report.read_text(encoding="utf-8"))
