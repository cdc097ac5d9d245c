"""Journal: runs (searched, filtered, a page at a time), each run's page, notes, questions,
two runs side by side."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

from tinkerlab.exceptions import NotFoundError, UsageError
from tinkerlab.journal import as_run
from tinkerlab.web import _charts
from tinkerlab.web._app import journal
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._render import render
from tinkerlab.web._runs import code_name, plot_file, stored_samples
from tinkerlab.web._try import with_links

router = APIRouter()

#: Runs per page of the journal.
PAGE = 25


@router.get("/journal")
def journal_page(
    request: Request,
    q: str = "",
    dataset: str = "",
    model: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Runs, newest first, a page at a time; experiments and questions beside them."""
    store = journal(request)
    filters: dict[str, Any] = {
        "dataset": dataset or None,
        "model": model or None,
        "search": q.strip() or None,
    }
    total = store.count_runs(filters["dataset"], model=filters["model"], search=filters["search"])
    runs = store.list_runs(
        PAGE,
        filters["dataset"],
        offset=(page - 1) * PAGE,
        model=filters["model"],
        search=filters["search"],
    )
    pages = max(1, -(-total // PAGE))
    context: dict[str, Any] = {
        "runs": runs,
        "total": total,
        "page": page,
        "pages": pages,
        "q": q,
        "dataset": dataset,
        "model": model,
        "experiments": store.list_experiments(limit=20) if page == 1 else [],
        "questions": store.questions() if page == 1 else [],
        "analyses": store.analyses() if page == 1 else [],
    }
    if page == 1:
        predictions = store.predictions()
        context["predictions"] = list(reversed(predictions))[:PAGE]
        context["record_spec"] = _charts.prediction_record_chart(predictions)
        context["charts"] = True
    return render(request, "journal.html", **context)


@router.get("/journal/runs/{run_id}")
def run_detail(request: Request, run_id: int) -> Response:
    """One run: scores beside the baseline, what it got right and wrong, what mattered,
    its plots, its code, notes and questions."""
    store = journal(request)
    entry = store.get_run(run_id)
    outputs = entry.summary.get("outputs", {})
    charts = {"metrics": _charts.metrics_chart(entry.metrics, entry.baseline)}
    confusion = outputs.get("confusion_matrix")
    if confusion:
        charts["confusion"] = _charts.confusion_chart(confusion["labels"], confusion["matrix"])
    if outputs.get("importances"):
        charts["importances"] = _charts.importance_chart(outputs["importances"])
    if entry.summary.get("training_curve"):  # a neural network's epochs, as recorded
        rows = _charts.history_rows(entry.summary["training_curve"])
        charts["training"] = _charts.epoch_chart(rows)
    samples = stored_samples(request.app.state.config, entry)
    if samples and samples.get("actual"):
        charts["residuals"] = _charts.residual_chart(samples["actual"], samples["predicted"])
    run = as_run(entry)
    context: dict[str, Any] = {
        "entry": entry,
        "inputs": entry.summary.get("inputs", {}),
        "outputs": outputs,
        "phenomena": with_links(
            entry.summary.get("phenomena", []), request.app.state.config.folder("uploads")
        ),
        "specs": charts,
        "charts": True,
        "script": run.script(),
        "samples": samples,
        "notes": store.notes(run_id),
        "questions": store.questions(run_id),
        "plots": list(entry.plot_names),  # each drawn when its image is asked for
        "dataset_choice": dataset_choice(request, entry.recipe),
    }
    return render(request, "run_result.html", **context)


@router.get("/journal/runs/{run_id}/plots/{name}")
def run_plot(request: Request, run_id: int, name: str) -> FileResponse:
    """One of the run's plot files (only the run's own: never another path)."""
    entry = journal(request).get_run(run_id)
    path = plot_file(entry, name)
    if path is None or not path.is_file():
        raise NotFoundError(f"Run #{run_id} has no plot {name!r}.")
    return FileResponse(path, media_type="image/png")


@router.get("/journal/runs/{run_id}/script.py")
def run_script(request: Request, run_id: int) -> PlainTextResponse:
    """The standalone script that reproduces the run (a download)."""
    entry = journal(request).get_run(run_id)
    name = code_name(entry, ".py")
    return PlainTextResponse(
        as_run(entry).script(),
        media_type="text/x-python; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/journal/runs/{run_id}/notebook.ipynb")
def run_notebook(request: Request, run_id: int) -> Response:
    """The same as a Jupyter notebook (a download)."""
    entry = journal(request).get_run(run_id)
    name = code_name(entry, ".ipynb")
    return Response(
        as_run(entry).notebook(),
        media_type="application/x-ipynb+json",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/journal/runs/{run_id}/notes", dependencies=[Depends(require_csrf)])
def add_note(request: Request, run_id: int, text: Annotated[str, Form()] = "") -> Response:
    """Write a note about the run (``tinkerlab journal note``)."""
    journal(request).add_note(run_id, text)
    return RedirectResponse(f"/journal/runs/{run_id}#notes", status_code=303)


@router.post("/journal/runs/{run_id}/questions", dependencies=[Depends(require_csrf)])
def add_question(request: Request, run_id: int, text: Annotated[str, Form()] = "") -> Response:
    """Ask "why?" about the run: the cards that answer it are found and kept with it."""
    from tinkerlab.insight import search

    hits = search(text) if text.strip() else []
    journal(request).add_question(text, run_id, cards=[h.card.id for h in hits])
    return RedirectResponse(f"/journal/runs/{run_id}#why", status_code=303)


@router.get("/journal/compare")
def compare_runs(request: Request, a: int | None = None, b: int | None = None) -> Response:
    """Two runs side by side: what differs in their recipes, and their scores."""
    store = journal(request)
    if a is None or b is None:
        picked = "none" if a is None and b is None else f"only {'A' if b is None else 'B'}"
        raise UsageError(
            f"Pick two runs to compare, one as A and one as B: you picked {picked}. Fix: tick "
            "a run in column A and another in column B of the journal's runs"
            + (
                " (you have one run so far: make a second one on the Run page)."
                if store.count_runs() < 2
                else "."
            )
        )
    left, right = store.get_run(a), store.get_run(b)
    recipe_rows = _diff(_flat(left.recipe), _flat(right.recipe))
    names = [n for n in left.metrics if n in right.metrics]
    metric_rows = [
        {
            "name": n,
            "a": left.metrics[n],
            "b": right.metrics[n],
            "diff": _minus(right.metrics[n].get("cv_mean"), left.metrics[n].get("cv_mean")),
        }
        for n in names
    ]
    context: dict[str, Any] = {
        "a": left,
        "b": right,
        "recipe_rows": recipe_rows,
        "metric_rows": metric_rows,
    }
    return render(request, "run_compare.html", **context)


def dataset_choice(request: Request, recipe: dict[str, Any]) -> str | None:
    """How the forms name a recorded recipe's data: a built-in's name, an upload's choice."""
    from tinkerlab.web._uploads import choice_for_path

    source = recipe.get("source", {})
    if source.get("kind") == "builtin":
        return str(source.get("name"))
    return choice_for_path(request.app.state.config.folder("uploads"), str(source.get("path")))


def _flat(data: Any, prefix: str = "") -> dict[str, str]:
    """A nested recipe as ``{"preprocessing.scaling": "standard", ...}``."""
    if isinstance(data, dict):
        flat: dict[str, str] = {}
        for key, value in data.items():
            flat.update(_flat(value, f"{prefix}{key}."))
        return flat
    return {
        prefix.rstrip("."): json.dumps(data, default=str) if not isinstance(data, str) else data
    }


def _diff(left: dict[str, str], right: dict[str, str]) -> list[dict[str, Any]]:
    keys = list(dict.fromkeys([*left, *right]))
    skip = ("source.sha256", "format")
    return [
        {
            "key": k,
            "a": left.get(k, "–"),
            "b": right.get(k, "–"),
            "changed": left.get(k) != right.get(k),
        }
        for k in keys
        if not k.endswith(skip)
    ]


def _minus(b: Any, a: Any) -> float | None:
    if a is None or b is None:
        return None
    return float(b) - float(a)
