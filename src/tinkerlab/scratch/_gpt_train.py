"""Train the readable GPT on a text, save it safely, load it back, sample from it.

* :func:`train_gpt`: random windows of the text's bytes (the last 10% held out to watch
  the validation loss), AdamW, a loss curve every ``eval_every`` steps; on a GPU when
  torch sees one (:func:`pick_device`; the windows are drawn on the CPU, so a seed picks
  the same windows on either), the trained model handed back on the CPU;
* :func:`save_gpt` / :func:`load_gpt`: ``model.safetensors`` (tensors only) plus
  ``config.json`` (the shape, the curve, where the text came from). Loading reads
  numbers and JSON: no pickle, no code runs;
* :func:`sample`: continue a prompt, with temperature and top-k.

>>> result = train_gpt(b"abcabcabc" * 50, GPTConfig(block_size=8, n_layer=1, n_head=1,
...     n_embd=16), steps=5, batch_size=4, eval_every=5)
>>> [sorted(row) for row in result.curve][:1]
[['step', 'train_loss', 'valid_loss']]
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import torch

from tinkerlab.exceptions import ArtifactError, InputError
from tinkerlab.scratch._gpt import GPT, GPTConfig

#: The version of the saved form (``config.json``'s ``format``); bump it when the files change.
GPT_FORMAT = 1
WEIGHTS = "model.safetensors"
CONFIG = "config.json"
#: ``on_step(step, steps, train_loss)`` after every optimiser step.
StepListener = Callable[[int, int, float], None]


@dataclass
class GPTTraining:
    """A trained GPT and how its losses went."""

    model: GPT
    curve: list[dict[str, float]]  # every eval_every steps: step, train_loss, valid_loss
    n_bytes: int  # bytes of text it was trained on (train + validation)


def train_gpt(
    text: bytes,
    config: GPTConfig,
    *,
    steps: int = 300,
    batch_size: int = 16,
    lr: float = 3e-3,
    seed: int = 0,
    eval_every: int = 50,
    on_step: StepListener | None = None,
) -> GPTTraining:
    """Train a GPT of shape *config* to predict the next byte of *text*."""
    data = torch.tensor(list(text), dtype=torch.long)  # (N,) byte values
    split = int(len(data) * 0.9)
    train, valid = data[:split], data[split:]  # (0.9 N,), (0.1 N,)
    if min(len(train), len(valid)) <= config.block_size:
        need = math.ceil((config.block_size + 1) / 0.1)
        raise InputError(
            f"The text has {len(data)} bytes; a GPT with block_size {config.block_size} needs "
            f"at least {need} (10% are held out for validation). Fix: a longer text, or "
            f"--block-size {max(8, len(data) // 20)}"
        )
    device = pick_device()
    torch.manual_seed(seed)
    model = GPT(config).to(device)  # drawn on the CPU, then moved: the same start anywhere
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    curve: list[dict[str, float]] = []
    for step in range(1, steps + 1):
        x, y = _batch(train, config.block_size, batch_size)  # (B, T), (B, T) on the CPU
        loss = model.loss(x.to(device), y.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if on_step is not None:
            on_step(step, steps, float(loss))
        if step % eval_every == 0 or step == steps:
            curve.append(
                {
                    "step": step,
                    "train_loss": _estimate(model, train, config.block_size),
                    "valid_loss": _estimate(model, valid, config.block_size),
                }
            )
    return GPTTraining(model.cpu().eval(), curve, len(data))  # sampled and saved on the CPU


def pick_device() -> str:
    """A GPU when torch sees one (``cuda``), else the CPU."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def _batch(data: torch.Tensor, block: int, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows and the same windows shifted by one byte (the targets)."""
    starts = torch.randint(len(data) - block, (batch_size,))  # (B,)
    x = torch.stack([data[i : i + block] for i in starts])  # (B, T)
    y = torch.stack([data[i + 1 : i + 1 + block] for i in starts])  # (B, T)
    return x, y


@torch.no_grad()
def _estimate(model: GPT, data: torch.Tensor, block: int, windows: int = 32) -> float:
    """The mean loss over evenly spaced windows of *data* (no randomness drawn)."""
    was_training = model.training
    model.eval()
    count = min(windows, len(data) - block)
    starts = torch.linspace(0, len(data) - block - 1, count).long()  # (n,)
    x = torch.stack([data[i : i + block] for i in starts])  # (n, T)
    y = torch.stack([data[i + 1 : i + 1 + block] for i in starts])  # (n, T)
    device = next(model.parameters()).device
    loss = float(model.loss(x.to(device), y.to(device)))
    model.train(was_training)
    return loss


def sample(
    model: GPT,
    prompt: str,
    max_new_tokens: int = 200,
    temperature: float = 0.8,
    top_k: int | None = 20,
    seed: int = 0,
) -> str:
    """The prompt and what the GPT writes after it (bytes read as UTF-8, bad bytes as �)."""
    if temperature <= 0:
        raise InputError(f"temperature must be above 0. Got {temperature!r}. Fix: 0.8")
    ids = list(prompt.encode("utf-8")) or [ord("\n")]
    idx = torch.tensor([ids], dtype=torch.long)  # (1, T)
    generator = torch.Generator().manual_seed(seed)
    out = model.generate(idx, max_new_tokens, temperature, top_k, generator)  # (1, T + n)
    return bytes(out[0].tolist()).decode("utf-8", errors="replace")


def save_gpt(result: GPTTraining, directory: Path, source: str) -> Path:
    """Write ``model.safetensors`` and ``config.json`` into *directory* (created; it must
    not hold a saved GPT already)."""
    from safetensors.torch import save_model

    directory = Path(directory)
    if (directory / WEIGHTS).exists():
        raise ArtifactError(
            f"{directory} already holds a GPT. Fix: --out a new folder, or delete that one."
        )
    directory.mkdir(parents=True, exist_ok=True)
    save_model(result.model, str(directory / WEIGHTS))  # tied weights stored once
    meta = {
        "format": GPT_FORMAT,
        "kind": "tinkerlab.scratch.GPT",
        "config": asdict(result.model.config),
        "curve": result.curve,
        "source": source,
        "n_bytes": result.n_bytes,
    }
    (directory / CONFIG).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return directory


def load_gpt(directory: Path) -> tuple[GPT, dict[str, Any]]:
    """Read a GPT saved by :func:`save_gpt`: JSON and tensors, nothing executed."""
    from safetensors.torch import load_model

    directory = Path(directory)
    if not (directory / CONFIG).is_file() or not (directory / WEIGHTS).is_file():
        raise ArtifactError(
            f"{directory} is not a saved GPT (it needs {CONFIG} and {WEIGHTS}). "
            "Fix: train one with: tinkerlab gpt train FILE --out DIR"
        )
    meta = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
    if meta.get("format") != GPT_FORMAT or meta.get("kind") != "tinkerlab.scratch.GPT":
        raise ArtifactError(
            f"{directory / CONFIG} is format {meta.get('format')!r} of {meta.get('kind')!r}; "
            f"this tinkerlab reads format {GPT_FORMAT} of 'tinkerlab.scratch.GPT'. Fix: train "
            "it again with this version."
        )
    names = {f.name for f in fields(GPTConfig)}
    values = meta.get("config", {})
    if not isinstance(values, dict) or set(values) != names:
        raise ArtifactError(f"{directory / CONFIG}: 'config' must have exactly {sorted(names)}.")
    model = GPT(GPTConfig(**values))
    try:
        load_model(model, str(directory / WEIGHTS))
    except (RuntimeError, OSError) as error:
        raise ArtifactError(f"{directory / WEIGHTS} does not fit its config: {error}") from None
    return model.eval(), meta
