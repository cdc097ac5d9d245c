"""Home: what to do next (the path's next lab, checked against the journal), recent work,
the prediction record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web import _charts
from tinkerlab.web._app import journal
from tinkerlab.web._render import render

router = APIRouter()


@router.get("/")
def home(request: Request) -> Response:
    """The learner's loop, what they did last, and how good their predictions are."""
    from tinkerlab import path
    from tinkerlab.experiment import summarize_predictions

    store = journal(request)
    runs = store.list_runs(limit=5)
    experiments = store.list_experiments(limit=5)
    predictions = store.predictions()
    record = summarize_predictions(predictions)
    step = path.next_step(store)  # the same next lab as `tinkerlab path`
    context: dict[str, Any] = {
        "step": step,
        "runs": runs,
        "experiments": experiments,
        "record": record,
        "record_spec": _charts.prediction_record_chart(predictions),
        "charts": True,
        "jobs": request.app.state.jobs.recent(5),
    }
    return render(request, "home.html", **context)
