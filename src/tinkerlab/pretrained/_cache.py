"""An on-disk cache of sentence embeddings: one ``.npy`` file per (model, text).

A sweep fits the same featuriser many times (one per fold and knob value) on subsets of
the same texts; with one file per text, every subset after the first is read back
instead of encoded again. The key is the SHA-256 of the model's id, the settings that
change the numbers, and the text, so a new model version never reads old vectors.

Files are NumPy's ``.npy`` format read with ``allow_pickle=False``: a cache file can hold
numbers only, never code. Writes go to a temporary file and are renamed into place, so
parallel workers never read half a file.

Layout::

    $TINKERLAB_HOME/cache/embeddings/ab/ab34…ef.npy     (float32, shape (dim,))
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tinkerlab._home import home


def embedding_cache_dir() -> Path:
    """Return the directory holding cached embeddings (``$TINKERLAB_HOME/cache/embeddings``)."""
    path = home() / "cache" / "embeddings"
    path.mkdir(parents=True, exist_ok=True)
    return path


class EmbeddingCache:
    """Embeddings on disk, keyed by ``sha256(model_key + text)``.

    Parameters
    ----------
    model_key : str
        Everything that changes the numbers apart from the text: the model's package
        and version, and settings such as normalisation.
    dim : int
        Length of one embedding; a file of another shape is treated as missing.
    root : Path, optional
        Where the files live; :func:`embedding_cache_dir` by default.
    """

    def __init__(self, model_key: str, dim: int, root: Path | None = None) -> None:
        self.model_key = model_key
        self.dim = dim
        self.root = root if root is not None else embedding_cache_dir()

    def key(self, text: str) -> str:
        """The file name stem for *text*: a hex SHA-256 of the model key and the text."""
        digest = hashlib.sha256(self.model_key.encode("utf-8"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8"))
        return digest.hexdigest()

    def path(self, text: str) -> Path:
        """Where the embedding of *text* is (or would be) stored."""
        key = self.key(text)
        return self.root / key[:2] / f"{key}.npy"

    def get(self, text: str) -> NDArray[np.float32] | None:
        """The cached embedding of *text*, or None when missing or unreadable."""
        path = self.path(text)
        try:
            vector: NDArray[np.float32] = np.load(path, allow_pickle=False)
        except (OSError, ValueError):  # missing, truncated or not an .npy file
            return None
        if vector.shape != (self.dim,) or vector.dtype != np.float32:
            return None
        return vector

    def put(self, text: str, vector: NDArray[np.float32]) -> None:
        """Store the embedding of *text* (atomically: a temporary file, then a rename)."""
        path = self.path(text)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                np.save(file, np.asarray(vector, dtype=np.float32), allow_pickle=False)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get_many(self, texts: Sequence[str]) -> list[NDArray[np.float32] | None]:
        """The cached embedding of each text, None where it is missing."""
        return [self.get(text) for text in texts]


__all__ = ["EmbeddingCache", "embedding_cache_dir"]
