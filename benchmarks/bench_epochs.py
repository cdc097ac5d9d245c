"""The ``epochs`` fast path of a neural network against training each value separately.

On the bundled digits (1,797 rows, 64 pixels), one fold (75 % / 25 %), a torch MLP
(``mlp_torch``, defaults) swept over epochs ``1, 2, 5, 10, 20, 30``:

* **naive**: for every value, build the pipeline, train it for that many epochs, score
  it on the validation rows (what a learner's own loop does): 1 + 2 + 5 + 10 + 20 + 30 =
  68 epochs of training;
* **fast**: ``tinkerlab.experiment._fast`` trains once to 30 epochs and scores the net
  after each wanted epoch: 30 epochs, plus six predictions.

Both run single-threaded in this process, after one warm-up fit (torch imports parts of
itself on its first optimiser), and must give the same accuracy (the script checks every
value within 1e-6). The ratio is bounded by the grid: 68 / 30 = 2.3x, less the time the
fast path spends predicting the training rows after each wanted epoch.

Run:  python benchmarks/bench_epochs.py [--values 1,2,5,10,20,30]
"""

# %%
from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.metrics import get_scorer
from threadpoolctl import threadpool_limits

from tinkerlab.data import load
from tinkerlab.experiment._fast import fast_path_for
from tinkerlab.recipe import Metric, build_pipeline, make_recipe

TOLERANCE = 1e-6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", default="1,2,5,10,20,30")
    values = [int(v) for v in parser.parse_args().values.split(",")]

    import torch

    torch.set_num_threads(1)
    data = load("digits")
    recipe = make_recipe(data, model="mlp_torch")
    X, y = data.frame.drop(columns=[data.target]), data.frame[data.target]
    cut = int(len(X) * 0.75)
    folds = [(np.arange(cut), np.arange(cut, len(X)))]
    accuracy = Metric("accuracy", "accuracy", 1, True, "")

    with threadpool_limits(1):
        # Warm up: torch imports parts of itself on the first optimiser it builds (seconds).
        build_pipeline(recipe.with_changes(params={"epochs": 1})).fit(X[:100], y[:100])
        tick = time.perf_counter()
        fast = fast_path_for(recipe, "epochs").sweep(recipe, values, X, y, folds, [accuracy])
        fast_s = time.perf_counter() - tick

        tick = time.perf_counter()
        naive = {}
        for value in values:
            pipeline = build_pipeline(recipe.with_changes(params={"epochs": value}))
            pipeline.fit(X[:cut], y[:cut])
            naive[value] = get_scorer("accuracy")(pipeline, X[cut:], y[cut:])
        naive_s = time.perf_counter() - tick

    worst = max(abs(fast[v]["test"]["accuracy"][0] - naive[v]) for v in values)
    for v in values:
        print(f"epochs={v:>4}: fast {fast[v]['test']['accuracy'][0]:.4f}  naive {naive[v]:.4f}")
    print(f"fast path {fast_s:.1f} s, naive loop {naive_s:.1f} s: {naive_s / fast_s:.2f}x")
    print(f"largest difference {worst:.2g} (tolerance {TOLERANCE:g})")
    assert worst <= TOLERANCE, "the fast path must give the naive loop's scores"


if __name__ == "__main__":
    main()
