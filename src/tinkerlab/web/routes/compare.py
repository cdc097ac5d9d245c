"""Compare: every model on the same folds within a time budget; the leaderboard fills in live."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tinkerlab.exceptions import UsageError
from tinkerlab.web._command import add_form_pages, form_context, settle_posted, values_of
from tinkerlab.web._experiments import compare_job
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._render import render
from tinkerlab.web._uploads import shown_choice
from tinkerlab.web.routes.jobs import start_recorded

router = APIRouter()
add_form_pages(router, "compare", "compare.html")


@router.post("/compare", dependencies=[Depends(require_csrf)])
async def compare_start(request: Request) -> Response:
    """Settle the form like ``tinkerlab compare``; the leaderboard runs in the background."""
    form = await request.form()
    values = values_of("compare", form)

    def again(message: str | None) -> Response:
        context = form_context(request, "compare", values, error=message)
        return render(request, "compare.html", status_code=422, **context)

    try:
        settings, _ = settle_posted(request, "compare", form)
    except UsageError as error:
        return again(str(error))
    config = request.app.state.config
    shown = shown_choice(request.app.state.config.folder("uploads"), str(values.get("dataset", "")))
    title = f"Compare models on {shown}"
    job = request.app.state.jobs.submit("compare", title, compare_job(settings, config))
    return await start_recorded(job, again)
