"""What the text services share: one app around one model-specific POST endpoint.

The text-generation service (``_generate.py``) and the text-classification service
(``_textclass.py``) differ only in their model and their POST endpoint. Everything else
comes from here, built from the artifact service's parts (``_service.py``) so that all
three behave alike: a bearer token beyond loopback (never for ``/health``), 413 for an
oversized body, a 422 that names the field, ``InputError`` from the model as a 422 with
its fix, a 500 without a traceback, Prometheus counters and the JSON access log
(``_Outer``), and ``/docs`` served from a pip package (works offline).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse

from tinkerlab.exceptions import InputError
from tinkerlab.serve._metrics import ServiceMetrics
from tinkerlab.serve._service import (
    ServeConfig,
    _auth_text,
    _configure_logging,
    _error_responses,
    _Outer,
    add_docs_routes,
    add_error_handlers,
    token_guard,
)

#: Adds the model's POST endpoint: ``add(app, dependencies, error_responses)``.
AddEndpoint = Callable[[FastAPI, list[Any], dict[int | str, dict[str, Any]]], None]
#: Turns one pydantic validation error into ``{"field", "value", "type", "message"}``.
FieldProblem = Callable[[dict[str, Any]], dict[str, Any]]


class ServedText(Protocol):
    """A loaded text model as a service shows it."""

    model_id: str  # the directory's name
    version: str  # a short hash of its files

    def metadata(self) -> dict[str, Any]:
        """What ``GET /metadata`` returns."""
        ...


@dataclass
class _State:
    """What the shared middleware reads: the counters (and when the service started)."""

    metrics: ServiceMetrics
    started: float = field(default_factory=time.monotonic)


def text_service(
    served: ServedText,
    config: ServeConfig | None,
    *,
    title: str,
    description: str,
    endpoint: str,
    add_endpoint: AddEndpoint,
    field_problem: FieldProblem,
) -> FastAPI:
    """The app around *served*: ``endpoint`` (added by *add_endpoint*), ``/health``,
    ``/metadata``, ``/metrics``, ``/docs``, with the shared auth, limits and errors."""
    config = config or ServeConfig()
    _configure_logging(config)
    state = _State(ServiceMetrics(model_id=served.model_id, version=served.version))
    app = FastAPI(
        title=title,
        version=served.version,
        description=f"{description} {_auth_text(config)}",
        docs_url=None,
        redoc_url=None,
    )
    guarded = token_guard(config)
    add_endpoint(app, guarded, _error_responses(config))

    @app.get("/health", summary="Liveness: is the model loaded?")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "model_id": served.model_id,
            "model_version": served.version,
            "uptime_s": round(time.monotonic() - state.started, 3),
        }

    @app.get("/metadata", dependencies=guarded, summary="The model, its size and its training")
    async def metadata() -> dict[str, Any]:
        return served.metadata()

    @app.get(
        "/metrics",
        dependencies=guarded,
        summary="Counters in Prometheus text format",
        response_class=PlainTextResponse,
    )
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(
            state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    add_docs_routes(app)

    @app.get("/", include_in_schema=False)
    async def index() -> dict[str, Any]:
        return {
            "model_id": served.model_id,
            "model_version": served.version,
            "docs": "/docs",
            "endpoints": [endpoint, "/health", "/metadata", "/metrics"],
        }

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, error: InputError) -> JSONResponse:
        return JSONResponse({"message": str(error)}, status_code=422)  # with the model's fix

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        found = [field_problem(dict(e)) for e in error.errors()]
        message = "; ".join(dict.fromkeys(p["message"] for p in found))  # one per field
        return JSONResponse(
            {"message": message or "The request is not valid.", "problems": found},
            status_code=422,
        )

    add_error_handlers(app, config)
    app.add_middleware(_Outer, engine=state, config=config)
    return app


__all__ = ["ServedText", "text_service"]
