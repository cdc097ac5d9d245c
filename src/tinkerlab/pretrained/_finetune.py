"""Fine-tuning MiniLM: train the encoder itself, with a classification head, on your texts.

The frozen way (``text_features="minilm"`` in a recipe) keeps the encoder fixed and
trains only a logistic regression on its 384 numbers: fast, and often enough. Here
every one of the encoder's 22.7M weights moves too:

    texts ──tokenizer──► ids (B, T) ──BERT encoder──► tokens (B, T, 384)
          ──mean over real tokens──► (B, 384) ──dropout, Linear──► logits (B, K)

trained with AdamW on the cross-entropy of the right class, the encoder with a small
step (``learning_rate``, 2e-5: it already knows a lot) and the new head with a larger
one (``head_learning_rate``). A stratified, seeded share of the rows is kept aside;
after every epoch the validation loss and accuracy are measured, and training stops
when the loss has not improved for ``patience`` epochs; the best epoch's weights are
the ones kept (early stopping).

On a CPU this is slow: :func:`estimate_seconds` times one real training step first,
so the command line can say how long it will take before starting.

The result is plain files, no pickle: ``encoder/`` (``save_pretrained``: config,
``model.safetensors``, tokenizer), ``head.safetensors`` and ``tinkerlab-finetune.json``
(classes, settings, history, scores). :func:`load_text_classifier` loads it, and
``tinkerlab serve DIR`` serves it.
"""

from __future__ import annotations

import copy
import json
import math
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained._finetune_data import json_value, texts_and_labels
from tinkerlab.pretrained._offline import quiet
from tinkerlab.pretrained._registry import require
from tinkerlab.pretrained._text import as_texts, load_sentence_encoder

#: What finetune_encoder writes beside the weights: classes, settings, history, scores.
FINETUNE_FILE = "tinkerlab-finetune.json"
#: The classification head's weights (safetensors: numbers only, never code).
HEAD_FILE = "head.safetensors"
#: The fine-tuned encoder and its tokenizer, as save_pretrained writes them.
ENCODER_DIR = "encoder"
#: Version of the directory's layout; bump it (and teach the loader) when it changes.
FINETUNE_FORMAT = 1
#: The base model every fine-tuning starts from, and what it becomes (registry names).
BASE_MODEL = "minilm"
FINETUNED_MODEL = "minilm_classifier"

Progress = Callable[[int, int, float], None]  # (step, total steps, training loss)


@dataclass(frozen=True)
class FineTuneSettings:
    """How to fine-tune; the defaults suit a few thousand short texts."""

    epochs: int = 3  # passes over the training rows (fewer if early stopping ends it)
    batch_size: int = 16  # texts per optimisation step
    learning_rate: float = (
        2e-5  # AdamW's step for the pre-trained encoder (small: keep its knowledge)
    )
    head_learning_rate: float = 1e-3  # AdamW's step for the new, randomly started head
    max_length: int = 128  # tokens kept per text (longer texts are cut); MiniLM reads up to 512
    val_fraction: float = 0.2  # share of the rows kept aside (stratified) to validate and stop
    patience: int = 1  # epochs without a lower validation loss before training stops
    max_steps: int | None = None  # at most this many steps per epoch (None: every batch)
    seed: int = 0  # seeds the split, the head's weights, the batch order and the dropout

    def check(self) -> None:
        """Raise :class:`InputError` naming the first setting out of its range."""
        for name in ("epochs", "batch_size", "patience"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise InputError(_bad(name, getattr(self, name), "an integer >= 1"))
        if not isinstance(self.max_length, int) or not 8 <= self.max_length <= 512:
            raise InputError(_bad("max_length", self.max_length, "an integer in [8, 512]"))
        if self.max_steps is not None and self.max_steps < 1:
            raise InputError(_bad("max_steps", self.max_steps, "an integer >= 1, or None"))
        for name in ("learning_rate", "head_learning_rate"):
            if not 0 < getattr(self, name) < 1:
                raise InputError(_bad(name, getattr(self, name), "a float in (0, 1)"))
        if not 0 < self.val_fraction < 0.5:
            raise InputError(_bad("val_fraction", self.val_fraction, "a float in (0, 0.5)"))


def _bad(name: str, value: Any, allowed: str) -> str:
    return (
        f"{name} (--{name.replace('_', '-')}) must be {allowed}. Got {value!r} instead. "
        f"Fix: --{name.replace('_', '-')} {getattr(FineTuneSettings, name, '') or 'N'}"
    )


@dataclass(frozen=True)
class Epoch:
    """The validation scores after one epoch."""

    epoch: int  # 1, 2, ...
    steps: int  # optimisation steps taken in this epoch
    train_loss: float  # mean training cross-entropy over its steps
    val_loss: float  # mean cross-entropy on the validation rows (nats)
    val_accuracy: float  # share of validation rows whose likeliest class is right


class MiniLMClassifier(nn.Module):
    """The MiniLM encoder, mean pooling over the real tokens, and a linear head."""

    def __init__(self, encoder: nn.Module, n_classes: int, dropout: float = 0.1) -> None:
        super().__init__()
        width = int(encoder.config.hidden_size)  # type: ignore[union-attr,arg-type]  # 384
        self.encoder = encoder  # a transformers BertModel: 6 layers, 12 heads
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(width, n_classes)  # weight (K, 384), bias (K,)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits, shape (B, K), for token ids and their mask, both (B, T)."""
        tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(tokens.dtype)  # (B, T, 1): 1 for real tokens
        pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)  # (B, 384)
        logits: torch.Tensor = self.head(self.dropout(pooled))  # (B, K)
        return logits


@dataclass
class TextClassifier:
    """A fine-tuned classifier in memory: ``predict(texts)`` gives labels and probabilities."""

    model: MiniLMClassifier  # in eval mode
    tokenizer: Any  # the encoder's tokenizer
    classes: list[Any]  # the labels, in the order of the head's outputs
    max_length: int  # tokens kept per text
    path: Path | None = None  # where it was loaded from (None: not saved)
    info: dict[str, Any] = field(default_factory=dict)  # the training file's contents

    def logits(self, texts: Sequence[str], batch_size: int = 32) -> torch.Tensor:
        """Raw scores, shape (n, K), without gradients or dropout."""
        self.model.eval()
        parts = [torch.zeros((0, len(self.classes)))]
        with torch.no_grad():
            for start in range(0, len(texts), batch_size):
                batch = _tokenize(
                    self.tokenizer, texts[start : start + batch_size], self.max_length
                )
                parts.append(self.model(**batch))  # (b, K)
        return torch.cat(parts)  # (n, K)

    def predict(self, texts: Any) -> tuple[list[Any], NDArray[np.float64]]:
        """The likeliest label of each text, and every class's probability: (n, K)."""
        found = as_texts(texts)
        proba = torch.softmax(self.logits(found), dim=1).double().numpy()  # (n, K)
        return [self.classes[i] for i in proba.argmax(axis=1)], proba


@dataclass(frozen=True)
class FineTuneResult:
    """What fine-tuning produced: the model, its history and its best validation scores."""

    classifier: TextClassifier  # the best epoch's model, in memory
    path: Path | None  # where it was saved (None: not saved)
    classes: list[Any]  # the labels
    train_rows: int  # rows trained on
    val_rows: int  # rows kept aside
    history: list[Epoch]  # one entry per epoch run
    best_epoch: int  # the epoch whose weights were kept
    stopped_early: bool  # True when patience ended training before `epochs`
    val_loss_before: float  # validation loss of the untrained head (about log K)
    seconds: float  # training time, loading included
    settings: FineTuneSettings

    @property
    def best(self) -> Epoch:
        """The kept epoch's scores."""
        return self.history[self.best_epoch - 1]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the training file."""
        return {
            "format": FINETUNE_FORMAT,
            "base_model": BASE_MODEL,
            "base_package": _base_package(),
            "path": str(self.path) if self.path else None,
            "classes": self.classes,
            "train_rows": self.train_rows,
            "val_rows": self.val_rows,
            "history": [asdict(e) for e in self.history],
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
            "val_loss_before": self.val_loss_before,
            "val_loss": self.best.val_loss,
            "val_accuracy": self.best.val_accuracy,
            "seconds": self.seconds,
            "settings": asdict(self.settings),
        }


@dataclass(frozen=True)
class Estimate:
    """How long fine-tuning should take, from one timed training step."""

    step_seconds: float  # one forward + backward + AdamW step on a real batch
    steps: int  # planned training steps (all epochs)
    val_batches: int  # validation batches over all epochs (forward only, about 1/3 of a step)
    seconds: float  # step_seconds * (steps + val_batches / 3)


def _base_package() -> str:
    from importlib.metadata import version

    package = require(BASE_MODEL).package
    return f"{package}=={version(package)}"


def _tokenize(tokenizer: Any, texts: Sequence[str], max_length: int) -> dict[str, torch.Tensor]:
    """Token ids and mask, both (B, T), padded to the longest text in the batch."""
    encoded = tokenizer(
        list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="pt"
    )
    return {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"]}


def split_rows(
    labels: Sequence[Any], val_fraction: float, seed: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Stratified, seeded (train, validation) row numbers; refuses too few rows per class."""
    from sklearn.model_selection import train_test_split

    values, counts = np.unique(np.asarray(labels, dtype=object).astype(str), return_counts=True)
    if len(values) < 2:
        raise InputError(
            f"The label has one class only ({values[0]!r} in all {len(labels)} rows): there is "
            "nothing to tell apart. Fix: choose a label column with two or more classes."
            if len(values)
            else "No rows to train on. Fix: give a table with texts and labels."
        )
    n_val = math.ceil(len(labels) * val_fraction)
    if counts.min() < 2 or n_val < len(values) or len(labels) - n_val < len(values):
        rare = values[counts.argmin()]
        raise InputError(
            f"Too few rows to split {len(labels)} rows into training and validation with "
            f"every class on both sides (class {rare!r} has {counts.min()} rows, "
            f"{len(values)} classes, val_fraction={val_fraction}). Fix: give more rows "
            "(--max-rows) or merge rare classes."
        )
    rows = np.arange(len(labels))
    train, val = train_test_split(
        rows, test_size=n_val, stratify=np.asarray(labels, dtype=object).astype(str),
        random_state=seed,
    )  # fmt: skip
    return np.sort(train), np.sort(val)


def _new_classifier(n_classes: int, seed: int) -> tuple[MiniLMClassifier, Any]:
    """A fresh copy of the pre-trained encoder (the cached one stays frozen) and a new head."""
    require(BASE_MODEL)
    quiet()
    sentence_model = load_sentence_encoder(BASE_MODEL)
    torch.manual_seed(seed)  # the head's starting weights
    encoder = copy.deepcopy(sentence_model[0].auto_model)  # BertModel
    return MiniLMClassifier(encoder, n_classes), sentence_model[0].tokenizer


def _validate(
    model: MiniLMClassifier, batches: list[tuple[dict[str, torch.Tensor], torch.Tensor]]
) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) over the validation batches; no gradients, no dropout."""
    model.eval()
    loss, right, rows = 0.0, 0, 0
    with torch.no_grad():
        for inputs, target in batches:
            logits = model(**inputs)  # (b, K)
            loss += float(nn.functional.cross_entropy(logits, target, reduction="sum"))
            right += int((logits.argmax(dim=1) == target).sum())
            rows += len(target)
    return loss / rows, right / rows


def _prepare(
    texts: Any, labels: Any, settings: FineTuneSettings
) -> tuple[list[str], list[Any], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Check the inputs; (texts, classes, class index per row, train rows, validation rows)."""
    settings.check()
    found = as_texts(texts)
    values = [
        json_value(v) for v in (labels.tolist() if hasattr(labels, "tolist") else list(labels))
    ]
    if len(values) != len(found):
        raise InputError(
            f"{len(found)} texts but {len(values)} labels. Fix: give one label per text."
        )
    if any(v is None or (isinstance(v, float) and v != v) for v in values):
        raise InputError("Some labels are missing. Fix: drop the rows without a label first.")
    classes = sorted(set(values), key=str)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[v] for v in values], dtype=np.intp)  # (n,)
    train, val = split_rows(values, settings.val_fraction, settings.seed)
    return found, classes, y, train, val


def estimate_seconds(texts: Any, labels: Any, settings: FineTuneSettings | None = None) -> Estimate:
    """Time one real training step (forward, backward, AdamW) and scale it to the plan.

    The batch is the first ``batch_size`` training texts, so its length is typical; the
    step runs on a copy of the model that is then thrown away. Validation is counted as a
    third of a step per batch (a forward pass only).
    """
    settings = settings or FineTuneSettings()
    found, classes, y, train, val = _prepare(texts, labels, settings)
    model, tokenizer = _new_classifier(len(classes), settings.seed)
    rows = train[: settings.batch_size]
    inputs = _tokenize(tokenizer, [found[i] for i in rows], settings.max_length)
    target = torch.as_tensor(y[rows], dtype=torch.long)  # (B,)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate)
    model.train()
    tick = time.perf_counter()
    loss = nn.functional.cross_entropy(model(**inputs), target)
    optimiser.zero_grad(set_to_none=True)
    loss.backward()  # type: ignore[no-untyped-call]
    optimiser.step()
    step_seconds = time.perf_counter() - tick
    per_epoch = math.ceil(len(train) / settings.batch_size)
    if settings.max_steps is not None:
        per_epoch = min(per_epoch, settings.max_steps)
    steps = per_epoch * settings.epochs
    val_batches = math.ceil(len(val) / 32) * settings.epochs
    return Estimate(
        step_seconds=step_seconds,
        steps=steps,
        val_batches=val_batches,
        seconds=step_seconds * (steps + val_batches / 3),
    )


def finetune_encoder(
    texts: Any,
    labels: Any,
    out: str | Path | None = None,
    settings: FineTuneSettings | None = None,
    *,
    progress: Progress | None = None,
) -> FineTuneResult:
    """Fine-tune MiniLM with a classification head on *texts* and *labels*; save to *out*.

    Parameters
    ----------
    texts : list, Series or one-column table of str
        The texts (a missing one is the empty text).
    labels : sequence
        One class per text; two classes at least, two rows per class at least.
    out : str or Path, optional
        The directory to write (it must not exist, or be empty); None keeps the model in
        memory only (``result.classifier``).
    settings : FineTuneSettings, optional
        Epochs, batch size, learning rates, early stopping, seed.
    progress : callable, optional
        Called after every training step with ``(step, total_steps, training_loss)``.

    Returns
    -------
    FineTuneResult
        The best epoch's classifier, the history, the validation scores.

    Examples
    --------
    >>> from tinkerlab.pretrained import FineTuneSettings, finetune_encoder  # doctest: +SKIP
    >>> result = finetune_encoder(texts, labels, "models/ft", FineTuneSettings(epochs=1))
    >>> result.best.val_accuracy
    """
    settings = settings or FineTuneSettings()
    tick = time.perf_counter()
    found, classes, y, train, val = _prepare(texts, labels, settings)
    target_dir = Path(out).expanduser() if out is not None else None
    if target_dir is not None:
        check_output(target_dir)
    model, tokenizer = _new_classifier(len(classes), settings.seed)

    def batch(rows: NDArray[np.intp]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        inputs = _tokenize(tokenizer, [found[i] for i in rows], settings.max_length)
        return inputs, torch.as_tensor(y[rows], dtype=torch.long)  # ids (B, T), target (B,)

    val_batches = [batch(val[s : s + 32]) for s in range(0, len(val), 32)]
    val_loss_before, _ = _validate(model, val_batches)
    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": settings.learning_rate},
            {"params": model.head.parameters(), "lr": settings.head_learning_rate},
        ]
    )
    per_epoch = math.ceil(len(train) / settings.batch_size)
    if settings.max_steps is not None:
        per_epoch = min(per_epoch, settings.max_steps)
    total = per_epoch * settings.epochs
    order = torch.Generator().manual_seed(settings.seed)  # the batch order of every epoch
    history: list[Epoch] = []
    best_state: dict[str, torch.Tensor] = {}
    best_epoch, step, waited = 0, 0, 0
    for epoch in range(1, settings.epochs + 1):
        model.train()
        shuffled = train[torch.randperm(len(train), generator=order).numpy()]
        losses: list[float] = []
        for start in range(0, per_epoch * settings.batch_size, settings.batch_size):
            inputs, target = batch(shuffled[start : start + settings.batch_size])
            loss = nn.functional.cross_entropy(model(**inputs), target)  # mean over (B,)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            step += 1
            losses.append(loss.item())
            if progress is not None:
                progress(step, total, losses[-1])
        val_loss, val_accuracy = _validate(model, val_batches)
        history.append(Epoch(epoch, len(losses), float(np.mean(losses)), val_loss, val_accuracy))
        if not best_state or val_loss < history[best_epoch - 1].val_loss:
            best_epoch, waited = epoch, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if waited >= settings.patience:
                break
    model.load_state_dict(best_state)  # early stopping: the best epoch's weights
    model.eval()
    result = FineTuneResult(
        classifier=TextClassifier(model, tokenizer, classes, settings.max_length, target_dir),
        path=target_dir,
        classes=classes,
        train_rows=len(train),
        val_rows=len(val),
        history=history,
        best_epoch=best_epoch,
        stopped_early=len(history) < settings.epochs,
        val_loss_before=val_loss_before,
        seconds=time.perf_counter() - tick,
        settings=settings,
    )
    result.classifier.info = result.to_dict()
    if target_dir is not None:
        _save(result, target_dir)
    return result


def check_output(path: Path) -> None:
    """Refuse an output that exists and is not an empty directory (before any training)."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise InputError(
            f"{str(path)!r} already exists and is not empty. Fix: choose another --out, or "
            "delete it first."
        )


def _save(result: FineTuneResult, target: Path) -> None:
    """Write the directory atomically: a temporary sibling renamed into place."""
    from safetensors.torch import save_file

    model = result.classifier.model
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        model.encoder.save_pretrained(staging / ENCODER_DIR)  # type: ignore[operator]
        result.classifier.tokenizer.save_pretrained(staging / ENCODER_DIR)
        head = {k: v.detach().contiguous() for k, v in model.head.state_dict().items()}
        save_file(head, str(staging / HEAD_FILE))  # weight (K, 384), bias (K,)
        text = json.dumps(result.to_dict(), indent=1, default=str) + "\n"
        (staging / FINETUNE_FILE).write_text(text, encoding="utf-8")
        if target.exists():
            target.rmdir()  # empty, checked before training
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def is_text_classifier_dir(path: str | Path) -> bool:
    """Whether *path* holds what :func:`finetune_encoder` saves."""
    return (Path(path).expanduser() / FINETUNE_FILE).is_file()


def load_text_classifier(path: str | Path) -> TextClassifier:
    """Load a fine-tuned classifier saved by :func:`finetune_encoder` (never downloads).

    Raises
    ------
    InputError
        The directory is missing, was not written by fine-tuning, or lacks a file.
    """
    require(FINETUNED_MODEL)
    quiet()
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    folder = Path(path).expanduser()
    if not is_text_classifier_dir(folder):
        raise InputError(
            f"{str(folder)!r} is not a fine-tuned text classifier (no {FINETUNE_FILE}). Fix: "
            f"create one with tinkerlab finetune DATA --method full --out {folder}"
        )
    info = json.loads((folder / FINETUNE_FILE).read_text(encoding="utf-8"))
    if info.get("format", 0) > FINETUNE_FORMAT:
        raise InputError(
            f"{str(folder)!r} was written by a newer tinkerlab (format {info.get('format')}; "
            f"this one reads {FINETUNE_FORMAT}). Fix: upgrade tinkerlab."
        )
    try:
        encoder = AutoModel.from_pretrained(folder / ENCODER_DIR, local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(folder / ENCODER_DIR, local_files_only=True)
        head = load_file(str(folder / HEAD_FILE))
    except (OSError, ValueError) as error:
        raise InputError(
            f"Cannot load the classifier in {str(folder)!r}: {error} Fix: the directory needs "
            f"{ENCODER_DIR}/ (config, model.safetensors, tokenizer) and {HEAD_FILE}."
        ) from None
    classes = list(info["classes"])
    model = MiniLMClassifier(encoder, len(classes))
    model.head.load_state_dict(head)
    model.eval()
    return TextClassifier(
        model, tokenizer, classes, int(info["settings"]["max_length"]), folder, info
    )


__all__ = [
    "BASE_MODEL",
    "FINETUNE_FILE",
    "Epoch",
    "Estimate",
    "FineTuneResult",
    "FineTuneSettings",
    "MiniLMClassifier",
    "TextClassifier",
    "check_output",
    "estimate_seconds",
    "finetune_encoder",
    "is_text_classifier_dir",
    "load_text_classifier",
    "split_rows",
    "texts_and_labels",
]
