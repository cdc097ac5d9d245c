"""Playground: 2-D toy data and any classic model; a knob moves, the boundary redraws."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from tinkerlab.web._forms import knob_fields
from tinkerlab.web._playground import TOYS, draw, knobs_of, models
from tinkerlab.web._render import render

router = APIRouter()


@router.get("/playground")
def playground_page(request: Request, model: str = "knn", impl: str = "sklearn") -> Response:
    """The toy data's controls, the model's knobs as sliders, the canvas."""
    known = {name: scratch for name, _, scratch in models()}
    model = model if model in known else "knn"
    impl = impl if impl == "scratch" and known[model] else "sklearn"
    context: dict[str, Any] = {
        "toys": TOYS,
        "models": models(),
        "model": model,
        "impl": impl,
        "knobs": knob_fields(knobs_of(model, impl)),
    }
    return render(request, "playground.html", **context)


@router.get("/playground/knobs")
def playground_knobs(request: Request, model: str = "knn", impl: str = "sklearn") -> Response:
    """The knob sliders of another model (htmx swaps them in)."""
    known = {name: scratch for name, _, scratch in models()}
    model = model if model in known else "knn"
    impl = impl if impl == "scratch" and known[model] else "sklearn"
    fields = knob_fields(knobs_of(model, impl))
    return render(request, "_playground_knobs.html", knobs=fields, model=model, impl=impl)


@router.get("/playground/draw")
def playground_draw(
    request: Request,
    toy: str = "moons",
    noise: Annotated[float, Query(ge=0.0, le=1.0)] = 0.2,
    n: Annotated[int, Query(ge=20, le=2000)] = 500,
    seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
    model: str = "knn",
    impl: str = "sklearn",
) -> JSONResponse:
    """The points, the decision map and the scores, as JSON for the canvas."""
    params = {
        key[len("knob.") :]: value
        for key, value in request.query_params.items()
        if key.startswith("knob.") and value != ""
    }
    drawing = draw(toy, noise=noise, n=n, seed=seed, model=model, params=params, impl=impl)
    return JSONResponse(drawing.to_dict())
