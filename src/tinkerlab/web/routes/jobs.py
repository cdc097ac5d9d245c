"""Background jobs: a page that follows one, and its event stream."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from tinkerlab.web._jobs import Job, job_events, wait_for
from tinkerlab.web._render import render

router = APIRouter()

#: Headers of every event stream: never cached, never buffered by a proxy.
STREAM_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}
#: How long a form waits for its experiment to be planned and recorded (or refused)
#: before it moves on to the job's page.
PLANNING = 30.0


async def start_recorded(job: Job, again: Callable[[str | None], Response]) -> Response:
    """Where a form that started a recorded experiment (a sweep, a comparison, a search)
    goes: the experiment's live page once recorded; the form again, with the message, if
    planning failed; the job's page if planning takes longer than :data:`PLANNING`."""
    await wait_for(job, lambda j: j.experiment_id is not None or j.ended, PLANNING)
    if job.experiment_id is not None:
        return RedirectResponse(f"/experiments/{job.experiment_id}", status_code=303)
    if job.status == "failed":
        return again(job.error or "It could not start.")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    """Progress of one job; the page moves on to the result when it is done."""
    from tinkerlab.web._charts import epoch_chart

    job = request.app.state.jobs.get(job_id)
    live = job.kind in ("run", "tinker") and not job.ended  # a net's epochs may stream
    return render(
        request, "job.html", job=job, charts=live, epochs_spec=epoch_chart([]) if live else None
    )


@router.get("/jobs/{job_id}/events")
def job_stream(request: Request, job_id: str) -> StreamingResponse:
    """Server-sent events: ``progress`` as it goes, then ``done`` or ``failed``."""
    job = request.app.state.jobs.get(job_id)
    return StreamingResponse(
        job_events(job), media_type="text/event-stream", headers=STREAM_HEADERS
    )
