"""``meta.json``: what an artifact says about itself, read and checked before anything loads.

An artifact folder may come from anywhere (a colleague, a download, a shared drive), so
its ``meta.json`` is read as untrusted input. :func:`read_meta` refuses, with the field,
the value and the fix, anything the service would otherwise trip over later:

* a ``model_file`` outside the artifact folder (``"../outside/m.skops"``, an absolute
  path, a link that leads out): an artifact loads only its own files;
* a missing or malformed ``model_sha256``: the hash is required, so a changed model file
  is always noticed;
* a malformed input ``schema`` or drift ``reference``, or a field of the wrong type
  (:data:`FIELDS`, plain data: one row per field the service reads).

Format versions
---------------
:data:`ARTIFACT_FORMAT` is written into every ``meta.json``. To change the layout:

1. Adding an optional key to ``meta.json`` (readers use ``.get`` with a default) keeps
   the version.
2. Renaming, removing or changing the meaning of a key, or changing the files, bumps
   it by one. :func:`read_meta` must keep reading every older version: write the
   upgrade in :func:`_upgrade` (old dict in, current dict out) and add a test that
   loads an artifact of the old version.
3. A reader refuses a *newer* version than it knows, asking for an upgrade.
"""

from __future__ import annotations

import json
import math
import platform
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinkerlab.exceptions import ArtifactError
from tinkerlab.serve._schema import InputSchema

#: Version of the artifact layout; see "Format versions" above before changing it.
ARTIFACT_FORMAT = 1
MODEL_FILE = "model.skops"
META_FILE = "meta.json"
CARD_FILE = "model-card.md"

#: The fix for a damaged meta.json, added to every refusal below.
_SAVE_AGAIN = (
    "Fix: save the model again (tinkerlab run ... --save DIR, or tinkerlab save RUN_ID DIR), "
    "or copy the whole artifact folder again from where it came from."
)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _sha256(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None


def _scalar(value: Any) -> bool:
    """A class or category JSON can hold: text, a whole number, a finite number, a bool."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int | bool)


def _classes(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(_scalar(v) for v in value))


def _optional(kind: type) -> Callable[[Any], bool]:
    return lambda value: value is None or isinstance(value, kind)


#: Every field the service reads: (required, check, what it must be). Plain data.
FIELDS: dict[str, tuple[bool, Callable[[Any], bool], str]] = {
    "name": (True, _text, "the model's id, a non-empty text"),
    "task": (True, lambda v: v in ("classification", "regression"), "classification or regression"),
    "target": (True, _text, "the target column's name"),
    "dataset": (True, _text, "the dataset's name"),
    "model": (True, _text, "the registry model's name"),
    "model_file": (False, _text, "a file name inside the artifact folder"),
    "model_sha256": (True, _sha256, "64 lower-case hexadecimal digits, the model file's SHA-256"),
    "classes": (False, _classes, "a list of class labels, or null"),
    "primary_metric": (False, _optional(str), "a metric's name"),
    "metrics": (False, _optional(dict), "an object of metrics"),
    "baseline": (False, _optional(dict), "an object of metrics"),
    "data": (False, _optional(dict), "an object describing the training data"),
    "versions": (False, _optional(dict), "an object of library versions"),
    "recipe": (False, _optional(dict), "the recipe, an object"),
    "importances": (False, _optional(list), "a list of importances"),
    "schema": (True, lambda v: isinstance(v, dict), "the input schema, an object"),
    "reference": (True, lambda v: isinstance(v, dict), "the drift reference, an object"),
}


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
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArtifactError(
            f"The meta.json in {str(folder)!r} has no valid format version (got "
            f"{_shown(version)}). {_SAVE_AGAIN}"
        )
    if version > ARTIFACT_FORMAT:
        raise ArtifactError(
            f"{str(folder)!r} was saved by a newer tinkerlab (artifact format {version}; this "
            f"version reads up to {ARTIFACT_FORMAT}). Fix: pip install --upgrade tinkerlab"
        )
    meta = _upgrade(meta)
    check_meta(meta, folder)
    return meta


def _upgrade(meta: dict[str, Any]) -> dict[str, Any]:
    """Bring an older format's meta.json up to :data:`ARTIFACT_FORMAT` (none yet)."""
    return meta


def check_meta(meta: dict[str, Any], folder: Path) -> None:
    """Refuse a field of the wrong type, a malformed schema or drift reference."""
    where = f"The meta.json in {str(folder)!r}"
    for key, (required, check, what) in FIELDS.items():
        if key not in meta:
            if required:
                raise ArtifactError(
                    f"{where} lacks {key!r}, which is required ({what}). {_SAVE_AGAIN}"
                )
            continue
        if not check(meta[key]):
            raise ArtifactError(
                f"{where} has a malformed {key!r}: got {_shown(meta[key])}; it must be {what}. "
                f"{_SAVE_AGAIN}"
            )
    try:
        schema = InputSchema.from_dict(meta["schema"])
    except ValueError as error:
        raise ArtifactError(
            f"{where} has a malformed input schema: {error}. {_SAVE_AGAIN}"
        ) from None
    from tinkerlab.serve._drift import check_reference

    try:
        check_reference(meta["reference"], schema, meta["task"])
    except ValueError as error:
        raise ArtifactError(
            f"{where} has a malformed drift reference: {error}. {_SAVE_AGAIN}"
        ) from None


def model_path(meta: dict[str, Any], folder: Path) -> Path:
    """The model file *meta* names, refused unless it lies inside *folder* (links resolved)."""
    name = str(meta.get("model_file", MODEL_FILE))
    inside = folder.resolve()
    candidate = Path(name)
    resolved = (inside / candidate).resolve()
    if candidate.is_absolute() or not resolved.is_relative_to(inside) or resolved == inside:
        raise ArtifactError(
            f"The meta.json in {str(folder)!r} names the model file {name!r} (model_file), "
            "which is not inside the artifact folder: an artifact loads only its own files. "
            f'Fix: put the model in the folder and set "model_file": "{MODEL_FILE}", or save '
            "the model again."
        )
    return resolved


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


def version_notices(meta: dict[str, Any]) -> list[str]:
    """One sentence per library whose version differs from the one the model was saved with."""
    saved = meta.get("versions") or {}
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


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
