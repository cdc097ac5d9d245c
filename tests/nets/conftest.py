"""The nets need the deep extra (torch, skorch, safetensors): skip the folder without it."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")
pytest.importorskip("safetensors")


@pytest.fixture(scope="session")
def digits_xy() -> tuple[np.ndarray, np.ndarray]:
    """The bundled digits, pixels standardised as the pipeline does: (1797, 64), (1797,)."""
    from tinkerlab.data import load

    dataset = load("digits")
    X = dataset.frame.drop(columns=[dataset.target]).to_numpy(float)
    X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-9)
    return X, dataset.frame[dataset.target].to_numpy()
