"""Run: dataset, target, model and knobs from the declarations; the run as a job."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from tinkerlab.exceptions import UsageError
from tinkerlab.web._command import add_form_pages, form_context, settle_posted, values_of
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._jobs import wait_for
from tinkerlab.web._render import render
from tinkerlab.web._runs import run_job
from tinkerlab.web._uploads import shown_choice

router = APIRouter()
add_form_pages(router, "run", "run.html")

#: How long the form waits for a job to fail at once (a bad target, a bad knob value)
#: before it moves on to the job's page: most mistakes show on the form itself.
EARLY = 3.0


@router.post("/run", dependencies=[Depends(require_csrf)])
async def run_start(request: Request) -> Response:
    """Settle the form like ``tinkerlab run`` settles its flags, then train in the background."""
    form = await request.form()
    values = values_of("run", form)
    try:
        settings, knobs = settle_posted(request, "run", form)
    except UsageError as error:
        context = form_context(request, "run", values, error=str(error))
        return render(request, "run.html", status_code=422, **context)
    config = request.app.state.config
    shown = shown_choice(request.app.state.config.folder("uploads"), str(values.get("dataset", "")))
    title = f"Run: {settings.model or 'default model'} on {shown}"
    job = request.app.state.jobs.submit("run", title, run_job(settings, config))
    await wait_for(job, lambda j: j.ended, EARLY)
    if job.status == "failed":
        context = form_context(request, "run", values, knobs_posted=knobs, error=job.error)
        return render(request, "run.html", status_code=422, **context)
    if job.status == "done" and job.url:
        return RedirectResponse(job.url, status_code=303)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
