"""The lists a form's selects offer, resolved from the library (never typed here).

A declared option says where its choices come from (``Text(choices_from="models")``);
:class:`Choices` answers for one form, knowing the dataset and model it is about:

* ``datasets``: the built-ins (``tl.datasets()``) and this lab's uploads;
* ``models``: the registry (``tinkerlab.recipe.MODELS``), those that can do the task;
* ``metrics``: ``tinkerlab.recipe.metrics_for`` the task;
* ``columns``: the loaded dataset's columns;
* ``knobs``: ``tinkerlab.experiment.valid_knobs`` for the model.

Datasets are loaded once per (source, target) and kept: a form redrawn as a learner picks
a target does not read the file again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.data import Dataset

_CACHE_SIZE = 8
_cache: OrderedDict[tuple[str, str | None, float], Dataset] = OrderedDict()
_lock = threading.Lock()


def load_cached(source: str, target: str | None = None) -> Dataset:
    """``tinkerlab.data.load(source, target=target)``, kept for the next form. A file
    without a *target* gets its last column (a form shows it chosen, to change)."""
    from tinkerlab.data import load

    path = Path(source)
    if target is None and path.is_absolute():
        target = default_target(source)
    stamp = path.stat().st_mtime if path.is_absolute() and path.exists() else 0.0
    key = (source, target, stamp)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    dataset = load(source, target=target)
    with _lock:
        _cache[key] = dataset
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return dataset


def default_target(source: str) -> str | None:
    """The column a form proposes to predict in a file: its last one (None for a
    built-in, whose catalog names its own). The data layer never guesses a target; the
    lab proposes one, shown chosen, for the learner to change."""
    from tinkerlab.data import read_table

    path = Path(source)
    if not path.is_absolute():
        return None
    found = _headers.get((source, path.stat().st_mtime))
    if found is None:
        found = [str(c) for c in read_table(path)[0].columns]  # the file's, in its order
        _headers[(source, path.stat().st_mtime)] = found
    return found[-1] if found else None


_headers: dict[tuple[str, float], list[str]] = {}


class _Scored:
    """Stands for an estimator that scores rows, so ``metrics_for`` lists ROC AUC too."""

    def predict_proba(self, X: Any) -> Any:  # pragma: no cover - never called
        raise NotImplementedError


@dataclass
class Choices:
    """What the selects of one form offer."""

    uploads_dir: Path  # the lab's uploads folder
    dataset: Dataset | None = None  # the dataset the form is about, once chosen
    model: str | None = None  # the model chosen (None: the task's default)
    impl: str = "sklearn"

    @property
    def task(self) -> str | None:
        return self.dataset.task if self.dataset is not None else None

    def resolve(self, source: str | None) -> list[tuple[str, str]]:
        """``(value, text)`` pairs for the list called *source*."""
        if source == "datasets":
            return self.datasets()
        if source == "models":
            return self.models()
        if source == "metrics":
            return self.metrics()
        if source == "columns":
            return self.columns()
        if source == "knobs":
            return [(k, k) for k in self.knobs()]
        return []

    def datasets(self) -> list[tuple[str, str]]:
        from tinkerlab import _api
        from tinkerlab.web import _uploads

        pairs = [(u.choice, f"{u.original} (uploaded)") for u in _uploads.listing(self.uploads_dir)]
        pairs += [(d.name, f"{d.name} — {d.title}") for d in _api.datasets()]
        return pairs

    def models(self) -> list[tuple[str, str]]:
        from tinkerlab.recipe import MODELS

        task = self.task
        return [
            (name, f"{spec.title} ({name})")
            for name, spec in MODELS.items()
            if task is None or task in spec.tasks
        ]

    def metrics(self) -> list[tuple[str, str]]:
        from tinkerlab.recipe import metrics_for

        tasks = [self.task] if self.task else ["classification", "regression"]
        seen: dict[str, str] = {}
        for task in tasks:
            for metric in metrics_for(task, 2, _Scored()):  # type: ignore[arg-type]
                seen.setdefault(metric.name, f"{metric.name} — {metric.help}")
        return list(seen.items())

    def columns(self) -> list[tuple[str, str]]:
        if self.dataset is None:
            return []
        return [(c.name, f"{c.name} ({c.role})") for c in self.dataset.columns.values()]

    def knobs(self) -> list[str]:
        """The model's parameters, then the special knobs (train_size, features...)."""
        from tinkerlab.experiment import SPECIAL_KNOBS, valid_knobs
        from tinkerlab.recipe import make_recipe

        if self.dataset is None or self.dataset.task is None:
            return list(SPECIAL_KNOBS)
        impl: Any = self.impl  # "sklearn" or "scratch"; the registry checks it
        recipe = make_recipe(self.dataset, model=self.model_name(), impl=impl)
        return valid_knobs(recipe)

    def model_name(self) -> str:
        """The model chosen, or the default for the dataset's task."""
        from tinkerlab.recipe import default_model

        if self.model:
            return self.model
        if self.dataset is None or self.dataset.task is None:
            return "random_forest"
        return default_model(self.dataset.task, has_text=bool(self.dataset.features("text")))

    def model_knobs(self) -> list[Any]:
        """The registry's knobs of the model chosen, for the task (sliders)."""
        from tinkerlab.recipe import get_model

        name = self.model_name()
        task = self.task or "classification"
        try:
            spec = get_model(name, task)  # type: ignore[arg-type]
            return list(spec.knobs_for(task, self.impl))  # type: ignore[arg-type]
        except Exception:  # an unknown model or twin: the form says so when it is sent
            return []
