"""The learner's prediction record: how often the predictions came true, and how close.

Plain arithmetic over prediction records (the journal's
:class:`~tinkerlab.journal.PredictionEntry`, or anything with the same attributes: see
:class:`PredictionRecord`), shared by ``tinkerlab journal predictions`` and the Python API.
The journal stores the records; scoring one prediction is :func:`score_prediction` in
``_shape.py``, and adding them up is here, above the storage and beside the scoring:

- **hit rate** of shape predictions (up, down, peak, valley, flat, differs), overall, per
  week (over time, with the running rate) and per knob kind; a curve that was "too noisy
  to tell" scores neither a hit nor a miss, and is counted apart;
- **best-value guesses**: how often the guessed value was the best or statistically tied
  with it, and the mean closeness (1 = the best itself, 0 = the far end of the sweep);
- **score guesses**, the calibration-style check: the share that fell inside the best
  score's 95% confidence interval (a well-calibrated guesser lands inside about 95% of
  the time, so a much lower share means overconfident guesses), and the mean error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol


class PredictionRecord(Protocol):
    """What the record reads from each prediction (the journal's ``PredictionEntry``)."""

    @property
    def created_at(self) -> datetime: ...  # when it was made, before the experiment ran

    @property
    def knob_kind(self) -> str: ...  # "param", or the special knob's name

    @property
    def shape(self) -> str | None: ...  # the predicted shape, or None

    @property
    def scored_at(self) -> datetime | None: ...  # None until its experiment finished

    @property
    def shape_hit(self) -> bool | None: ...  # None: no shape, or too noisy to tell

    @property
    def best_hit(self) -> bool | None: ...  # the guessed best value was the best or tied

    @property
    def best_closeness(self) -> float | None: ...  # 1 - distance / swept span

    @property
    def score_error(self) -> float | None: ...  # |score guess - best mean|

    @property
    def score_in_interval(self) -> bool | None: ...  # the guess lies in the best's 95% CI


def summarize_predictions(entries: Sequence[PredictionRecord]) -> dict[str, Any]:
    """The record of *entries* (oldest first), as a JSON-able dict.

    >>> summarize_predictions([])["shapes"]["hit_rate"] is None
    True
    """
    scored = [e for e in entries if e.scored_at is not None]
    shaped = [e for e in scored if e.shape is not None]
    judged = [e for e in shaped if e.shape_hit is not None]
    weeks: dict[str, list[bool]] = {}
    for e in judged:
        year, week, _ = e.created_at.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", []).append(bool(e.shape_hit))
    over_time = []
    hits_so_far = total_so_far = 0
    for label, hits in sorted(weeks.items()):
        hits_so_far += sum(hits)
        total_so_far += len(hits)
        over_time.append(
            {
                "week": label,
                "predictions": len(hits),
                "hits": sum(hits),
                "hit_rate": _rate(sum(hits), len(hits)),
                "running_hit_rate": _rate(hits_so_far, total_so_far),
            }
        )
    kinds: dict[str, list[PredictionRecord]] = {}
    for e in shaped:
        kinds.setdefault(e.knob_kind, []).append(e)
    per_kind = {
        kind: {
            "predictions": len(group),
            "judged": sum(e.shape_hit is not None for e in group),
            "hits": sum(bool(e.shape_hit) for e in group),
            "too_noisy": sum(e.shape_hit is None for e in group),
            "hit_rate": _rate(
                sum(bool(e.shape_hit) for e in group), sum(e.shape_hit is not None for e in group)
            ),
        }
        for kind, group in sorted(kinds.items())
    }
    best = [e for e in scored if e.best_hit is not None]
    close = [e.best_closeness for e in scored if e.best_closeness is not None]
    guesses = [e for e in scored if e.score_in_interval is not None]
    errors = [e.score_error for e in guesses if e.score_error is not None]
    return {
        "predictions": len(entries),
        "pending": len(entries) - len(scored),
        "shapes": {
            "predicted": len(shaped),
            "judged": len(judged),
            "hits": sum(bool(e.shape_hit) for e in judged),
            "too_noisy": len(shaped) - len(judged),
            "hit_rate": _rate(sum(bool(e.shape_hit) for e in judged), len(judged)),
        },
        "over_time": over_time,
        "per_knob_kind": per_kind,
        "best_value": {
            "guesses": len(best),
            "hits": sum(bool(e.best_hit) for e in best),
            "hit_rate": _rate(sum(bool(e.best_hit) for e in best), len(best)),
            "mean_closeness": round(sum(close) / len(close), 4) if close else None,
        },
        "score": {
            "guesses": len(guesses),
            "inside_interval": sum(bool(e.score_in_interval) for e in guesses),
            "calibration": _rate(sum(bool(e.score_in_interval) for e in guesses), len(guesses)),
            "mean_error": round(sum(errors) / len(errors), 6) if errors else None,
        },
    }


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None
