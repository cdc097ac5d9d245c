"""The service's counters, in Prometheus' text format (what ``GET /metrics`` returns).

Small on purpose: counters and histograms kept in this process, written out as
Prometheus text exposition format 0.0.4. With ``--workers N`` each worker process keeps
its own, and a scrape reaches one of them; ``docs/serve.md`` says how to scrape each.

>>> m = ServiceMetrics(model_id="iris-knn", version="abc")
>>> m.observe_request("/predict", 200, 0.003)
>>> 'tinkerlab_requests_total{path="/predict",status="200"} 1' in m.render()
True
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict

#: Upper bounds of the latency buckets, in seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
#: Upper bounds of the batch-size buckets, in rows per predict call.
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
#: Upper bounds of the bins of predicted values (regression), fixed at start from the
#: training predictions' range so the histogram is meaningful for the model.
VALUE_BINS = 10


class Histogram:
    """Cumulative buckets, a sum and a count, as Prometheus expects."""

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)  # the last one is +Inf
        self.total = 0.0
        self.n = 0

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.n += 1

    def lines(self, name: str, labels: str = "") -> list[str]:
        out = []
        running = 0
        sep = "," if labels else ""
        for bound, count in zip((*self.bounds, float("inf")), self.counts, strict=True):
            running += count
            le = "+Inf" if bound == float("inf") else f"{bound:g}"
            out.append(f'{name}_bucket{{{labels}{sep}le="{le}"}} {running}')
        braces = f"{{{labels}}}" if labels else ""
        out.append(f"{name}_sum{braces} {self.total:.6f}")
        out.append(f"{name}_count{braces} {self.n}")
        return out


class ServiceMetrics:
    """Requests, errors, latency, batch sizes and predictions of one service process."""

    def __init__(
        self, model_id: str, version: str, value_bounds: tuple[float, ...] | None = None
    ) -> None:
        self.model_id = model_id
        self.version = version
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.latency: dict[str, Histogram] = {}
        self.batches = Histogram(tuple(float(b) for b in BATCH_BUCKETS))
        self.rows_per_request = Histogram(tuple(float(b) for b in BATCH_BUCKETS))
        self.classes: dict[str, int] = defaultdict(int)
        self.values = Histogram(value_bounds) if value_bounds else None
        self.rejected_rows = 0

    def observe_request(self, path: str, status: int, seconds: float) -> None:
        """One HTTP request answered."""
        with self._lock:
            self.requests[(path, status)] += 1
            if path not in self.latency:
                self.latency[path] = Histogram(LATENCY_BUCKETS)
            self.latency[path].observe(seconds)

    def observe_batch(self, rows: int) -> None:
        """One call of the model's predict, on *rows* rows."""
        with self._lock:
            self.batches.observe(float(rows))

    def observe_predictions(self, request_rows: int, predictions: list[object]) -> None:
        """The rows of one request and what was predicted for them."""
        with self._lock:
            self.rows_per_request.observe(float(request_rows))
            for p in predictions:
                if self.values is not None and isinstance(p, int | float):
                    self.values.observe(float(p))
                else:
                    self.classes[str(p)] += 1

    def render(self) -> str:
        """Everything, in Prometheus text exposition format."""
        with self._lock:
            info = f'model_id="{_label(self.model_id)}",version="{_label(self.version)}"'
            lines = [
                "# HELP tinkerlab_model_info The model this service answers with.",
                "# TYPE tinkerlab_model_info gauge",
                f"tinkerlab_model_info{{{info}}} 1",
                "# HELP tinkerlab_requests_total HTTP requests answered, by path and status.",
                "# TYPE tinkerlab_requests_total counter",
            ]
            for (path, status), n in sorted(self.requests.items()):
                lines.append(
                    f'tinkerlab_requests_total{{path="{_label(path)}",status="{status}"}} {n}'
                )
            errors: dict[str, int] = defaultdict(int)
            for (path, status), n in self.requests.items():
                if status >= 400:
                    errors[path] += n
            lines += [
                "# HELP tinkerlab_request_errors_total Requests answered with a 4xx or 5xx.",
                "# TYPE tinkerlab_request_errors_total counter",
            ]
            lines += [
                f'tinkerlab_request_errors_total{{path="{_label(p)}"}} {n}'
                for p, n in sorted(errors.items())
            ]
            lines += [
                "# HELP tinkerlab_request_seconds Time to answer a request.",
                "# TYPE tinkerlab_request_seconds histogram",
            ]
            for path, hist in sorted(self.latency.items()):
                lines += hist.lines("tinkerlab_request_seconds", f'path="{_label(path)}"')
            lines += [
                "# HELP tinkerlab_batch_rows Rows per call of the model (micro-batches).",
                "# TYPE tinkerlab_batch_rows histogram",
                *self.batches.lines("tinkerlab_batch_rows"),
                "# HELP tinkerlab_request_rows Rows per /predict request.",
                "# TYPE tinkerlab_request_rows histogram",
                *self.rows_per_request.lines("tinkerlab_request_rows"),
            ]
            if self.values is not None:
                lines += [
                    "# HELP tinkerlab_predicted_value Predicted values (regression).",
                    "# TYPE tinkerlab_predicted_value histogram",
                    *self.values.lines("tinkerlab_predicted_value"),
                ]
            else:
                lines += [
                    "# HELP tinkerlab_predictions_total Predictions, by predicted class.",
                    "# TYPE tinkerlab_predictions_total counter",
                ]
                lines += [
                    f'tinkerlab_predictions_total{{class="{_label(c)}"}} {n}'
                    for c, n in sorted(self.classes.items())
                ]
        return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    """Escape a label value: backslash, double quote and newline."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
