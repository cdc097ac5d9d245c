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
        "do_it": do_it_here(step.get("next")),
        "runs": runs,
        "experiments": experiments,
        "record": record,
        "record_spec": _charts.prediction_record_chart(predictions),
        "charts": True,
        "jobs": request.app.state.jobs.recent(5),
    }
    return render(request, "home.html", **context)


def do_it_here(lab: dict[str, Any] | None) -> str:
    """Where the next lab's "Do it here" goes: its page, with the form filled as the lab's
    own command fills it (dataset, model, knob, values), so the learner is not left at
    an empty form guessing what the lab asks. The prediction is left out: the learner
    makes their own, before it runs."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from tinkerlab.web._try import form_link

    if lab is None:
        return "/run"
    page = str(lab.get("commands", {}).get("web") or "/run")
    for command in lab.get("commands", {}).get("cli", []):
        link = form_link(command)
        if link is None or urlsplit(link).path != page:
            continue
        query = [(k, v) for k, v in parse_qsl(urlsplit(link).query) if k != "predict"]
        return f"{page}?{urlencode(query)}" if query else page
    return page
