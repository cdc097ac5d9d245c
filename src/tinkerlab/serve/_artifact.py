"""Artifacts: a fitted pipeline saved safely, with its model card, ready to serve.

An artifact is a directory::

    models/titanic/
      model.skops     the fitted pipeline, in skops' format (never a pickle)
      meta.json       format version, input schema, classes, metrics, data fingerprint,
                      library versions, the recipe, reference statistics for drift
      model-card.md   the same for people: what it predicts, from what, how well, limits
      net.safetensors, net.json   a neural network only: its weights and config (the
                      skops pipeline holds "passthrough" in its place; never a pickle)

Loading is safe by default: skops reads the file without running code, and refuses any
type not on the trusted list. Trusted without asking are skops' own defaults,
tinkerlab's from-scratch estimators (``tinkerlab.scratch``, our code) and the few
NumPy/scikit-learn internals that the registry's models hold (:data:`DEFAULT_TRUSTED`).
Anything else is named in the error, to be trusted explicitly with
``load_artifact(path, trusted=[...])`` or ``tinkerlab serve PATH --trust NAME``.

>>> import tinkerlab as tl
>>> from tinkerlab.serve import save_artifact, load_artifact
>>> run = tl.run("iris", model="knn", record=False)
>>> import tempfile; folder = tempfile.mkdtemp()
>>> _ = save_artifact(run, folder + "/iris")
>>> load_artifact(folder + "/iris").predict([{"sepal length (cm)": 5.1, "sepal width (cm)": 3.5,
...     "petal length (cm)": 1.4, "petal width (cm)": 0.2}])[0]["prediction"]
'setosa'

Reading ``meta.json`` (checked as untrusted input) and its format versions: ``_meta.py``.
The model card: ``_card.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.data import file_sha256
from tinkerlab.exceptions import ArtifactError, UntrustedTypesError
from tinkerlab.serve._card import render_card
from tinkerlab.serve._meta import (
    ARTIFACT_FORMAT,
    CARD_FILE,
    META_FILE,
    MODEL_FILE,
    library_versions,
    model_path,
    read_meta,
    version_notices,
)
from tinkerlab.serve._schema import InputSchema

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.runner import Run

#: Types trusted on top of skops' defaults, with the reason. skops leaves these to the
#: user; they hold the fitted state of the registry's models (tree nodes, neighbour
#: search trees, boosting predictors) as arrays and numbers, and run no code of their
#: own on load. tinkerlab's scratch estimators are added by :func:`default_trusted`.
DEFAULT_TRUSTED: dict[str, str] = {
    "numpy.dtype": "the dtype of arrays in every fitted pipeline",
    "sklearn.tree._tree.Tree": "decision trees, random forests, extra trees",
    "sklearn.neighbors._kd_tree.KDTree": "k-nearest neighbours (search tree)",
    "sklearn.neighbors._ball_tree.BallTree": "k-nearest neighbours (search tree)",
    "sklearn.metrics._dist_metrics.EuclideanDistance64": "k-nearest neighbours, p=2",
    "sklearn.metrics._dist_metrics.ManhattanDistance64": "k-nearest neighbours, p=1",
    "sklearn.metrics._dist_metrics.MinkowskiDistance64": "k-nearest neighbours, other p",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor": "gradient boosting",
    # Our text featurisers keep only settings and sizes; the weights and the lexicon come
    # from the installed pip packages (`tinkerlab pretrained`), never from the artifact.
    "tinkerlab.pretrained._text.MiniLMEmbedder": "text features: MiniLM sentence embeddings",
    "tinkerlab.pretrained._text.VaderScores": "text features: VADER sentiment scores",
}


class ArtifactVersionWarning(UserWarning):
    """The artifact was saved with other library versions; predictions may differ."""


def default_trusted() -> dict[str, str]:
    """:data:`DEFAULT_TRUSTED` plus our own classes: scratch estimators and recipe steps."""
    import tinkerlab.scratch as scratch
    from tinkerlab.recipe import DateParts, TextLength
    from tinkerlab.recipe._columns import ColumnsNamed
    from tinkerlab.recipe._onehot import CategoryBlock

    trusted = dict(DEFAULT_TRUSTED)
    for step in (DateParts, TextLength, CategoryBlock, ColumnsNamed):
        trusted[f"{step.__module__}.{step.__qualname__}"] = "tinkerlab's own preprocessing step"
    for name in scratch.__all__:
        obj = getattr(scratch, name)
        if isinstance(obj, type):
            trusted[f"{obj.__module__}.{obj.__qualname__}"] = "tinkerlab's from-scratch estimator"
    return trusted


@dataclass
class Artifact:
    """A loaded artifact: the fitted pipeline, its metadata and model card.

    Build one with :func:`load_artifact`. ``predict`` takes rows as dicts (or a
    DataFrame) and returns one dict per row: the prediction, and the class
    probabilities when the model has them.
    """

    path: Path
    pipeline: Any
    meta: dict[str, Any]
    card: str
    notices: list[str] = field(default_factory=list)  # version differences, extra trust

    @cached_property
    def schema(self) -> InputSchema:
        """The input schema: one :class:`InputColumn` per feature."""
        return InputSchema.from_dict(self.meta["schema"])

    @property
    def task(self) -> str:
        return str(self.meta["task"])

    @property
    def model_id(self) -> str:
        """A readable name: ``titanic-random_forest`` (the directory's, unless renamed)."""
        return str(self.meta["name"])

    @property
    def version(self) -> str:
        """The model's version: the first 12 hex digits of the model file's SHA-256."""
        return str(self.meta["model_sha256"])[:12]

    @cached_property
    def classes(self) -> list[Any] | None:
        """The target classes, in the order of the probabilities (None for regression)."""
        classes = self.meta.get("classes")
        return list(classes) if classes is not None else None

    @cached_property
    def has_probabilities(self) -> bool:
        """Whether the model gives class probabilities (SVM and ridge classifiers do not)."""
        return self.classes is not None and hasattr(self.pipeline, "predict_proba")

    def predict_frame(self, X: pd.DataFrame) -> tuple[Any, Any]:
        """(predictions, probabilities or None) for a frame in the schema's columns.

        Exactly ``pipeline.predict(X)`` and ``pipeline.predict_proba(X)``, but the
        preprocessing runs once for both (it costs more than most models' predict), and
        the model's own work is not repeated either (``_fastpath.py``).
        """
        from tinkerlab.serve._fastpath import predict_both

        steps = getattr(self.pipeline, "steps", None)
        if not steps:
            return predict_both(self.pipeline, X, self.has_probabilities)
        Xt = X
        for _name, step in steps[:-1]:
            if step is not None and step != "passthrough":
                Xt = step.transform(Xt)  # (n_rows, n_encoded_features)
        return predict_both(steps[-1][1], Xt, self.has_probabilities)

    def predict(self, rows: list[dict[str, Any]] | pd.DataFrame) -> list[dict[str, Any]]:
        """Predict rows given as dicts keyed by column (missing keys: imputed) or a frame."""
        import pandas as pd

        if isinstance(rows, pd.DataFrame):
            rows = rows_from_frame(rows, self.schema.names)
        predicted, proba = self.predict_frame(self.schema.frame(rows))
        return self.format_predictions(predicted, proba)

    def format_predictions(self, predicted: Any, proba: Any) -> list[dict[str, Any]]:
        """One JSON-able dict per row: ``{"prediction": .., "probabilities": {class: p}}``."""
        out = []
        labels = [str(c) for c in self.classes] if self.has_probabilities and self.classes else []
        for i, value in enumerate(predicted):
            row: dict[str, Any] = {"prediction": _plain(value)}
            if proba is not None:
                row["probabilities"] = {
                    label: float(p) for label, p in zip(labels, proba[i], strict=True)
                }
            out.append(row)
        return out


def rows_from_frame(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """A frame's rows as dicts holding only *columns*; empty cells become None."""
    import numpy as np

    present = [c for c in columns if c in frame.columns]
    part = frame[present].astype(object).where(frame[present].notna(), None)
    return [
        {str(k): _plain(v) if isinstance(v, np.generic) else v for k, v in row.items()}
        for row in part.to_dict(orient="records")
    ]


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) else value


# --------------------------------------------------------------------------- saving


def save_artifact(
    run: Run,
    path: str | Path,
    *,
    data: Dataset | pd.DataFrame | None = None,
    name: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Save *run*'s fitted pipeline as an artifact directory at *path*; return the path.

    Parameters
    ----------
    run : Run
        What :func:`tinkerlab.run` returned.
    path : str or Path
        The directory to create. It must not exist, or be empty, unless ``overwrite``.
    data : Dataset or DataFrame, optional
        The table the run was trained on. Needed only for a run on an in-memory frame;
        otherwise the table is read again from the run's source (built-in or file) and
        its SHA-256 checked against the run's fingerprint.
    name : str, optional
        The model's id in the service; by default ``<dataset>-<model>``.
    overwrite : bool
        Replace an existing artifact directory.

    The training split (the same rows, by the recipe's seed) gives the input schema and
    the reference statistics for drift. Files are written to a temporary directory that
    is renamed into place, so a failed save leaves nothing half-written.
    """
    target = Path(path).expanduser()
    check_destination(target, overwrite=overwrite)
    X_train = training_split(run, data)
    meta = build_meta(run, X_train, name or f"{_slug(run.dataset_name)}-{run.model}")
    card = render_card(meta)

    import skops.io as sio

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    shell, net = _split_net(run.pipeline)
    try:
        sio.dump(shell, staging / MODEL_FILE)
        meta["model_sha256"] = file_sha256(staging / MODEL_FILE)
        if net is not None:  # a torch net: safetensors + JSON beside the skops file
            from tinkerlab.nets._safe import CONFIG_FILE, WEIGHTS_FILE, save_net

            save_net(net, staging)
            meta["net"] = {
                "weights_sha256": file_sha256(staging / WEIGHTS_FILE),
                "config_sha256": file_sha256(staging / CONFIG_FILE),
            }
        (staging / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        (staging / CARD_FILE).write_text(card, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _split_net(pipeline: Any) -> tuple[Any, Any]:
    """(what skops saves, the torch net saved beside it or None).

    A net's module is torch code that skops cannot store without pickle; so the pipeline
    is saved with ``"passthrough"`` in the model's place, and the net as safetensors
    weights plus a JSON config (:mod:`tinkerlab.nets._safe`), joined again on load.
    """
    from sklearn.pipeline import Pipeline

    if not isinstance(pipeline, Pipeline):
        return pipeline, None
    name, last = pipeline.steps[-1]
    if not type(last).__module__.startswith("tinkerlab.nets"):
        return pipeline, None
    return Pipeline([*pipeline.steps[:-1], (name, "passthrough")]), last


def _join_net(pipeline: Any, meta: dict[str, Any], folder: Path) -> Any:
    """Put the saved net back in the pipeline's last step, its files checked first."""
    from tinkerlab.nets import _safe  # needs torch: the deep extra

    info = meta["net"]
    for file, key in ((_safe.WEIGHTS_FILE, "weights_sha256"), (_safe.CONFIG_FILE, "config_sha256")):
        if not isinstance(info, dict) or not (folder / file).is_file():
            raise ArtifactError(
                f"{str(folder)!r} holds a neural network but not its {file}. Fix: copy the "
                "whole artifact directory, or save the model again."
            )
        if file_sha256(folder / file) != info.get(key):
            raise ArtifactError(
                f"{file} in {str(folder)!r} does not match the SHA-256 in its meta.json: it "
                "was changed or damaged after saving. Fix: save the model again."
            )
    pipeline.steps[-1] = (pipeline.steps[-1][0], _safe.load_net(folder))
    return pipeline


def check_destination(target: Path, *, overwrite: bool) -> None:
    """Fail early (before a run, say) when *target* cannot become an artifact directory."""
    if target.exists() and not target.is_dir():
        raise ArtifactError(
            f"Cannot save the model to {str(target)!r}: it is a file. Fix: name a new directory."
        )
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        hint = (
            "it already holds an artifact" if (target / META_FILE).exists() else "it is not empty"
        )
        raise ArtifactError(
            f"Cannot save the model to {str(target)!r}: {hint}. Fix: choose a new directory, "
            "or replace it with --force (overwrite=True)."
        )
    parent = target.parent if not target.exists() else target
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise ArtifactError(
            f"Cannot save the model to {str(target)!r}: permission denied in {str(parent)!r}. "
            "Fix: choose a directory you can write."
        )


def training_split(run: Run, data: Dataset | pd.DataFrame | None) -> pd.DataFrame:
    """The training split's feature columns: the same rows the pipeline was fitted on."""
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.runner import prepare_frame, split

    recipe = run.recipe
    if isinstance(data, Dataset):
        frame = data.frame
    elif isinstance(data, pd.DataFrame):
        frame = data
    elif recipe.source.kind == "frame":
        raise ArtifactError(
            "This run was trained on an in-memory DataFrame, which cannot be read again to "
            "describe the model's inputs. Fix: save_artifact(run, path, data=your_frame)."
        )
    else:
        fix = "run again on the current file, or save with data=the_original_table."
        frame = read_unchanged(recipe.source, run.data_sha256, fix=fix)
    missing = [c for c in [*recipe.inputs, recipe.target] if c not in frame.columns]
    if missing:
        raise ArtifactError(
            f"The table given to save the model lacks the run's columns {missing[:5]}. "
            "Fix: pass the table the run was trained on."
        )
    X, y = prepare_frame(recipe, frame)
    X_train, _X_test, _y_train, _y_test = split(recipe, X, y)
    return X_train  # type: ignore[no-any-return]


def read_unchanged(source: Any, seen_sha256: str | None, *, fix: str) -> pd.DataFrame:
    """The run's data read again, refused when its SHA-256 is not the one the run saw."""
    from tinkerlab.data import data_change, read_source

    current = _current_source(source)
    change = data_change(
        seen_sha256 or "", current.sha256 or "", f"The data file {current.path!r}", "the run"
    )
    if change:
        raise ArtifactError(f"{change}. Fix: {fix}")
    return read_source(current)


def _current_source(source: Any) -> Any:
    """The source with a fresh fingerprint: the installed built-in, or the file's bytes now."""
    from dataclasses import replace

    from tinkerlab.data import dataset_info
    from tinkerlab.data._readers import builtin_source

    if source.kind == "builtin":
        return builtin_source(dataset_info(source.name))
    path = Path(source.path)
    if not path.exists():
        raise ArtifactError(
            f"The run's data file {source.path!r} is gone, so the model's inputs cannot be "
            "described. Fix: put the file back, or save with data=the_original_table."
        )
    return replace(source, sha256=file_sha256(path)) if source.sample_fraction is None else source


def build_meta(run: Run, X_train: pd.DataFrame, name: str) -> dict[str, Any]:
    """Everything ``meta.json`` holds but the model file's hash."""
    from tinkerlab.serve._drift import reference_statistics

    recipe = run.recipe
    schema = InputSchema.from_training(recipe, X_train, run.pipeline)
    classes = getattr(run.pipeline, "classes_", None)
    inputs = run.summary.get("inputs", {})
    return {
        "kind": "tinkerlab-artifact",
        "format": ARTIFACT_FORMAT,
        "name": name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": run.id,
        "dataset": run.dataset_name,
        "task": run.task,
        "target": recipe.target,
        "model": run.model,
        "impl": recipe.impl,
        "model_file": MODEL_FILE,
        "classes": [_plain(c) for c in classes] if classes is not None else None,
        "schema": schema.to_dict(),
        "metrics": run.metrics,
        "baseline": run.baseline,
        "primary_metric": run.primary_metric,
        "data": {
            "sha256": run.data_sha256,
            "rows": inputs.get("rows"),
            "train_rows": inputs.get("train_rows"),
            "test_rows": inputs.get("test_rows"),
            "classes": inputs.get("classes"),
            "target_stats": inputs.get("target_stats"),
        },
        "importances": run.summary.get("outputs", {}).get("importances", []),
        "versions": library_versions(),
        "recipe": recipe.to_dict(),
        "reference": reference_statistics(
            schema, X_train, run.predictions["predicted"], run.task, seed=recipe.seed
        ),
    }


def _slug(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in Path(text).stem)
    return keep.strip("-") or "model"


# --------------------------------------------------------------------------- loading


def load_artifact(path: str | Path, *, trusted: list[str] | tuple[str, ...] = ()) -> Artifact:
    """Load an artifact directory, refusing untrusted types and newer formats.

    Parameters
    ----------
    path : str or Path
        The directory :func:`save_artifact` wrote.
    trusted : list of str
        Extra type names to trust, as the refusal message lists them. Only pass names
        you have checked, from an artifact whose origin you trust.

    Raises
    ------
    ArtifactError
        The directory is not an artifact, its ``meta.json`` is malformed or names a file
        outside the folder, the model file is not a skops archive or does not match its
        SHA-256, or it was written by a newer tinkerlab.
    UntrustedTypesError
        The model file holds types that are not trusted (``error.types`` lists them).

    Warns
    -----
    ArtifactVersionWarning
        The artifact was saved with other versions of scikit-learn, NumPy...
    """
    folder = Path(path).expanduser()
    meta = read_meta(folder)
    model_file = model_path(meta, folder)
    if not model_file.is_file():
        raise ArtifactError(
            f"{str(folder)!r} has a meta.json but no model file {model_file.name!r}. "
            "Fix: copy the whole artifact directory, or save the model again."
        )
    if file_sha256(model_file) != meta["model_sha256"]:
        raise ArtifactError(
            f"The model file in {str(folder)!r} does not match the SHA-256 in its meta.json: "
            "it was changed or damaged after saving. Fix: save the model again."
        )
    differences = version_notices(meta)
    if "net" in meta:
        _require_deep(folder)
    found, pipeline = _load_model(
        model_file,
        trusted,
        differences,
        lambda p: _join_net(p, meta, folder) if "net" in meta else p,
    )
    for notice in differences:
        warnings.warn(notice, ArtifactVersionWarning, stacklevel=2)
    notices = [f"Trusted on request: {t}." for t in sorted(set(found) & set(trusted))]
    notices.extend(differences)
    card_file = folder / CARD_FILE
    card = card_file.read_text(encoding="utf-8") if card_file.is_file() else _card(meta, folder)
    artifact = Artifact(path=folder, pipeline=pipeline, meta=meta, card=card, notices=notices)
    _ = artifact.schema.row_model  # built now: a schema pydantic refuses fails here, not later
    return artifact


def _require_deep(folder: Path) -> None:
    """A neural network's artifact needs torch to load; say how to install it."""
    import importlib.util

    from tinkerlab.pretrained import MissingExtraError

    missing = tuple(m for m in ("torch", "safetensors") if not importlib.util.find_spec(m))
    if missing:
        raise MissingExtraError(
            f"{str(folder)!r} holds a neural network, which needs {', '.join(missing)}. "
            "Fix: pip install -e '.[deep]' (or pip install 'tinkerlab[deep]')",
            extra="deep",
            modules=missing,
        )


def _load_model(
    model_file: Path,
    trusted: list[str] | tuple[str, ...],
    differences: list[str],
    finish: Callable[[Any], Any] = lambda pipeline: pipeline,
) -> tuple[list[str], Any]:
    """(the types the file holds, the fitted pipeline), refusing untrusted types.

    Anything skops cannot read (a pickle renamed ``.skops``, a truncated or empty file, a
    zip without skops' schema) is an :class:`ArtifactError` naming the file and the cause.
    """
    import skops.io as sio

    try:
        found = sio.get_untrusted_types(file=model_file)
    except Exception as error:
        raise _not_skops(model_file, error, differences) from None
    allowed = default_trusted()
    untrusted = sorted(t for t in found if t not in allowed and t not in trusted)
    if untrusted:
        folder = model_file.parent
        listed = ", ".join(untrusted)
        flags = " ".join(f"--trust {t}" for t in untrusted)
        raise UntrustedTypesError(
            f"Refusing to load {str(folder)!r}: its model file holds types that are not "
            f"trusted: {listed}. Loading a type can run its code, so only trust them if you "
            f"trust where this artifact came from. Fix: tinkerlab serve {folder} {flags} "
            f"(Python: load_artifact(path, trusted={untrusted!r})).",
            untrusted,
        )
    try:
        pipeline = sio.load(model_file, trusted=sorted(found))
    except Exception as error:
        raise _not_skops(model_file, error, differences) from None
    pipeline = finish(pipeline)  # a torch net joins its pipeline here
    if not hasattr(pipeline, "predict"):
        raise ArtifactError(
            f"The model file {str(model_file)!r} holds a {type(pipeline).__name__}, not a "
            "fitted model. Fix: save a run with tinkerlab run --save or tinkerlab save."
        )
    return found, pipeline


def _not_skops(model_file: Path, error: Exception, differences: list[str]) -> ArtifactError:
    cause = f"{type(error).__name__}: {error}"[:300]
    versions = f" {differences[0]}" if differences else ""
    return ArtifactError(
        f"The model file {str(model_file)!r} is not a skops archive that this tinkerlab can "
        f"read ({cause}).{versions} Fix: save the model again with tinkerlab run ... --save "
        "DIR or tinkerlab save RUN_ID DIR; a pickle is never loaded."
    )


def _card(meta: dict[str, Any], folder: Path) -> str:
    """The model card rendered from meta.json (when model-card.md is missing)."""
    try:
        return render_card(meta)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ArtifactError(
            f"{str(folder)!r} has no {CARD_FILE} and its meta.json cannot describe the model "
            f"({type(error).__name__}: {error}). Fix: copy the whole artifact folder again."
        ) from None


__all__ = [
    "ARTIFACT_FORMAT",
    "CARD_FILE",
    "DEFAULT_TRUSTED",
    "META_FILE",
    "MODEL_FILE",
    "Artifact",
    "ArtifactVersionWarning",
    "default_trusted",
    "load_artifact",
    "rows_from_frame",
    "save_artifact",
]
