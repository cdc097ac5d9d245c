"""Home: what to do next, recent work, the prediction record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web import _charts
from tinkerlab.web._app import journal
from tinkerlab.web._render import render

router = APIRouter()


def next_step(runs: int, experiments: int, cards_read: int, models: int) -> dict[str, str]:
    """The next step of the loop run → tinker → understand → ship, from what was done."""
    if runs == 0:
        return {
            "title": "Run your first model",
            "text": "Pick a built-in dataset (or upload a table) and train a model beside a "
            "baseline: a minute, and you own the script that reproduces it.",
            "href": "/run?dataset=titanic",
            "action": "Run a model on the Titanic passengers",
        }
    if experiments == 0:
        return {
            "title": "Tinker with one thing",
            "text": "Change one knob over a range of values. First predict what the "
            "validation score will do; then watch the curve grow, fold by fold.",
            "href": "/tinker",
            "action": "Start an experiment",
        }
    if cards_read == 0:
        return {
            "title": "Understand why",
            "text": "Your experiments showed phenomena. The theory cards explain them with "
            "your own numbers, math only where it helps.",
            "href": "/theory",
            "action": "Read the theory cards",
        }
    if models == 0:
        return {
            "title": "Ship a model",
            "text": "Save a run as an artifact with its model card, start its service and "
            "try it from a form, then watch for drift.",
            "href": "/ship",
            "action": "Ship a model",
        }
    return {
        "title": "Keep tinkering",
        "text": "Compare every model on your data within a time budget, or sharpen your "
        "predictions: the record below shows how often they come true.",
        "href": "/compare",
        "action": "Compare models",
    }


@router.get("/")
def home(request: Request) -> Response:
    """The learner's loop, what they did last, and how good their predictions are."""
    from tinkerlab.experiment import summarize_predictions

    store = journal(request)
    runs = store.list_runs(limit=5)
    experiments = store.list_experiments(limit=5)
    predictions = store.predictions()
    record = summarize_predictions(predictions)
    models = [p for p in request.app.state.config.folder("models").iterdir() if p.is_dir()]
    step = next_step(store.count_runs(), len(experiments), len(store.cards_read()), len(models))
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
