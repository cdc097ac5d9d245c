"""Racing: every model on the first fold, then only the front runners on the next ones.

Cross-validating every model on every fold spends most of the time on models that were
clearly behind after the first fold. :func:`rungs` and :func:`survivors` are the rule
:func:`~tinkerlab.experiment.compare` races by, **successive halving over folds**
(Jamieson & Talwalkar 2016, "Non-stochastic best arm identification and hyperparameter
optimization", AISTATS; the same rule as scikit-learn's ``HalvingGridSearchCV``, whose
resource is rows where ours is folds):

1. the folds are split into *rungs* that grow geometrically by the factor ``eta`` (3,
   scikit-learn's default), counted back from the last fold: 5 folds give rungs ending
   after folds 1, 2 and 5; 15 give 1, 2, 5 and 15;
2. every model runs the first rung (one fold);
3. at the end of each rung every model still in the race has been scored on *the same
   folds* (paired), and only the best ``ceil(n / eta)`` go on (at least
   :data:`MIN_FINALISTS`, so that the finalists can be tested against each other);
4. the finalists run every fold; the leaderboard ranks them by their mean over all folds.

The stated bound: a model leaves the race only when at least ``ceil(n / eta)`` others
scored better than it on the very same folds. It does not prove the model worse (one
fold is noisy); it bets, as successive halving does, that a model behind two thirds of the
field on the first folds will not come back to win. Successive halving finds the best
of *n* models with high probability once the folds spent on each rung are enough to
separate it from the others (Karnin, Koren & Somekh 2013, "Almost optimal exploration in
multi-armed bandits", ICML, Theorem 4.1); when the front runners are close, they are
exactly the ones kept. Ties at the cut are broken in favour of the model that starts
first (compare starts the quick models first), a fixed order: the same data gives the
same race.

With 10 models and 5 folds the race fits 10 + 4 × 1 + 2 × 3 = 20 folds instead of 50.

>>> rungs(5)
[1, 2, 5]
>>> survivors({"a": 0.9, "b": 0.8, "c": 0.7, "d": 0.95}, {}, higher_is_better=True)
['d', 'a']
"""

from __future__ import annotations

import math
from collections.abc import Mapping

#: The factor by which the field shrinks (and the folds grow) from one rung to the next.
ETA = 3
#: Models that run every fold, at least (fewer only if fewer are left in the race).
MIN_FINALISTS = 2
#: The racing rule in words, for the leaderboard and the journal.
RULE = f"successive halving over folds, the best third going on (eta = {ETA})"


def rungs(n_folds: int, eta: int = ETA) -> list[int]:
    """How many folds every model still in the race has run at the end of each rung.

    Geometric from the last fold back: ``n``, ``ceil(n / eta)``, ... down to 1.

    >>> rungs(1), rungs(2), rungs(3), rungs(10), rungs(15)
    ([1], [1, 2], [1, 3], [1, 2, 4, 10], [1, 2, 5, 15])
    """
    if n_folds < 1:
        raise ValueError(f"A race needs at least one fold. Got {n_folds}.")
    ends = [n_folds]
    while ends[-1] > 1:
        ends.append(max(1, math.ceil(ends[-1] / eta)))
        if ends[-1] == ends[-2]:  # pragma: no cover - eta >= 2 always shrinks
            break
    return sorted(set(ends))


def survivors(
    means: Mapping[str, float],
    order: Mapping[str, float],
    *,
    higher_is_better: bool,
    eta: int = ETA,
) -> list[str]:
    """The models that go on to the next rung, best first.

    Parameters
    ----------
    means : mapping of model -> mean score over the folds of the rungs so far
        Every model has run the same folds; a NaN mean (nothing scored) never goes on.
    order : mapping of model -> its place in the start order (quick models first)
        Breaks ties at the cut: the model placed first goes on. Missing models count 0.
    higher_is_better : bool
        The direction of the metric.
    eta : int
        The best ``ceil(n / eta)`` go on, at least :data:`MIN_FINALISTS`.
    """
    sign = 1.0 if higher_is_better else -1.0
    scored = [m for m, v in means.items() if not math.isnan(v)]
    ranked = sorted(scored, key=lambda m: (-sign * means[m], order.get(m, 0.0)))
    keep = max(MIN_FINALISTS, math.ceil(len(means) / eta))
    return ranked[:keep]


def places(n_models: int, n_rungs: int, eta: int = ETA) -> list[int]:
    """How many models go on from each rung when no model fails: the best
    ``ceil(n / eta)`` of the *n* that entered it, at least :data:`MIN_FINALISTS`.

    >>> places(10, 3)
    [4, 2, 2]
    """
    keep, entering = [], n_models
    for _ in range(n_rungs):
        keep.append(max(MIN_FINALISTS, math.ceil(entering / eta)))
        entering = min(entering, keep[-1])
    return keep


def planned_fits(n_models: int, n_folds: int, eta: int = ETA) -> int:
    """Fits the race makes when no model fails or is stopped: for the progress bar.

    >>> planned_fits(10, 5)
    20
    """
    total, alive, done = 0, n_models, 0
    for end in rungs(n_folds, eta):
        total += alive * (end - done)
        done = end
        alive = min(alive, max(MIN_FINALISTS, math.ceil(alive / eta)))
    return total
