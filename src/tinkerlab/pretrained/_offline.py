"""Keep the Hugging Face libraries offline and quiet.

tinkerlab never downloads weights at run time (``DESIGN.md``: offline by design). The
Hugging Face libraries read ``HF_HUB_OFFLINE`` and ``TRANSFORMERS_OFFLINE`` when they are
first imported, so :func:`offline` must run before that import; every loader here also
passes ``local_files_only=True``, which refuses the network whatever the environment says.
"""

from __future__ import annotations

import os


def offline() -> None:
    """Tell huggingface_hub and transformers not to reach the network (call before importing)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def quiet() -> None:
    """Silence transformers' own progress bars and advice, for the command line's output.

    The command line draws its own progress bars; transformers would add a "Loading
    weights" bar and warnings about defaults on every load.
    """
    offline()
    from transformers.utils import logging

    logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    logging.disable_progress_bar()  # type: ignore[no-untyped-call]


__all__ = ["offline", "quiet"]
