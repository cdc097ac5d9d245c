"""Background jobs: a page that follows one, and its event stream."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from tinkerlab.web._jobs import job_events
from tinkerlab.web._render import render

router = APIRouter()

#: Headers of every event stream: never cached, never buffered by a proxy.
STREAM_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    """Progress of one job; the page moves on to the result when it is done."""
    job = request.app.state.jobs.get(job_id)
    return render(request, "job.html", job=job)


@router.get("/jobs/{job_id}/events")
def job_stream(request: Request, job_id: str) -> StreamingResponse:
    """Server-sent events: ``progress`` as it goes, then ``done`` or ``failed``."""
    job = request.app.state.jobs.get(job_id)
    return StreamingResponse(
        job_events(job), media_type="text/event-stream", headers=STREAM_HEADERS
    )
