"""Shared helpers: a store that keeps everything in memory, as the journal would."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest


@dataclass
class MemoryStore:
    """An ExperimentStore in memory: records every call, and can play the journal's entry."""

    experiments: dict[int, dict[str, Any]] = field(default_factory=dict)
    points: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def start_experiment(self, experiment, prediction):
        experiment_id = len(self.experiments) + 1
        self.experiments[experiment_id] = {
            **experiment,
            "status": "running",
            "prediction": prediction,
        }
        self.points[experiment_id] = []
        self.calls.append("start")
        return experiment_id

    def record_point(self, experiment_id, point):
        self.points[experiment_id].append(dict(point))
        self.calls.append(f"point {point['position']}")

    def mark_experiment(self, experiment_id, status):
        self.experiments[experiment_id]["status"] = status
        self.calls.append(status)

    def finish_experiment(self, experiment_id, summary, plots, prediction_score):
        self.experiments[experiment_id].update(
            status="finished", summary=dict(summary), plots=dict(plots), score=prediction_score
        )
        self.calls.append("finish")
        return [Path("/nowhere") / name for name in plots]

    def entry(self, experiment_id):
        """What Journal.get_experiment would return, as far as resume() reads it."""
        data = self.experiments[experiment_id]
        p = data["prediction"]
        prediction = (
            None
            if p is None
            else SimpleNamespace(
                shape=p["shape"], best_value=p["best_value"], best_score=p["best_score"]
            )
        )
        return SimpleNamespace(
            id=experiment_id,
            spec=data["spec"],
            points=[SimpleNamespace(**p) for p in self.points[experiment_id]],
            prediction=prediction,
        )


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()
