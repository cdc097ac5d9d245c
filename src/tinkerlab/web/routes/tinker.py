"""Tinker: one knob, a prediction first, the curve growing live, then the reveal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from tinkerlab.exceptions import UsageError
from tinkerlab.options import speaking
from tinkerlab.web._app import journal
from tinkerlab.web._command import add_form_pages, form_context, settle_posted, values_of
from tinkerlab.web._experiments import (
    curve_spec,
    experiment_events,
    is_comparison,
    is_search,
    leaderboard_rows,
    point_payload,
    prediction_lines,
    search_rows,
    tinker_job,
    trains_epochs,
)
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._render import render
from tinkerlab.web._try import with_links
from tinkerlab.web._uploads import shown_choice
from tinkerlab.web.routes.jobs import STREAM_HEADERS, start_recorded

if TYPE_CHECKING:
    from tinkerlab.journal import ExperimentEntry

router = APIRouter()
add_form_pages(router, "tinker", "tinker.html")


@router.post("/tinker", dependencies=[Depends(require_csrf)])
async def tinker_start(request: Request) -> Response:
    """Refuse to start without a prediction; then sweep in the background, recorded."""
    form = await request.form()
    values = values_of("tinker", form)

    def again(message: str | None, knobs: dict[str, str] | None = None) -> Response:
        context = form_context(request, "tinker", values, knobs_posted=knobs, error=message)
        return render(request, "tinker.html", status_code=422, **context)

    if not values.get("predict"):
        return again(
            "Predict first: before the sweep runs, say what the validation score will do "
            "(up, down, peak, valley, flat, or differs for a knob without an order). Being "
            "wrong is how the lesson sticks. Fix: choose a shape under Your prediction."
        )
    try:
        settings, knobs = settle_posted(request, "tinker", form)
    except UsageError as error:
        return again(str(error))
    shown = shown_choice(request.app.state.config.folder("uploads"), str(values.get("dataset", "")))
    title = f"Tinker: {settings.knob} on {shown}"
    config = request.app.state.config
    why = str(form.get("prediction_why") or "").strip()[:2000]
    job = request.app.state.jobs.submit("tinker", title, tinker_job(settings, config, why))
    return await start_recorded(job, lambda message: again(message, knobs))


@router.get("/experiments/{experiment_id}")
def experiment_page(request: Request, experiment_id: int) -> Response:
    """The live view while it runs; the reveal once it finished."""
    store = journal(request)
    entry = store.get_experiment(experiment_id)
    if is_search(entry):
        return _search_page(request, entry)
    payloads = [point_payload(entry, p) for p in entry.points]
    job = request.app.state.jobs.for_experiment(experiment_id)
    unlocked = [u for u in store.unlocks() if u.source == f"experiment #{experiment_id}"]
    context: dict[str, Any] = {
        "entry": entry,
        "payloads": payloads,
        "job": job,
        "charts": True,
        "comparison": is_comparison(entry),
        "prediction": prediction_lines(entry.prediction),
        "phenomena": with_links(
            entry.summary.get("phenomena", []), request.app.state.config.folder("uploads")
        ),
        "unlocked": unlocked,
        "questions": store.questions(experiment_id=experiment_id),
        "notes": store.experiment_notes(experiment_id),
    }
    if context["comparison"]:
        from tinkerlab.web import _charts

        board = leaderboard_rows(entry)
        context["board"] = board
        shown = [r for r in board if r.get("mean") is not None]
        metric = entry.spec.get("metric", "")
        higher = bool(entry.summary.get("higher_is_better", metric not in ("mae", "rmse")))
        context["board_spec"] = _charts.leaderboard_chart(shown, metric, higher_is_better=higher)
    else:
        context["curve"] = curve_spec(entry, payloads)
    if job is not None and not job.ended and trains_epochs(entry.model):
        from tinkerlab.web import _charts

        context["epochs_spec"] = _charts.epoch_chart([])  # the stream sends every epoch
    return render(request, "experiment.html", **context)


def _search_page(request: Request, entry: ExperimentEntry) -> Response:
    """A search: its progress while it races; then the chart, the best and its lead."""
    store = journal(request)
    return render(
        request,
        "search_experiment.html",
        entry=entry,
        job=request.app.state.jobs.for_experiment(entry.id),
        charts=True,
        rows=search_rows(entry),
        notes=store.experiment_notes(entry.id),
        questions=store.questions(experiment_id=entry.id),
    )


@router.get("/experiments/{experiment_id}/plots/{name}")
def experiment_plot(request: Request, experiment_id: int, name: str) -> Response:
    """One of the experiment's plot files (only its own, by name)."""
    from fastapi.responses import FileResponse

    from tinkerlab.exceptions import NotFoundError

    entry = journal(request).get_experiment(experiment_id)
    path = next((p for p in entry.plot_paths if p.name == name), None)
    if path is None or not path.is_file():
        raise NotFoundError(f"Experiment #{experiment_id} has no plot {name!r}.")
    return FileResponse(path, media_type="image/png")


@router.get("/experiments/{experiment_id}/events")
def experiment_stream(request: Request, experiment_id: int) -> StreamingResponse:
    """Server-sent events: ``point`` as each is committed, ``done`` when it stops."""
    store = journal(request)
    store.get_experiment(experiment_id)  # a 404 now, not inside the stream
    events = experiment_events(store, experiment_id, request.app.state.jobs)
    return StreamingResponse(events, media_type="text/event-stream", headers=STREAM_HEADERS)


@router.post("/experiments/{experiment_id}/questions", dependencies=[Depends(require_csrf)])
def ask_why(request: Request, experiment_id: int, text: Annotated[str, Form()] = "") -> Response:
    """Ask "why?" about an experiment: the cards that answer it are kept with it."""
    from tinkerlab.insight import search

    with speaking("web"):
        hits = search(text) if text.strip() else []
        journal(request).add_question(
            text, experiment_id=experiment_id, cards=[h.card.id for h in hits]
        )
    return RedirectResponse(f"/experiments/{experiment_id}#why", status_code=303)


@router.post("/experiments/{experiment_id}/notes", dependencies=[Depends(require_csrf)])
def add_note(request: Request, experiment_id: int, text: Annotated[str, Form()] = "") -> Response:
    """Write a note about an experiment, in the journal (``journal note e2`` on the CLI)."""
    journal(request).add_experiment_note(experiment_id, text)
    return RedirectResponse(f"/experiments/{experiment_id}#notes", status_code=303)
