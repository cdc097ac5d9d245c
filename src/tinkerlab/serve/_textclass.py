"""A text-classification service: the same server as Ship, for a fine-tuned MiniLM.

``tinkerlab serve models/ft`` on a directory written by ``tinkerlab finetune --method
full`` (it holds ``tinkerlab-finetune.json``) builds this app instead of the artifact
service. It is built by the same route set (``_routes.py``), so it behaves the same way: loopback by
default and a bearer token beyond it, 413 for an oversized body, a 422 that names the
field, Prometheus counters, a JSON access log, and ``/docs`` served offline.

=================  ====================================================================
``POST /predict``  ``{"text": "great tea"}`` or ``{"text": ["great tea", "awful"]}`` →
                   ``{"predictions": [{"label": .., "probabilities": {class: p}}], ..}``
``GET /health``    liveness, with the model id and version (never needs the token)
``GET /metadata``  the model: classes, base model, training history and scores
``GET /metrics``   Prometheus text: requests, errors, latency
``GET /docs``      Swagger UI from files shipped in a pip package (works offline)
=================  ====================================================================

The encoder holds the CPU for a while, so requests run one at a time in a worker
thread (``one_at_a_time_endpoint`` in ``_routes.py``): the event loop keeps answering
``/health`` meanwhile.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from tinkerlab.exceptions import InputError
from tinkerlab.serve._config import ServeConfig
from tinkerlab.serve._routes import Service, build_app, one_at_a_time_endpoint

if TYPE_CHECKING:
    from tinkerlab.pretrained._finetune import TextClassifier

#: Limits of one request (the 422 names them).
MAX_TEXT_CHARS = 10_000
MAX_TEXTS = 256


def is_text_classifier_dir(path: str | Path) -> bool:
    """Whether *path* was written by ``tinkerlab finetune --method full``."""
    return (Path(path).expanduser() / "tinkerlab-finetune.json").is_file()


@dataclass
class TextClassModel:
    """A loaded fine-tuned classifier with what the service shows about it."""

    classifier: TextClassifier
    model_id: str  # the directory's name
    version: str  # first 12 hex digits of the SHA-256 of the training file and weights' sizes
    notices: list[str] = field(default_factory=list)  # what the command line should mention

    @classmethod
    def load(cls, path: str | Path) -> TextClassModel:
        """Load the classifier in *path* (never downloads; errors say what is missing)."""
        from tinkerlab.pretrained._finetune import FINETUNE_FILE, load_text_classifier

        path = Path(path).expanduser().resolve()
        classifier = load_text_classifier(path)
        digest = hashlib.sha256((path / FINETUNE_FILE).read_bytes())
        for weights in sorted(path.rglob("*.safetensors")):
            digest.update(f"{weights.relative_to(path)}:{weights.stat().st_size}".encode())
        return cls(classifier=classifier, model_id=path.name, version=digest.hexdigest()[:12])

    def metadata(self) -> dict[str, Any]:
        """What ``GET /metadata`` returns."""
        info = self.classifier.info
        return {
            "model_id": self.model_id,
            "model_version": self.version,
            "task": "text-classification",
            "classes": self.classifier.classes,
            "base_model": info.get("base_model"),
            "base_package": info.get("base_package"),
            "max_length": self.classifier.max_length,
            "parameters": int(sum(p.numel() for p in self.classifier.model.parameters())),
            "training": info,
        }

    def predict(self, texts: list[str]) -> list[dict[str, Any]]:
        """One ``{"label", "probabilities"}`` per text."""
        labels, proba = self.classifier.predict(texts)
        classes = [str(c) for c in self.classifier.classes]
        return [
            {"label": label, "probabilities": dict(zip(classes, map(float, row), strict=True))}
            for label, row in zip(labels, proba, strict=True)
        ]


class PredictRequest(BaseModel):
    """One text, or a list of texts, to classify."""

    model_config = ConfigDict(extra="forbid")

    text: str | list[str] = Field(
        description=f"A text, or a list of at most {MAX_TEXTS} texts.",
        examples=["Great tea, fast delivery.", ["Great tea.", "It arrived broken."]],
    )


class Prediction(BaseModel):
    """The likeliest label of one text, and every class's probability."""

    label: Any
    probabilities: dict[str, float]


class Predictions(BaseModel):
    """The predictions, in the order of the texts, and which model made them."""

    predictions: list[Prediction]
    model_id: str
    model_version: str
    seconds: float


def _check_texts(texts: list[str]) -> None:
    if not texts:
        raise InputError("field 'text' got an empty list. Fix: send at least one text.")
    if len(texts) > MAX_TEXTS:
        raise InputError(
            f"field 'text' got {len(texts)} texts; at most {MAX_TEXTS} per request. "
            "Fix: send them in smaller batches."
        )
    longest = max(len(t) for t in texts)
    if longest > MAX_TEXT_CHARS:
        raise InputError(
            f"field 'text' holds a text of {longest} characters; at most {MAX_TEXT_CHARS}. "
            "Fix: shorten it (the model reads its first tokens only anyway)."
        )


def create_textclass_app(served: TextClassModel, config: ServeConfig | None = None) -> FastAPI:
    """The FastAPI app serving *served* (see the module docstring for the endpoints)."""

    def classify(request: PredictRequest) -> tuple[dict[str, Any], int]:
        texts = [request.text] if isinstance(request.text, str) else list(request.text)
        _check_texts(texts)
        return {"predictions": served.predict(texts)}, len(texts)

    classes = ", ".join(str(c) for c in served.classifier.classes)
    service = Service.of(
        served,
        title=f"tinkerlab text classification: {served.model_id}",
        description=(
            f"Classifies texts into {classes} with a fine-tuned MiniLM. POST the texts to "
            "`/predict`; `/metadata` describes the model."
        ),
        endpoint=one_at_a_time_endpoint(
            served,
            "/predict",
            "Classify one text or a list of texts",
            (PredictRequest, Predictions),
            classify,
            _field_problem,
        ),
    )
    return build_app(service, config or ServeConfig())


def _field_problem(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as the service reports it: the field, the value, what is allowed."""
    where = [str(part) for part in error.get("loc", ()) if part != "body"]
    name = where[0] if where else None  # "text", not pydantic's "text.str" / "text.list[str]"
    value = error.get("input")
    shown = value if isinstance(value, str | int | float | bool) or value is None else "..."
    if error.get("type") == "extra_forbidden":
        name = ".".join(where) or None
        message = f"field '{name}' is not known; the only field is 'text'"
    elif error.get("type") == "missing":
        message = 'field \'text\' is missing: send {"text": "..."} or a list of texts'
    else:
        message = f"field '{name}' got {shown!r}: a text or a list of texts is expected"
    return {"field": name, "value": shown, "type": error.get("type"), "message": message}


__all__ = ["TextClassModel", "create_textclass_app", "is_text_classifier_dir"]
