"""Compare: every model on the same folds within a time budget; the leaderboard fills in live."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from tinkerlab.exceptions import UsageError
from tinkerlab.web._command import form_context, settle_posted, values_of
from tinkerlab.web._experiments import compare_job
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._jobs import wait_for
from tinkerlab.web._render import render
from tinkerlab.web._uploads import shown_choice

router = APIRouter()

#: How long the form waits for the comparison to be recorded (or refused).
PLANNING = 30.0


@router.get("/compare")
def compare_page(request: Request) -> Response:
    """The compare form, filled from the query string."""
    values = values_of("compare", request.query_params)
    return render(request, "compare.html", **form_context(request, "compare", values))


@router.get("/compare/form")
def compare_form(request: Request) -> Response:
    """The form alone, redrawn by htmx when the dataset or target changes."""
    values = values_of("compare", request.query_params)
    return render(request, "_command_form.html", **form_context(request, "compare", values))


@router.post("/compare", dependencies=[Depends(require_csrf)])
async def compare_start(request: Request) -> Response:
    """Settle the form like ``tinkerlab compare``; the leaderboard runs in the background."""
    form = await request.form()
    values = values_of("compare", form)
    try:
        settings, _ = settle_posted(request, "compare", form)
    except UsageError as error:
        context = form_context(request, "compare", values, error=str(error))
        return render(request, "compare.html", status_code=422, **context)
    config = request.app.state.config
    shown = shown_choice(request.app.state.config.folder("uploads"), str(values.get("dataset", "")))
    title = f"Compare models on {shown}"
    job = request.app.state.jobs.submit("compare", title, compare_job(settings, config))
    await wait_for(job, lambda j: j.experiment_id is not None or j.ended, PLANNING)
    if job.experiment_id is not None:
        return RedirectResponse(f"/experiments/{job.experiment_id}", status_code=303)
    if job.status == "failed":
        context = form_context(request, "compare", values, error=job.error)
        return render(request, "compare.html", status_code=422, **context)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
