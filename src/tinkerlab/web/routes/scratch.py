"""Scratch: each from-scratch twin's code beside its scikit-learn original, the parity
numbers, and the ladder from logistic regression to a deep net."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tinkerlab.exceptions import NotFoundError
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._jobs import Job
from tinkerlab.web._render import render

router = APIRouter()


@router.get("/scratch")
def scratch_page(request: Request) -> Response:
    """Every twin: our class, its original, its size, how parity is tested."""
    from tinkerlab.runner import twin_table

    return render(request, "scratch.html", twins=twin_table())


@router.post("/scratch/ladder", dependencies=[Depends(require_csrf)])
def ladder_start(
    request: Request,
    dataset: Annotated[str, Form()] = "faces",
    epochs: Annotated[int, Form(ge=1, le=1000)] = 50,
) -> Response:
    """Climb the ladder in the background (``tinkerlab scratch ladder``)."""

    def work(job: Job) -> str:
        from tinkerlab.runner import ladder

        def tick(step: int, name: str, done: int, total: int) -> None:
            job.update(done=step, total=5, what=f"{step}. {name}: {done} of {total} fits")

        result = ladder(dataset, epochs=epochs, progress=tick)
        job.update(result=result)
        return f"/scratch/ladder/{job.id}"

    job = request.app.state.jobs.submit("ladder", f"The ladder on {dataset}", work)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/scratch/ladder/{job_id}")
def ladder_result(request: Request, job_id: str) -> Response:
    """The five rungs' scores, times and sizes."""
    import base64

    job = request.app.state.jobs.get(job_id)
    if job.result is None:
        raise NotFoundError(f"The ladder of job {job_id!r} has no result (yet).")
    png = job.result.plots.get("loss_curves.png")
    plot = base64.b64encode(png).decode("ascii") if png else None
    return render(request, "ladder.html", ladder=job.result, rows=job.result.table(), plot=plot)


@router.get("/scratch/{name}")
def twin_page(request: Request, name: str) -> Response:
    """Our code beside scikit-learn's class, with how parity is tested."""
    from tinkerlab.runner import twin_table
    from tinkerlab.runner._twin import resolve_twin, source_files

    name = resolve_twin(name)
    row = next(r for r in twin_table() if r["name"] == name)
    source = source_files(name)[0].read_text(encoding="utf-8")
    context: dict[str, Any] = {
        "row": row,
        "source": source,
        "theirs": _theirs(row["sklearn"]),
        "comparison": None,
    }
    return render(request, "twin.html", **context)


@router.post("/scratch/{name}/compare", dependencies=[Depends(require_csrf)])
def twin_compare(request: Request, name: str) -> Response:
    """Fit ours and scikit-learn's on the same split; the parity numbers."""
    from tinkerlab.runner._twin import resolve_twin

    name = resolve_twin(name)

    def work(job: Job) -> str:
        from tinkerlab.runner import compare_twin

        job.update(result=compare_twin(name, None))
        return f"/scratch/{name}/compare/{job.id}"

    job = request.app.state.jobs.submit("twin", f"{name}: ours beside scikit-learn's", work)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/scratch/{name}/compare/{job_id}")
def twin_compared(request: Request, name: str, job_id: str) -> Response:
    """The twin page with the parity numbers of one comparison."""
    from tinkerlab.runner import twin_table
    from tinkerlab.runner._twin import resolve_twin, source_files

    job = request.app.state.jobs.get(job_id)
    name = resolve_twin(name)
    row = next(r for r in twin_table() if r["name"] == name)
    context: dict[str, Any] = {
        "row": row,
        "source": source_files(name)[0].read_text(encoding="utf-8"),
        "theirs": _theirs(row["sklearn"]),
        "comparison": job.result,
    }
    return render(request, "twin.html", **context)


def _theirs(path: str) -> dict[str, str]:
    """scikit-learn's class: its signature and the start of its docstring."""
    import importlib

    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    doc = inspect.getdoc(cls) or ""
    summary = doc.split("\n\nParameters")[0].strip()
    return {"path": path, "signature": f"{name}{inspect.signature(cls)}", "doc": summary}
