"""The artifact service: a saved model behind the shared route set, with ``/drift``.

=================  ====================================================================
``POST /predict``  one row (a JSON object) or many (a list); 422 names the field, the
                   value and what is allowed
``GET /health``    liveness, with the model id and version (never needs the token)
``GET /metadata``  the model card, input schema, metrics, versions, recipe
``GET /metrics``   Prometheus text: requests, errors, latency, batch sizes, predictions
``GET /drift``     recent served rows against the training data, per feature
``GET /docs``      Swagger UI from files shipped in a pip package (works offline)
=================  ====================================================================

This module says what is particular to an artifact: the request body is validated by a
pydantic model generated from the artifact's input schema (``_schema.py``), and the rows
go to the :class:`~tinkerlab.serve._engine.Engine`. Everything else — the token, the
limits, the error answers, the docs — comes from ``_routes.py``.

>>> from fastapi.testclient import TestClient            # doctest: +SKIP
>>> client = TestClient(create_app(load_artifact("models/titanic")))   # doctest: +SKIP
>>> client.post("/predict", json={"sex": "female"}).json()["prediction"]   # doctest: +SKIP
'yes'
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from tinkerlab.serve._config import ServeConfig
from tinkerlab.serve._engine import Engine
from tinkerlab.serve._errors import RequestError, invalid_request, row_problem
from tinkerlab.serve._openapi import error_responses, schema_of
from tinkerlab.serve._routes import ModelEndpoint, Service, build_app

if TYPE_CHECKING:
    from tinkerlab.serve._artifact import Artifact


class RowPrediction(BaseModel):
    """The prediction for one row, and every class's probability when the model has them."""

    prediction: str | int | float | bool
    probabilities: dict[str, float] | None = None


class Prediction(RowPrediction):
    """The prediction for one row (the body was an object)."""

    model_id: str
    model_version: str


class Predictions(BaseModel):
    """The predictions for many rows, in the order sent (the body was a list)."""

    predictions: list[RowPrediction]
    model_id: str
    model_version: str


def create_app(artifact: Artifact, config: ServeConfig | None = None) -> FastAPI:
    """The FastAPI app serving *artifact* (see the module docstring for the endpoints)."""
    config = config or ServeConfig()
    engine = Engine(artifact, config)
    rows = _RowReader(artifact, config)
    head = {"model_id": artifact.model_id, "model_version": artifact.version}

    async def answer(body: bytes) -> tuple[dict[str, Any], int]:
        batch, single = rows.parse(body)
        results = await engine.predict(batch)
        if single:
            return {**results[0], **head}, 1
        return {"predictions": results, **head}, len(results)

    def add_drift(app: FastAPI) -> None:
        @app.get(
            "/drift",
            summary="Drift of recently served rows against the training data, per feature",
            responses=error_responses(),
        )
        async def drift(
            window: int = Query(
                default=config.drift_window, ge=1, le=100_000, description="How many recent rows."
            ),
        ) -> dict[str, Any]:
            return await asyncio.get_running_loop().run_in_executor(None, engine.drift, window)

    service = Service(
        model_id=artifact.model_id,
        version=artifact.version,
        title=f"tinkerlab model service: {artifact.model_id}",
        description=_description(artifact),
        endpoint=_endpoint(artifact, config, answer),
        metadata=engine.metadata,
        metrics=engine.metrics,
        start=engine.start,
        stop=engine.stop,
        add_routes=add_drift,
    )
    app = build_app(service, config)
    app.state.engine = engine
    return app


class _RowReader:
    """Turns a request body into validated rows (dicts by column; absent optional: None)."""

    def __init__(self, artifact: Artifact, config: ServeConfig) -> None:
        self.schema = artifact.schema
        self.row_model = self.schema.row_model
        many: Any = Annotated[
            list[self.row_model],  # type: ignore[name-defined]
            Field(min_length=1, max_length=config.max_rows),
        ]
        self.many: TypeAdapter[list[Any]] = TypeAdapter(many)

    def parse(self, body: bytes) -> tuple[list[dict[str, Any]], bool]:
        """(the rows, whether the body was one object)."""
        start = body.lstrip()[:1]
        try:
            if start == b"{":
                return [self.row_model.model_validate_json(body).model_dump(by_alias=True)], True
            if start == b"[":
                return [r.model_dump(by_alias=True) for r in self.many.validate_json(body)], False
        except ValidationError as error:
            raise invalid_request(
                error,
                lambda e: row_problem(e, self.schema),
                intro="The request does not fit the model's inputs: ",
                outro=". See GET /metadata (or /docs) for every field and its allowed values.",
            ) from None
        raise RequestError(
            "The body must be JSON: an object (one row) or a list of objects (many rows), "
            'e.g. {"' + self.schema.names[0] + '": ...}.'
        )


def _endpoint(artifact: Artifact, config: ServeConfig, answer: Any) -> ModelEndpoint:
    """``POST /predict`` as the docs show it: a Row or a list of Rows in, predictions out."""
    row = artifact.schema.row_model.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}"
    )
    row["example"] = artifact.schema.example()
    one, one_schemas = schema_of(Prediction)
    many, many_schemas = schema_of(Predictions)
    ref = {"$ref": "#/components/schemas/Row"}
    return ModelEndpoint(
        path="/predict",
        summary="Predict one row (an object) or many (a list of objects)",
        answer=answer,
        request_schema={
            "anyOf": [
                ref,
                {"type": "array", "items": ref, "minItems": 1, "maxItems": config.max_rows},
            ]
        },
        response_schema={"anyOf": [one, many]},
        components={"Row": row, **one_schemas, **many_schemas},
    )


def _description(artifact: Artifact) -> str:
    meta = artifact.meta
    metric = meta.get("primary_metric") or ""
    scores = (meta.get("metrics") or {}).get(metric)
    score = scores.get("test") if isinstance(scores, dict) else None
    shown = f" (test {metric} {score:.4f})" if isinstance(score, float) else ""
    return (
        f"Predicts **{meta['target']}** ({meta['task']}) with a {meta['model']}{shown}, trained "
        f"on `{meta['dataset']}`. Send one row as an object or many as a list to `/predict`; "
        f"the fields are below under *Row*. The full model card is at `/metadata`."
    )


__all__ = ["ServeConfig", "create_app"]
