"""The model service: a FastAPI app built from an artifact.

=================  ====================================================================
``POST /predict``  one row (a JSON object) or many (a list); 422 names the field, the
                   value and what is allowed
``GET /health``    liveness, with the model id and version (never needs the token)
``GET /metadata``  the model card, input schema, metrics, versions, recipe
``GET /metrics``   Prometheus text: requests, errors, latency, batch sizes, predictions
``GET /drift``     recent served rows against the training data, per feature
``GET /docs``      Swagger UI from files shipped in a pip package (works offline)
=================  ====================================================================

Requests over ``max_body_bytes`` get a 413; errors never carry a traceback (a 500 says
where the details are: the server's log); each request leaves one JSON line in the
access log (logger ``tinkerlab.serve.access``).

>>> from fastapi.testclient import TestClient            # doctest: +SKIP
>>> client = TestClient(create_app(load_artifact("models/titanic")))   # doctest: +SKIP
>>> client.post("/predict", json={"sex": "female"}).json()["prediction"]   # doctest: +SKIP
'yes'
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from tinkerlab.exceptions import TinkerlabError
from tinkerlab.serve._metrics import VALUE_BINS, ServiceMetrics
from tinkerlab.serve._security import token_matches

if TYPE_CHECKING:
    from tinkerlab.serve._artifact import Artifact
    from tinkerlab.serve._batching import MicroBatcher
    from tinkerlab.serve._monitor import PredictionLog

access_log = logging.getLogger("tinkerlab.serve.access")
error_log = logging.getLogger("tinkerlab.serve")

#: The Swagger UI files served under /docs/assets (nothing else from that folder).
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "application/javascript",
    "favicon-32x32.png": "image/png",
}


@dataclass(frozen=True)
class ServeConfig:
    """How the service behaves; every field has a command-line flag of the same name."""

    token: str | None = None  # required as "Authorization: Bearer ..." when set
    batch: bool = True  # micro-batching of concurrent requests
    max_batch: int = 64  # most rows in one call of the model
    max_wait_ms: float = 2.0  # how long a lone request waits for company
    max_body_bytes: int = 2_000_000  # larger request bodies get a 413
    max_rows: int = 10_000  # most rows in one request
    monitor_dir: Path | None = None  # where the prediction log goes; default <artifact>/monitor
    sample: float = 1.0  # share of rows written to the prediction log (0 turns it off)
    monitor_max_bytes: int = 50_000_000  # the log's size bound (two files, rotated)
    drift_window: int = 1000  # rows compared by GET /drift by default
    access_log: bool = True  # one JSON line per request on stderr


class PredictInputError(TinkerlabError):
    """A request body that cannot be predicted; becomes a 422 with ``problems``."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class BodyTooLargeError(Exception):
    """The request body passed the size limit while being read."""


# --------------------------------------------------------------------------- the app


def create_app(artifact: Artifact, config: ServeConfig | None = None) -> FastAPI:
    """The FastAPI app serving *artifact* (see the module docstring for the endpoints)."""
    config = config or ServeConfig()
    engine = Engine(artifact, config)
    _configure_logging(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await engine.start()
        try:
            yield
        finally:
            await engine.stop()  # graceful: queued rows are predicted before exit

    app = FastAPI(
        title=f"tinkerlab model service: {artifact.model_id}",
        version=artifact.version,
        description=_description(artifact, config),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.engine = engine
    guarded = token_guard(config)
    errors = _error_responses(config)

    @app.post(
        "/predict",
        dependencies=guarded,
        summary="Predict one row (an object) or many (a list of objects)",
        openapi_extra={"requestBody": _request_body(config)},
        responses={200: {"model": _prediction_models()}, **errors},
    )
    async def predict(request: Request) -> JSONResponse:
        rows, single = engine.parse(await request.body())
        request.state.rows = len(rows)
        results = await engine.predict(rows)
        head = {"model_id": artifact.model_id, "model_version": artifact.version}
        body = {**results[0], **head} if single else {"predictions": results, **head}
        return JSONResponse(body)

    @app.get("/health", summary="Liveness: is the model loaded?")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "model_id": artifact.model_id,
            "model_version": artifact.version,
            "uptime_s": round(time.monotonic() - engine.started, 3),
        }

    @app.get(
        "/metadata",
        dependencies=guarded,
        summary="The model card, input schema, metrics, versions and recipe",
        responses=_auth_responses(config),
    )
    async def metadata() -> dict[str, Any]:
        return engine.metadata()

    @app.get(
        "/metrics",
        dependencies=guarded,
        summary="Counters in Prometheus text format",
        response_class=PlainTextResponse,
        responses=_auth_responses(config),
    )
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(
            engine.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    @app.get(
        "/drift",
        dependencies=guarded,
        summary="Drift of recently served rows against the training data, per feature",
        responses={
            **_auth_responses(config),
            422: {"model": _error_model(), "description": "window out of range"},
        },
    )
    async def drift(
        window: int = Query(
            default=config.drift_window, ge=1, le=100_000, description="How many recent rows."
        ),
    ) -> dict[str, Any]:
        return await asyncio.get_running_loop().run_in_executor(None, engine.drift, window)

    add_docs_routes(app)

    @app.get("/", include_in_schema=False)
    async def index() -> dict[str, Any]:
        return {
            "model_id": artifact.model_id,
            "model_version": artifact.version,
            "docs": "/docs",
            "endpoints": ["/predict", "/health", "/metadata", "/metrics", "/drift"],
        }

    @app.exception_handler(PredictInputError)
    async def bad_rows(_request: Request, error: PredictInputError) -> JSONResponse:
        return JSONResponse({"message": str(error), "problems": error.problems}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [_problem(dict(e), None) for e in error.errors()]
        message = "; ".join(p["message"] for p in problems) or "The request is not valid."
        return JSONResponse({"message": message, "problems": problems}, status_code=422)

    add_error_handlers(app, config)
    app.openapi = _openapi_with_rows(app, artifact)  # type: ignore[method-assign]
    app.add_middleware(_Outer, engine=engine, config=config)
    return app


# --------------------------------------------------------------------------- shared parts
# The text services (_textservice.py) are built from these too, so all behave alike.


def token_guard(config: ServeConfig) -> list[Any]:
    """The dependencies that make an endpoint need the bearer token (none without a token)."""
    if config.token is None:
        return []
    token = config.token
    bearer = HTTPBearer(auto_error=False, description="The service's token (--token-file).")

    async def authorize(
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
    ) -> None:
        if credentials is None or not token_matches(credentials.credentials, token):
            raise HTTPException(
                status_code=401,
                detail="Missing or wrong token. Send the header 'Authorization: Bearer <token>' "
                "with the token the service was started with.",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return [Depends(authorize)]


def add_docs_routes(app: FastAPI) -> None:
    """``/docs``: Swagger UI, with its assets served from a pip package (works offline)."""

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.title))

    @app.get("/docs/assets/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        if name not in DOCS_ASSETS:
            raise HTTPException(status_code=404, detail=f"No docs asset {name!r}.")
        import swagger_ui_bundle  # type: ignore[import-untyped]

        folder = Path(str(swagger_ui_bundle.swagger_ui_path))
        return FileResponse(folder / name, media_type=DOCS_ASSETS[name])


def add_error_handlers(app: FastAPI, config: ServeConfig) -> None:
    """HTTP errors and 413 as ``{"message": ...}``; anything else a 500 without a traceback
    (the traceback goes to the service's log, under a reference the answer names)."""

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"message": str(error.detail)}, status_code=error.status_code, headers=error.headers
        )

    @app.exception_handler(BodyTooLargeError)
    async def too_large(_request: Request, _error: BodyTooLargeError) -> JSONResponse:
        return JSONResponse(_too_large(config), status_code=413)

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        error_log.error(
            "request %s %s failed (ref %s)", request.method, request.url.path, ref, exc_info=error
        )
        return JSONResponse(
            {"message": f"Internal error (ref {ref}); the service's log has the details."},
            status_code=500,
        )


# --------------------------------------------------------------------------- the engine


class Engine:
    """What the endpoints call: parsing, predicting (batched or not), logging, drift."""

    def __init__(self, artifact: Artifact, config: ServeConfig) -> None:
        from pydantic import Field, TypeAdapter

        self.artifact = artifact
        self.config = config
        self.schema = artifact.schema
        self.row_model = self.schema.row_model
        from typing import Annotated

        many: Any = Annotated[
            list[self.row_model],  # type: ignore[name-defined]
            Field(min_length=1, max_length=config.max_rows),
        ]
        self.many: TypeAdapter[list[Any]] = TypeAdapter(many)
        self.metrics = ServiceMetrics(
            artifact.model_id, artifact.version, value_bounds=_value_bounds(artifact)
        )
        self.log: PredictionLog | None = None
        self.batcher: MicroBatcher | None = None
        self.started = time.monotonic()

    async def start(self) -> None:
        from tinkerlab.serve._batching import MicroBatcher
        from tinkerlab.serve._monitor import PredictionLog

        self.started = time.monotonic()
        if self.config.sample > 0:
            folder = self.config.monitor_dir or (self.artifact.path / "monitor")
            self.log = PredictionLog(
                Path(folder),
                version=self.artifact.version,
                sample=self.config.sample,
                max_bytes=self.config.monitor_max_bytes,
            )
        if self.config.batch:
            self.batcher = MicroBatcher(
                self.predict_requests,
                max_batch=self.config.max_batch,
                max_wait=self.config.max_wait_ms / 1000,
            )
            await self.batcher.start()

    async def stop(self) -> None:
        if self.batcher is not None:
            await self.batcher.stop()
            self.batcher = None
        if self.log is not None:
            self.log.close()

    # --- parsing ------------------------------------------------------------------------

    def parse(self, body: bytes) -> tuple[list[dict[str, Any]], bool]:
        """Validated rows (dicts by column name; absent optional fields are None) and
        whether the body was a single object."""
        from pydantic import ValidationError

        start = body.lstrip()[:1]
        try:
            if start == b"{":
                return [self.row_model.model_validate_json(body).model_dump(by_alias=True)], True
            if start == b"[":
                rows = self.many.validate_json(body)
                return [r.model_dump(by_alias=True) for r in rows], False
        except ValidationError as error:
            problems = [_problem(dict(e), self.schema) for e in error.errors()[:20]]
            more = error.error_count() - len(problems)
            message = "; ".join(p["message"] for p in problems[:5])
            if error.error_count() > 5:
                message += f"; and {error.error_count() - 5} more problems"
            if more > 0:
                problems.append({"message": f"{more} more problems not listed"})
            raise PredictInputError(
                f"The request does not fit the model's inputs: {message}. "
                "See GET /metadata (or /docs) for every field and its allowed values.",
                problems,
            ) from None
        raise PredictInputError(
            "The body must be JSON: an object (one row) or a list of objects (many rows), "
            'e.g. {"' + self.schema.names[0] + '": ...}. Send it with the header '
            "'content-type: application/json'."
        )

    # --- predicting ---------------------------------------------------------------------

    async def predict(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Predictions for one request's rows, through the micro-batcher when it is on."""
        results: list[dict[str, Any]]
        if self.batcher is not None and len(rows) < self.config.max_batch:
            results = await self.batcher.submit(rows)
        else:
            loop = asyncio.get_running_loop()
            outcome = await loop.run_in_executor(None, self.predict_requests, [rows])
            if isinstance(outcome[0], Exception):
                raise outcome[0]
            results = outcome[0]
        self.metrics.observe_predictions(len(rows), [r["prediction"] for r in results])
        return results

    def predict_requests(
        self, requests: list[list[dict[str, Any]]]
    ) -> list[list[dict[str, Any]] | Exception]:
        """Predict several requests in one call of the model (runs in a worker thread).

        When the joint call fails, each request is predicted alone, so one bad request
        cannot fail the others; a request whose output is not finite gets an error.
        """
        rows = [row for request in requests for row in request]
        try:
            results = self._predict_rows(rows)
        except Exception:
            if len(requests) == 1:
                return [self._failure(requests[0])]
            return [self._alone(request) for request in requests]
        out: list[list[dict[str, Any]] | Exception] = []
        start = 0
        for request in requests:
            part = results[start : start + len(request)]
            start += len(request)
            bad = _not_finite(part)
            out.append(self._not_finite_error(request, bad) if bad else part)
        if self.log is not None:
            kept = [
                (r, p)
                for request, o in zip(requests, out, strict=True)
                if not isinstance(o, Exception)
                for r, p in zip(request, o, strict=True)
            ]
            if kept:
                self.log.record([r for r, _ in kept], [p["prediction"] for _, p in kept])
        return out

    def _predict_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.metrics.observe_batch(len(rows))
        predicted, proba = self.artifact.predict_frame(self.schema.frame(rows))
        return self.artifact.format_predictions(predicted, proba)

    def _alone(self, request: list[dict[str, Any]]) -> list[dict[str, Any]] | Exception:
        try:
            results = self._predict_rows(request)
        except Exception:
            return self._failure(request)
        bad = _not_finite(results)
        return self._not_finite_error(request, bad) if bad else results

    def _failure(self, request: list[dict[str, Any]]) -> Exception:
        """The model raised on these rows: a ValueError is about the input (422)."""
        try:
            self._predict_rows(request)
        except ValueError as error:
            return PredictInputError(
                f"The model could not predict these rows: {error}. Fix: send values like "
                "the training data's (GET /metadata lists their ranges).",
                [{"message": str(error)}],
            )
        except Exception as error:
            return error
        return RuntimeError("prediction failed once and then succeeded")  # pragma: no cover

    def _not_finite_error(self, request: list[dict[str, Any]], bad: list[int]) -> Exception:
        ranges = "; ".join(
            f"{c.name} {c.minimum:g}..{c.maximum:g}"
            for c in self.schema.columns
            if c.kind == "numeric"
        )
        rows = ", ".join(str(i) for i in bad[:10])
        return PredictInputError(
            f"The model's output is not a finite number for row(s) {rows}: their values are "
            f"far outside what it was trained on. Training ranges: {ranges[:600]}.",
            [{"row": i, "message": "output not finite"} for i in bad[:20]],
        )

    # --- the other endpoints ------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        meta = self.artifact.meta
        keep = (
            "name",
            "dataset",
            "task",
            "target",
            "model",
            "impl",
            "classes",
            "metrics",
            "baseline",
            "primary_metric",
            "data",
            "importances",
            "versions",
            "recipe",
            "created_at",
            "run_id",
            "format",
        )
        return {
            "model_id": self.artifact.model_id,
            "model_version": self.artifact.version,
            **{k: meta.get(k) for k in keep},
            "inputs": self.schema.to_dict()["columns"],
            "example": self.schema.example(),
            "card": self.artifact.card,
        }

    def drift(self, window: int) -> dict[str, Any]:
        from tinkerlab.serve._drift import drift_report

        if self.log is None:
            return {
                "message": "The prediction log is off (--sample 0): nothing to compare.",
                "rows": 0,
                "alarm": False,
                "drifted": [],
                "features": [],
            }
        rows, predictions = self.log.recent(window)
        report = drift_report(self.artifact.meta["reference"], self.schema, rows, predictions)
        return {
            "model_id": self.artifact.model_id,
            "model_version": self.artifact.version,
            "window": window,
            **report,
        }


def _not_finite(results: list[dict[str, Any]]) -> list[int]:
    bad = []
    for i, r in enumerate(results):
        p = r["prediction"]
        probabilities = r.get("probabilities", {}).values()
        if (isinstance(p, float) and not math.isfinite(p)) or any(
            not math.isfinite(v) for v in probabilities
        ):
            bad.append(i)
    return bad


def _value_bounds(artifact: Artifact) -> tuple[float, ...] | None:
    """Histogram bounds for predicted values: the training predictions' deciles."""
    if artifact.task != "regression":
        return None
    edges = artifact.meta["reference"]["prediction"].get("edges") or []
    return tuple(edges) if edges else tuple(float(i) for i in range(VALUE_BINS))


# --------------------------------------------------------------------------- errors


def _problem(error: dict[str, Any], schema: Any) -> dict[str, Any]:
    """One validation error as ``{field, row, value, allowed, message}``."""
    loc = [part for part in error.get("loc", ()) if part not in ("body", "query")]
    row = loc[0] if loc and isinstance(loc[0], int) else None
    names = [str(p) for p in loc if not isinstance(p, int)]
    field_name = names[-1] if names else None
    value = error.get("input")
    kind = error.get("type", "")
    where = (f"row {row}, " if row is not None else "") + (
        f"field {field_name!r}" if field_name else "the body"
    )
    shown = _short(value)
    allowed: list[Any] | None = None
    if kind == "literal_error" and schema is not None and field_name in schema.names:
        allowed = list(schema.column(field_name).categories)
        listed = ", ".join(repr(a) for a in allowed[:15]) + (" …" if len(allowed) > 15 else "")
        message = f"{where} got {shown}; allowed: {listed}"
    elif kind == "extra_forbidden" and schema is not None and field_name:
        unknown = schema.unknown_fields([field_name])[0]  # "'sexx' (did you mean 'sex'?)"
        message = (
            (f"row {row}, " if row is not None else "")
            + f"field {unknown} is not an input of this model; inputs: "
            + ", ".join(repr(n) for n in schema.names[:15])
            + (" …" if len(schema.names) > 15 else "")
        )
    elif kind == "missing":
        message = f"{where} is required"
    elif kind.startswith("float") or kind == "finite_number":
        message = f"{where} got {shown}; it must be a finite number"
    elif kind in ("less_than_equal", "greater_than_equal") and isinstance(value, int | float):
        message = f"{where} got {shown}; numbers must lie within ±3.4e38 (float32)"
    else:
        message = f"{where} got {shown}: {error.get('msg', 'not valid')}"
    return {
        "field": field_name,
        "row": row,
        "value": value if _jsonable(value) else repr(value),
        "allowed": allowed,
        "type": kind,
        "message": message,
    }


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return len(json.dumps(value)) <= 1000


def _too_large(config: ServeConfig) -> dict[str, Any]:
    return {
        "message": f"The request body is larger than the limit of {config.max_body_bytes} "
        "bytes. Fix: send fewer rows per request (the client's batch_size), or start the "
        "service with a larger --max-body-bytes."
    }


# --------------------------------------------------------------------------- middleware


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _Counted(Protocol):
    """What the middleware needs of a service: its counters."""

    metrics: ServiceMetrics


class _Outer:
    """Pure ASGI middleware: body size limit, timing, metrics and the JSON access log."""

    def __init__(self, app: Any, engine: _Counted, config: ServeConfig) -> None:
        self.app = app
        self.engine = engine
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        limit = self.config.max_body_bytes
        status = 500
        received = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        declared = _content_length(scope)
        try:
            if declared is not None and declared > limit:
                await _send_json(send, 413, _too_large(self.config))
                status = 413
                return

            async def receiving() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise BodyTooLargeError
                return message

            await self.app(scope, receiving, sending)
        finally:
            elapsed = time.perf_counter() - started
            path = scope.get("route_path") or scope.get("path", "")
            route = path if path in _KNOWN_PATHS else "other"
            self.engine.metrics.observe_request(route, status, elapsed)
            if self.config.access_log:
                state = scope.get("state") or {}
                client = scope.get("client")
                access_log.info(
                    json.dumps(
                        {
                            "ts": round(time.time(), 3),
                            "method": scope.get("method"),
                            "path": path[:200],
                            "status": status,
                            "ms": round(elapsed * 1000, 2),
                            "rows": state.get("rows"),
                            "bytes_in": received,
                            "client": f"{client[0]}:{client[1]}" if client else None,
                        },
                        separators=(",", ":"),
                    )
                )


_KNOWN_PATHS = {
    "/predict",
    "/generate",
    "/health",
    "/metadata",
    "/metrics",
    "/drift",
    "/docs",
    "/openapi.json",
    "/",
}


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _configure_logging(config: ServeConfig) -> None:
    """JSON lines on stderr for the access log; errors (with tracebacks) on stderr."""
    for logger in (access_log, error_log):
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger.addHandler(handler)
            logger.propagate = False
    access_log.setLevel(logging.INFO if config.access_log else logging.WARNING)
    error_log.setLevel(logging.INFO)


# --------------------------------------------------------------------------- OpenAPI


def _request_body(config: ServeConfig) -> dict[str, Any]:
    row = {"$ref": "#/components/schemas/Row"}
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        row,
                        {"type": "array", "items": row, "minItems": 1, "maxItems": config.max_rows},
                    ]
                }
            }
        },
    }


@functools.cache
def _prediction_models() -> Any:
    from pydantic import BaseModel

    class RowPrediction(BaseModel):
        prediction: str | int | float | bool
        probabilities: dict[str, float] | None = None

    class Prediction(RowPrediction):
        """The prediction for one row."""

        model_id: str
        model_version: str

    class Predictions(BaseModel):
        """The predictions for many rows, in the order sent."""

        predictions: list[RowPrediction]
        model_id: str
        model_version: str

    return Prediction | Predictions


@functools.cache
def _error_model() -> Any:
    from pydantic import BaseModel

    class Problem(BaseModel):
        field: str | None = None
        row: int | None = None
        value: Any = None
        allowed: list[Any] | None = None
        type: str | None = None
        message: str

    class ErrorMessage(BaseModel):
        message: str
        problems: list[Problem] | None = None

    return ErrorMessage


def _auth_responses(config: ServeConfig) -> dict[int | str, dict[str, Any]]:
    if config.token is None:
        return {}
    return {401: {"model": _error_model(), "description": "Missing or wrong token"}}


def _error_responses(config: ServeConfig) -> dict[int | str, dict[str, Any]]:
    model = _error_model()
    return {
        **_auth_responses(config),
        413: {"model": model, "description": "The body is larger than the limit"},
        422: {"model": model, "description": "A field's value is not allowed (named)"},
    }


def _openapi_with_rows(app: FastAPI, artifact: Artifact) -> Callable[[], dict[str, Any]]:
    """FastAPI's schema, plus the generated Row model the /predict body refers to."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        row = artifact.schema.row_model.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}"
        )
        row["example"] = artifact.schema.example()
        schema.setdefault("components", {}).setdefault("schemas", {})["Row"] = row
        app.openapi_schema = schema
        return schema

    return openapi


def _description(artifact: Artifact, config: ServeConfig) -> str:
    meta = artifact.meta
    metric = meta.get("primary_metric", "")
    score = meta.get("metrics", {}).get(metric, {}).get("test")
    auth = _auth_text(config)
    shown = f" (test {metric} {score:.4f})" if isinstance(score, float) else ""
    return (
        f"Predicts **{meta['target']}** ({meta['task']}) with a {meta['model']}{shown}, trained "
        f"on `{meta['dataset']}`. Send one row as an object or many as a list to `/predict`; "
        f"the fields are below under *Row*. The full model card is at `/metadata`. {auth}"
    )


def _auth_text(config: ServeConfig) -> str:
    """What the API description says about the token."""
    if config.token:
        return "Every endpoint but /health needs `Authorization: Bearer <token>` (use Authorize)."
    return "No token needed: the service listens on this machine only."


def _docs_page(title: str) -> str:
    """Swagger UI with every asset served by this service: no CDN, works offline.

    Paths are relative (``docs/assets/...``, ``openapi.json``) so the page also works
    behind a reverse proxy that mounts the service under a prefix.
    """
    import html

    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  validatorUrl: null, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"
}});
</script></body></html>
"""
