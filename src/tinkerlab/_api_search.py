"""``tl.search``: several knobs of one model at once (kept beside :mod:`tinkerlab._api`,
which re-exports it, so that each stays a size one can read)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.options import declared

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.experiment._search import SearchProgress
    from tinkerlab.experiment._search_result import Search
    from tinkerlab.journal import Journal
    from tinkerlab.options import Settings


@declared("search")
def search(
    dataset: str | Path | pd.DataFrame | Dataset,
    *,
    progress: SearchProgress | None = None,
    **options: Any,
) -> Search:
    """Tune several knobs of one model at once: settings raced by successive halving.

    A grid of the knobs' values (or random settings drawn on each knob's scale) is raced
    with scikit-learn's ``HalvingGridSearchCV`` on the same paired folds as ``tinker``
    and ``compare``; the best two settings are cross-validated again on every full fold
    and the best one's lead is tested (corrected resampled t-test); the best is scored
    once on the held-out test split.

    Parameters
    ----------
    dataset : str, path, DataFrame or Dataset
        A built-in name, a file, a table, or a loaded :class:`~tinkerlab.data.Dataset`.
    {options}
    progress : callable, optional
        Called with a short description of each step as it starts.

    Returns
    -------
    Search
        ``.best_params``, ``.frame`` (every setting), ``.lead`` (the test),
        ``.verdict_text()``, ``.chart()``, ``.script()``; recorded in the journal as an
        experiment of kind ``"search"`` (``found.id``).

    Examples
    --------
    >>> found = search("iris", model="svm", knobs={"C": (0.1, 100), "gamma": (1e-4, 1)},
    ...                record=False)  # doctest: +SKIP
    >>> sorted(found.best_params)  # doctest: +SKIP
    ['C', 'gamma']
    """
    from tinkerlab.options import settle

    return search_settled(settle("search", {"dataset": dataset, **options}), progress=progress)


def search_settled(
    settings: Settings,
    *,
    progress: SearchProgress | None = None,
    journal: Journal | None = None,
) -> Search:
    """:func:`search` with its options already settled; *journal* as in
    :func:`tinker_settled` (a journal already open, left open)."""
    from tinkerlab.experiment import search_settled as run_search

    if not settings.record:
        return run_search(settings, progress=progress)
    if journal is not None:
        return run_search(settings, store=journal, progress=progress)
    from tinkerlab._api import open_journal

    with open_journal(settings.db) as store:
        return run_search(settings, store=store, progress=progress)
