"""Shared by the pre-trained model tests: offline Hugging Face, a small text, a tiny trained GPT-2.

Nothing here downloads: the Hugging Face libraries are told so before they are imported,
and the autocompleter is trained by the tests themselves on a few kilobytes of text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Small enough to train in a few seconds on one core; big enough to learn something.
TINY = {
    "block_size": 16,
    "vocab_size": 300,
    "n_layer": 2,
    "n_head": 2,
    "n_embd": 32,
    "batch_size": 8,
    "steps": 40,
    "learning_rate": 1e-2,
    "seed": 0,
}


def corpus(sentences: int = 120) -> str:
    """A few KB of repetitive support-desk text, the same every time (no randomness)."""
    who = ["the support team", "our courier", "the shop", "a customer", "the manager"]
    did = ["answered", "refunded", "shipped", "checked", "replaced"]
    what = ["the order", "a broken mug", "the parcel", "two boxes of tea", "the invoice"]
    when = ["today.", "on monday.", "within a day.", "after a call.", "before noon."]
    lines = [
        f"{who[i % 5]} {did[(i // 5) % 5]} {what[(i // 25) % 5]} {when[(i * 7) % 5]}"
        for i in range(sentences)
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def tiny() -> dict[str, int | float]:
    """The settings of the tiny GPT-2 the tests train (TrainSettings keyword arguments)."""
    return dict(TINY)


@pytest.fixture(scope="session")
def make_corpus():
    """``make_corpus(sentences)``: the deterministic support-desk text."""
    return corpus


@pytest.fixture(scope="session")
def text_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("text") / "notes.txt"
    path.write_text(corpus(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory, text_file: Path):
    """(TrainResult, model directory): a tiny GPT-2 trained once per test session.

    The extras are installed by ``pip install -e '.[dev]'``, so these tests never skip.
    """
    from tinkerlab.pretrained import TrainSettings, train_autocomplete

    out = tmp_path_factory.mktemp("models") / "ac"
    result = train_autocomplete(text_file, out, TrainSettings(**TINY))
    return result, out
