"""Artifacts: a fitted pipeline saved safely, with its model card, ready to serve.

An artifact is a directory::

    models/titanic/
      model.skops     the fitted pipeline, in skops' format (never a pickle)
      meta.json       format version, input schema, classes, metrics, data fingerprint,
                      library versions, the recipe, reference statistics for drift
      model-card.md   the same for people: what it predicts, from what, how well, limits

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

Format versions
---------------
:data:`ARTIFACT_FORMAT` is written into every ``meta.json``. To change the layout:

1. Adding an optional key to ``meta.json`` (readers use ``.get`` with a default) keeps
   the version.
2. Renaming, removing or changing the meaning of a key, or changing the files, bumps
   it by one. :func:`load_artifact` must keep reading every older version: write the
   upgrade in :func:`_upgrade` (old dict in, current dict out) and add a test that
   loads an artifact of the old version.
3. A reader refuses a *newer* version than it knows, asking for an upgrade.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import ArtifactError, UntrustedTypesError
from tinkerlab.serve._schema import InputSchema

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.runner import Run

#: Version of the artifact layout; see "Format versions" above before changing it.
ARTIFACT_FORMAT = 1
MODEL_FILE = "model.skops"
META_FILE = "meta.json"
CARD_FILE = "model-card.md"

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
    """:data:`DEFAULT_TRUSTED` plus every class of ``tinkerlab.scratch`` and the recipe's
    new-feature transformers (our own code)."""
    import tinkerlab.scratch as scratch
    from tinkerlab.recipe import DateParts, TextLength

    trusted = dict(DEFAULT_TRUSTED)
    for step in (DateParts, TextLength):
        trusted[f"{step.__module__}.{step.__qualname__}"] = "tinkerlab's new-feature step"
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
        preprocessing runs once for both (it costs more than most models' predict).
        """
        steps = getattr(self.pipeline, "steps", None)
        if not steps:
            predicted = self.pipeline.predict(X)
            proba = self.pipeline.predict_proba(X) if self.has_probabilities else None
            return predicted, proba
        Xt = X
        for _name, step in steps[:-1]:
            if step is not None and step != "passthrough":
                Xt = step.transform(Xt)  # (n_rows, n_encoded_features)
        model = steps[-1][1]
        predicted = model.predict(Xt)  # (n_rows,)
        proba = model.predict_proba(Xt) if self.has_probabilities else None
        return predicted, proba  # proba: (n_rows, n_classes)

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
    try:
        sio.dump(run.pipeline, staging / MODEL_FILE)
        meta["model_sha256"] = _sha256(staging / MODEL_FILE)
        (staging / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        (staging / CARD_FILE).write_text(card, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


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

    from tinkerlab.data import Dataset, read_source
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
        source = _current_source(recipe.source)
        if source.sha256 and run.data_sha256 and source.sha256 != run.data_sha256:
            raise ArtifactError(
                f"The data file {source.path!r} changed since the run (SHA-256 "
                f"{source.sha256[:12]}…, the run saw {run.data_sha256[:12]}…). Fix: run again "
                "on the current file, or save with data=the_original_table."
            )
        frame = read_source(source)
    missing = [c for c in [*recipe.inputs, recipe.target] if c not in frame.columns]
    if missing:
        raise ArtifactError(
            f"The table given to save the model lacks the run's columns {missing[:5]}. "
            "Fix: pass the table the run was trained on."
        )
    X, y = prepare_frame(recipe, frame)
    X_train, _X_test, _y_train, _y_test = split(recipe, X, y)
    return X_train  # type: ignore[no-any-return]


def _current_source(source: Any) -> Any:
    """The source with a fresh fingerprint: the installed built-in, or the file's bytes now."""
    from dataclasses import replace

    from tinkerlab.data import dataset_info
    from tinkerlab.data._readers import builtin_source, file_sha256

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


def library_versions() -> dict[str, str]:
    """The versions that shape a fitted model's behaviour."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for package in ("tinkerlab", "scikit-learn", "numpy", "scipy", "pandas", "skops"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            out[package] = "unknown"
    return out


def _slug(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in Path(text).stem)
    return keep.strip("-") or "model"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        The directory is not an artifact, is damaged, or was written by a newer tinkerlab.
    UntrustedTypesError
        The model file holds types that are not trusted (``error.types`` lists them).

    Warns
    -----
    ArtifactVersionWarning
        The artifact was saved with other versions of scikit-learn, NumPy...
    """
    folder = Path(path).expanduser()
    meta = read_meta(folder)
    model_file = folder / str(meta.get("model_file", MODEL_FILE))
    if not model_file.is_file():
        raise ArtifactError(
            f"{str(folder)!r} has a meta.json but no model file {model_file.name!r}. "
            "Fix: copy the whole artifact directory, or save the model again."
        )
    if meta.get("model_sha256") and _sha256(model_file) != meta["model_sha256"]:
        raise ArtifactError(
            f"The model file in {str(folder)!r} does not match the SHA-256 in its meta.json: "
            "it was changed or damaged after saving. Fix: save the model again."
        )
    import skops.io as sio

    allowed = default_trusted()
    found = sio.get_untrusted_types(file=model_file)
    untrusted = sorted(t for t in found if t not in allowed and t not in trusted)
    if untrusted:
        listed = ", ".join(untrusted)
        flags = " ".join(f"--trust {t}" for t in untrusted)
        raise UntrustedTypesError(
            f"Refusing to load {str(folder)!r}: its model file holds types that are not "
            f"trusted: {listed}. Loading a type can run its code, so only trust them if you "
            f"trust where this artifact came from. Fix: tinkerlab serve {folder} {flags} "
            f"(Python: load_artifact(path, trusted={untrusted!r})).",
            untrusted,
        )
    pipeline = sio.load(model_file, trusted=sorted(found))
    if not hasattr(pipeline, "predict"):
        raise ArtifactError(
            f"The model file in {str(folder)!r} holds a {type(pipeline).__name__}, not a "
            "fitted model. Fix: save a run with tinkerlab run --save or tinkerlab save."
        )
    differences = _version_notices(meta)
    for notice in differences:
        warnings.warn(notice, ArtifactVersionWarning, stacklevel=2)
    notices = [f"Trusted on request: {t}." for t in sorted(set(found) & set(trusted))]
    notices.extend(differences)
    card_file = folder / CARD_FILE
    card = card_file.read_text(encoding="utf-8") if card_file.is_file() else render_card(meta)
    return Artifact(path=folder, pipeline=pipeline, meta=meta, card=card, notices=notices)


def read_meta(folder: Path) -> dict[str, Any]:
    """``meta.json`` of an artifact directory, checked and upgraded to the current format."""
    meta_file = folder / META_FILE
    if not folder.is_dir():
        raise ArtifactError(
            f"No artifact at {str(folder)!r}: there is no such directory. Fix: save one with "
            "tinkerlab run DATASET --save DIR, or tinkerlab save RUN_ID DIR."
        )
    if not meta_file.is_file():
        raise ArtifactError(
            f"{str(folder)!r} is not a tinkerlab artifact: it has no meta.json. Fix: point to "
            "the directory written by --save or tinkerlab save."
        )
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArtifactError(
            f"The meta.json in {str(folder)!r} is damaged ({error}). Fix: save the model again."
        ) from None
    if not isinstance(meta, dict) or meta.get("kind") != "tinkerlab-artifact":
        raise ArtifactError(
            f"The meta.json in {str(folder)!r} is not a tinkerlab artifact's. "
            "Fix: point to the directory written by --save or tinkerlab save."
        )
    version = meta.get("format")
    if not isinstance(version, int) or version < 1:
        raise ArtifactError(f"The meta.json in {str(folder)!r} has no valid format version.")
    if version > ARTIFACT_FORMAT:
        raise ArtifactError(
            f"{str(folder)!r} was saved by a newer tinkerlab (artifact format {version}; this "
            f"version reads up to {ARTIFACT_FORMAT}). Fix: pip install --upgrade tinkerlab"
        )
    return _upgrade(meta)


def _upgrade(meta: dict[str, Any]) -> dict[str, Any]:
    """Bring an older format's meta.json up to :data:`ARTIFACT_FORMAT` (none yet)."""
    return meta


def _version_notices(meta: dict[str, Any]) -> list[str]:
    saved = meta.get("versions", {})
    now = library_versions()
    notices = []
    for package in ("scikit-learn", "numpy", "scipy", "skops", "pandas"):
        if saved.get(package) and saved[package] != now.get(package):
            notices.append(
                f"The model was saved with {package} {saved[package]} and this is "
                f"{now.get(package)}; its predictions may differ. Fix: pip install "
                f"'{package}=={saved[package]}', or save the model again with this version."
            )
    return notices


# --------------------------------------------------------------------------- the card


def render_card(meta: dict[str, Any]) -> str:
    """The model card, in Markdown: what it predicts, from what, how well, its limits."""
    from tinkerlab.recipe import PRECISION, get_model

    schema = InputSchema.from_dict(meta["schema"])
    recipe = meta["recipe"]
    spec = get_model(meta["model"])
    impl = " (tinkerlab's from-scratch twin)" if meta.get("impl") == "scratch" else ""
    data = meta["data"]
    lines = [
        f"# Model card: {meta['name']}",
        "",
        f"**Predicts** `{meta['target']}` ({meta['task']}) from {len(schema.columns)} input "
        f"columns of the dataset `{meta['dataset']}`, with a {spec.title}{impl}: "
        f"{spec.summary}",
        "",
        f"Saved {meta['created_at']} by tinkerlab {meta['versions'].get('tinkerlab')}"
        + (f" from journal run #{meta['run_id']}" if meta.get("run_id") is not None else "")
        + ".",
        "",
        "## Data",
        "",
        f"- {data.get('rows')} rows: {data.get('train_rows')} for training (and "
        f"{recipe['cv_folds']}-fold cross-validation), {data.get('test_rows')} held out for the "
        f"test score; split with seed {recipe['seed']}.",
        f"- Data fingerprint (SHA-256): `{data.get('sha256')}`",
    ]
    if data.get("classes"):
        balance = ", ".join(f"{k}: {v}" for k, v in data["classes"].items())
        lines.append(f"- Classes (rows): {balance}")
    if data.get("target_stats"):
        s = data["target_stats"]
        lines.append(
            f"- Target: mean {s['mean']:.4g}, std {s['std']:.4g}, from {s['min']:.4g} to "
            f"{s['max']:.4g}"
        )
    lines += [
        "",
        "## How well it does",
        "",
        "| metric | cross-validation (mean ± std) | test | baseline test |",
        "|---|---|---|---|",
    ]
    for metric, s in meta["metrics"].items():
        base = meta["baseline"].get(metric, {}).get("test")
        lines.append(
            f"| {metric} | {_fmt(s.get('cv_mean'), PRECISION)} ± {_fmt(s.get('cv_std'), PRECISION)}"
            f" | {_fmt(s.get('test'), PRECISION)} | {_fmt(base, PRECISION)} |"
        )
    lines += [
        "",
        "The baseline ignores the inputs (it predicts the most frequent class, or the mean).",
        "",
        "## Inputs",
        "",
        "| column | kind | what is accepted |",
        "|---|---|---|",
    ]
    lines += [f"| `{c.name}` | {c.kind} | {c.describe()} |" for c in schema.columns]
    if meta.get("importances"):
        top = ", ".join(f"`{r['feature']}`" for r in meta["importances"][:5])
        lines += ["", f"Most important inputs (largest first): {top}."]
    lines += [
        "",
        "## Intended use",
        "",
        f"Predicting `{meta['target']}` for new rows like the training data, for learning and "
        "experiments. It was built in a code-first ML lab; it has not been checked for "
        "fairness, robustness or for decisions about people.",
        "",
        "## Limits",
        "",
        "- Rows unlike the training data (numbers outside the ranges above, a population that "
        "changed) get predictions with no guarantee; the service's `/drift` endpoint and "
        "`tinkerlab monitor` compare live inputs with the training data.",
        "- A category not seen in training is refused (HTTP 422).",
        "- Optional inputs left empty are filled in by the pipeline (median or most frequent "
        "value), which makes the prediction less informed.",
        f"- Scores come from {data.get('test_rows')} held-out rows; the ± is the spread across "
        "cross-validation folds, not a guarantee for new data.",
        "",
        "## Recipe",
        "",
        "```json",
        json.dumps(recipe, indent=2),
        "```",
        "",
        "## Versions",
        "",
        ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        "",
    ]
    return "\n".join(lines)


def _fmt(value: Any, precision: int) -> str:
    return "n/a" if value is None else f"{value:.{precision}f}"
