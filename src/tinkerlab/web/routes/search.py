"""Search: several knobs of one model at once, raced; the heat map, the best and its lead."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from tinkerlab.exceptions import UsageError
from tinkerlab.web._app import journal
from tinkerlab.web._command import (
    add_form_pages,
    form_context,
    searched_words,
    settle_posted,
    values_of,
)
from tinkerlab.web._experiments import is_search, search_job
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._render import render
from tinkerlab.web._uploads import shown_choice
from tinkerlab.web.routes.jobs import start_recorded

router = APIRouter()
add_form_pages(router, "search", "search.html")


@router.post("/search", dependencies=[Depends(require_csrf)])
async def search_start(request: Request) -> Response:
    """Settle the form like ``tinkerlab search``; the race runs in the background."""
    form = await request.form()
    values = values_of("search", form)

    def again(message: str | None, knobs: dict[str, str] | None = None) -> Response:
        searched = searched_words(request, form)
        context = form_context(
            request, "search", values, knobs_posted=knobs, searched=searched, error=message
        )
        return render(request, "search.html", status_code=422, **context)

    try:
        settings, knobs = settle_posted(request, "search", form)
    except UsageError as error:
        return again(str(error))
    shown = shown_choice(request.app.state.config.folder("uploads"), str(values.get("dataset", "")))
    title = (
        f"Search: {', '.join(settings.knobs or {})} of {settings.model or 'the model'} on {shown}"
    )
    job = request.app.state.jobs.submit(
        "search", title, search_job(settings, request.app.state.config)
    )
    return await start_recorded(job, lambda message: again(message, knobs))


@router.get("/experiments/{experiment_id}/script.py")
def search_script(request: Request, experiment_id: int) -> Response:
    """A finished search's best setting as the script ``tinkerlab run`` would write."""
    from tinkerlab.exceptions import NotFoundError

    entry = journal(request).get_experiment(experiment_id)
    script: Any = entry.summary.get("script") if is_search(entry) else None
    if not script:
        raise NotFoundError(
            f"Experiment #{experiment_id} has no script: only a finished search keeps its "
            "best setting's script. Fix: open the experiment's page to see where it stands."
        )
    name = f"search-{experiment_id}.py"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return PlainTextResponse(str(script), media_type="text/x-python", headers=headers)
