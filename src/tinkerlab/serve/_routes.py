"""The one route set every model service shares.

The artifact service (``_service.py``), the text-classification service
(``_textclass.py``) and the text-generation service (``_generate.py``) differ only in
their model and in one POST endpoint. Each describes itself as a :class:`Service` — its
:class:`ModelEndpoint`, its metadata, its counters — and :func:`build_app` gives all
three the same app:

=================  ====================================================================
``POST <endpoint>``  the model: ``/predict`` or ``/generate`` (served by the middleware)
``GET /health``      liveness, the model id and version (never needs the token)
``GET /metadata``    what the service says about its model
``GET /metrics``     Prometheus text: requests, errors, latency (and the model's own)
``GET /docs``        Swagger UI from files shipped in a pip package (works offline)
``GET /``            an index of the above
=================  ====================================================================

and the same door (:class:`~tinkerlab.serve._middleware.ServiceMiddleware`: token,
content type, body limits and timeout, counters, the access log), the same error answers
(``_errors.py``) and the same OpenAPI spec (``_openapi.py``). A service may add GET
routes of its own (the artifact's ``/drift``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ValidationError

from tinkerlab.serve._config import ServeConfig
from tinkerlab.serve._errors import Describe, add_error_handlers, invalid_request, row_problem
from tinkerlab.serve._metrics import ServiceMetrics
from tinkerlab.serve._middleware import ServiceMiddleware, configure_logging
from tinkerlab.serve._openapi import add_docs_routes, auth_text, install_openapi, schema_of

#: The body's bytes in; (the JSON answer, how many rows or texts it held) out.
Answer = Callable[[bytes], Awaitable[tuple[dict[str, Any], int | None]]]


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class ModelEndpoint:
    """The one POST route that differs between services, with its OpenAPI description."""

    path: str  # "/predict" or "/generate"
    summary: str  # one line for the docs page
    answer: Answer  # parses and validates the body, runs the model; raises RequestError
    request_schema: dict[str, Any]  # the JSON schema of the body (may $ref components)
    response_schema: dict[str, Any]  # the JSON schema of a 200 answer
    components: dict[str, Any] = field(default_factory=dict)  # schemas the two refer to
    describe: Describe = row_problem  # words one validation problem (body or query) for a 422


@dataclass
class Service:
    """A loaded model as the route set shows it."""

    model_id: str  # the model's id (an artifact's name, a directory's name)
    version: str  # 12 hex digits identifying the model's files
    title: str  # the docs page's title
    description: str  # a paragraph for the docs page
    endpoint: ModelEndpoint  # the model's POST route
    metadata: Callable[[], dict[str, Any]]  # what GET /metadata returns
    metrics: ServiceMetrics | None = None  # this process's counters (made when not given)
    start: Callable[[], Awaitable[None]] = _nothing  # when the server starts (batcher, log)
    stop: Callable[[], Awaitable[None]] = _nothing  # on shutdown (predict what is queued)
    add_routes: Callable[[FastAPI], None] | None = None  # GET routes of its own (/drift)
    started: float = field(default_factory=time.monotonic)  # for /health's uptime

    def __post_init__(self) -> None:
        if self.metrics is None:
            self.metrics = ServiceMetrics(model_id=self.model_id, version=self.version)

    @classmethod
    def of(cls, served: Any, *, title: str, description: str, endpoint: ModelEndpoint) -> Service:
        """The service of a loaded text model (it has ``model_id``, ``version``, ``metadata``)."""
        return cls(
            model_id=served.model_id,
            version=served.version,
            title=title,
            description=description,
            endpoint=endpoint,
            metadata=served.metadata,
        )

    @property
    def counters(self) -> ServiceMetrics:
        """The counters (never None after construction)."""
        assert self.metrics is not None
        return self.metrics


class ServiceApp(FastAPI):
    """FastAPI with the service's door in front of it.

    Every request meets :class:`~tinkerlab.serve._middleware.ServiceMiddleware` first,
    and the model endpoint is answered there, before FastAPI's own middleware stack
    (error pages, telemetry checks, its body limit): on the hot path that stack cost as
    much as validating the row (``docs/serve.md``, "Speed"). Everything else goes on to
    FastAPI unchanged, so ``app.state``, the test client and ``app.openapi()`` work as
    on any FastAPI app.
    """

    door: Any = None  # the ServiceMiddleware, set by build_app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.door is None:
            await self.fastapi(scope, receive, send)
        else:
            await self.door(scope, receive, send)

    async def fastapi(self, scope: Any, receive: Any, send: Any) -> None:
        """The request as FastAPI alone would handle it."""
        await super().__call__(scope, receive, send)


def build_app(service: Service, config: ServeConfig) -> FastAPI:
    """The FastAPI app around *service*: the routes above, the door, the error answers."""
    configure_logging(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.started = time.monotonic()
        await service.start()
        try:
            yield
        finally:
            await service.stop()  # graceful: queued requests are answered before exit

    app = ServiceApp(
        title=service.title,
        version=service.version,
        description=f"{service.description} {auth_text(config)}",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service

    @app.get("/health", summary="Liveness: is the model loaded?")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "model_id": service.model_id,
            "model_version": service.version,
            "uptime_s": round(time.monotonic() - service.started, 3),
        }

    @app.get("/metadata", summary="What this service knows about its model")
    async def metadata() -> dict[str, Any]:
        return service.metadata()

    @app.get(
        "/metrics", summary="Counters in Prometheus text format", response_class=PlainTextResponse
    )
    async def metrics() -> PlainTextResponse:
        text = service.counters.render()
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    if service.add_routes is not None:
        service.add_routes(app)
    add_docs_routes(app)
    listed = [service.endpoint.path]
    listed += [getattr(r, "path", "") for r in app.routes if getattr(r, "include_in_schema", 0)]

    @app.get("/", include_in_schema=False)
    async def index() -> dict[str, Any]:
        return {
            "model_id": service.model_id,
            "model_version": service.version,
            "docs": "/docs",
            "endpoints": listed,
        }

    add_error_handlers(app, service.endpoint.describe)
    install_openapi(app, service.endpoint, config)
    app.door = ServiceMiddleware(app.fastapi, service, config)
    return app


def one_at_a_time_endpoint(
    served: Any,
    path: str,
    summary: str,
    models: tuple[type[BaseModel], type[BaseModel]],
    run: Callable[[Any], tuple[dict[str, Any], int | None]],
    describe: Describe,
) -> ModelEndpoint:
    """A model endpoint whose body is one pydantic model and whose model holds the CPU.

    The body is validated against the request model, ``models[0]`` (a 422 lists each
    field's problem, as *describe* words it); ``run(request)`` then runs in a worker
    thread, one request at a time (an ``asyncio.Lock``): the event loop keeps answering
    ``/health`` meanwhile, and a model with global state (torch's random generator) is
    never used by two at once. The answer (``models[1]``) gets *served*'s ``model_id``,
    its ``model_version`` and the ``seconds`` the model took.
    """
    lock = asyncio.Lock()
    request_model, response_model = models

    def timed(request: Any) -> tuple[dict[str, Any], int | None]:
        tick = time.perf_counter()
        answer, rows = run(request)
        seconds = round(time.perf_counter() - tick, 4)
        head = {"model_id": served.model_id, "model_version": served.version}
        return {**answer, **head, "seconds": seconds}, rows

    async def answer(body: bytes) -> tuple[dict[str, Any], int | None]:
        try:
            request = request_model.model_validate_json(body)
        except ValidationError as error:
            raise invalid_request(error, describe) from None
        async with lock:
            return await asyncio.get_running_loop().run_in_executor(None, timed, request)

    request_ref, request_schemas = schema_of(request_model)
    response_ref, response_schemas = schema_of(response_model)
    return ModelEndpoint(
        path=path,
        summary=summary,
        answer=answer,
        request_schema=request_ref,
        response_schema=response_ref,
        components={**request_schemas, **response_schemas},
        describe=describe,
    )


__all__ = ["ModelEndpoint", "Service", "build_app", "one_at_a_time_endpoint"]
