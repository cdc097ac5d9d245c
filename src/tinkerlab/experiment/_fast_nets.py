"""The fast path of a neural network's ``epochs``: train once, score after each epoch.

One row of :data:`~tinkerlab.experiment._fast.FAST_PATHS` (see that module's docstring
for why the numbers are those of separate fits).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

#: Per method name ("predict", "predict_proba"): that method's output on one set of rows.
Responses = dict[str, Any]


def read_epochs(
    model: Any, values: list[int], X: Any, y: Any, sets: list[Any], methods: set[str]
) -> Iterator[tuple[int, float, list[Responses], Any]]:
    """Train once for the largest number of epochs; after each wanted epoch, predict every
    set (the net's prediction leaves torch's random state as it was, so the training that
    goes on is the one a fresh fit would do). A value at or past an early stop is the
    stopped net, as a fresh fit with that many epochs would stop there too."""
    wanted = set(values)
    seen: dict[int, tuple[float, list[Responses]]] = {}
    paused = 0.0  # seconds spent predicting, not training
    tick = time.perf_counter()

    def after_epoch(epoch: int, net: Any) -> None:
        nonlocal paused
        if epoch not in wanted:
            return
        start = time.perf_counter()
        responses = [{m: getattr(net, m)(X_set) for m in methods} for X_set in sets]
        seen[epoch] = (start - tick - paused, responses)
        paused += time.perf_counter() - start

    model.set_params(epochs=values[-1])
    model.fit(X, y, epoch_hook=after_epoch)
    total = time.perf_counter() - tick - paused
    last: list[Responses] | None = None
    for value in values:
        if value not in seen:  # the net stopped early, at or before this epoch
            last = last or [{m: getattr(model, m)(X_set) for m in methods} for X_set in sets]
            seen[value] = (total, last)
        fit_time, responses = seen[value]
        yield value, fit_time, responses, model
