"""The artifact service's engine: predicting rows, in micro-batches, one failure at a time.

What happens to the rows of a ``POST /predict`` once they are validated:

* they join the **micro-batch** (``_batching.py``) unless batching is off or the request
  alone fills a batch; the model then runs in one worker thread;
* one call of the model predicts the whole batch; when that call fails, each request of
  the batch is predicted **alone, once**, so one bad request cannot fail its batch mates,
  and its own error is the one that call raised (a ``ValueError`` is the input's fault:
  a 422 with the model's words). A failing request alone is predicted exactly once;
* a prediction that is not a finite number (rows far outside the training ranges) is a
  422 for its request;
* the predicted rows are appended to the **prediction log** (``_monitor.py``), which
  ``GET /drift`` compares with the training data (``_drift.py``), and counted in
  ``/metrics``.
"""

from __future__ import annotations

import asyncio
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.serve._errors import RequestError
from tinkerlab.serve._metrics import VALUE_BINS, ServiceMetrics

if TYPE_CHECKING:
    from tinkerlab.serve._artifact import Artifact
    from tinkerlab.serve._batching import MicroBatcher
    from tinkerlab.serve._config import ServeConfig
    from tinkerlab.serve._monitor import PredictionLog

#: What one request gets back: its rows' predictions, or the error it alone caused.
Outcome = list[dict[str, Any]] | Exception

#: The keys of meta.json that GET /metadata shows (the drift reference stays private).
METADATA_KEYS = (
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


class Engine:
    """Predicting (batched or not), the prediction log and drift for one artifact."""

    def __init__(self, artifact: Artifact, config: ServeConfig) -> None:
        self.artifact = artifact
        self.config = config
        self.schema = artifact.schema
        self.metrics = ServiceMetrics(
            artifact.model_id, artifact.version, value_bounds=_value_bounds(artifact)
        )
        self.log: PredictionLog | None = None
        self.batcher: MicroBatcher | None = None
        self.started = time.monotonic()

    async def start(self) -> None:
        """Open the prediction log and start the micro-batcher (from the event loop)."""
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
        """Predict what is queued, then close the log (graceful shutdown)."""
        if self.batcher is not None:
            await self.batcher.stop()
            self.batcher = None
        if self.log is not None:
            self.log.close()

    # --- predicting ---------------------------------------------------------------------

    async def predict(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Predictions for one request's rows, through the micro-batcher when it is on."""
        if self.batcher is not None and len(rows) < self.config.max_batch:
            results = await self.batcher.submit(rows)
        else:
            loop = asyncio.get_running_loop()
            (outcome,) = await loop.run_in_executor(None, self.predict_requests, [rows])
            if isinstance(outcome, Exception):
                raise outcome
            results = outcome
        self.metrics.observe_predictions(len(rows), [r["prediction"] for r in results])
        return results

    def predict_requests(self, requests: list[list[dict[str, Any]]]) -> list[Outcome]:
        """Predict several requests in one call of the model (runs in a worker thread).

        When the joint call fails, each request is predicted alone, once; a request that
        fails alone gets the error its own call raised.
        """
        rows = [row for request in requests for row in request]
        try:
            results = self._predict_rows(rows)
        except Exception as error:
            if len(requests) == 1:
                return [_failure(error)]  # its own call failed: no second try
            outcomes = [self._alone(request) for request in requests]
        else:
            outcomes, start = [], 0
            for request in requests:
                part = results[start : start + len(request)]
                start += len(request)
                outcomes.append(self._finite(request, part))
        self._record(requests, outcomes)
        return outcomes

    def _predict_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.metrics.observe_batch(len(rows))
        predicted, proba = self.artifact.predict_frame(self.schema.frame(rows))
        return self.artifact.format_predictions(predicted, proba)

    def _alone(self, request: list[dict[str, Any]]) -> Outcome:
        try:
            results = self._predict_rows(request)
        except Exception as error:
            return _failure(error)
        return self._finite(request, results)

    def _finite(self, request: list[dict[str, Any]], results: list[dict[str, Any]]) -> Outcome:
        """*results*, or a 422 naming the rows whose prediction is not a finite number."""
        bad = _not_finite(results)
        if not bad:
            return results
        ranges = "; ".join(
            f"{c.name} {c.minimum:g}..{c.maximum:g}"
            for c in self.schema.columns
            if c.kind == "numeric"
        )
        rows = ", ".join(str(i) for i in bad[:10])
        return RequestError(
            f"The model's output is not a finite number for row(s) {rows}: their values are "
            f"far outside what it was trained on. Training ranges: {ranges[:600]}.",
            [{"row": i, "message": "output not finite"} for i in bad[:20]],
        )

    def _record(self, requests: list[list[dict[str, Any]]], outcomes: list[Outcome]) -> None:
        """Append the rows that were answered, and their predictions, to the log."""
        if self.log is None:
            return
        rows: list[dict[str, Any]] = []
        predictions: list[Any] = []
        for request, outcome in zip(requests, outcomes, strict=True):
            if not isinstance(outcome, Exception):
                rows.extend(request)
                predictions.extend(p["prediction"] for p in outcome)
        if rows:
            self.log.record(rows, predictions)

    # --- the other endpoints ------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """What ``GET /metadata`` returns: the model card, inputs, metrics, versions, recipe."""
        meta = self.artifact.meta
        return {
            "model_id": self.artifact.model_id,
            "model_version": self.artifact.version,
            **{k: meta.get(k) for k in METADATA_KEYS},
            "inputs": self.schema.to_dict()["columns"],
            "example": self.schema.example(),
            "card": self.artifact.card,
        }

    def drift(self, window: int) -> dict[str, Any]:
        """The last *window* logged rows against the training data (``GET /drift``)."""
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


def _failure(error: Exception) -> Exception:
    """The model raised on a request's rows: a ValueError is about the input (422)."""
    if isinstance(error, ValueError):
        return RequestError(
            f"The model could not predict these rows: {error}. Fix: send values like "
            "the training data's (GET /metadata lists their ranges).",
            [{"message": str(error)}],
        )
    return error


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


__all__ = ["Engine"]
