"""Shared by the feedback analyser's tests: slices of the bundled reviews, one embedding cache.

Each test has its own TINKERLAB_HOME (tests/conftest.py), and with it an empty embedding
cache; MiniLM encodes about 25 reviews a second on one core. So the tests here share one
cache directory for the whole session: every text is encoded once, whichever test needs it
first, and later tests read it back in milliseconds.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def shared_embeddings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embeddings")


@pytest.fixture(autouse=True)
def _share_the_embedding_cache(tinkerlab_home: Path, shared_embeddings: Path) -> None:
    (tinkerlab_home / "cache").mkdir(parents=True, exist_ok=True)
    (tinkerlab_home / "cache" / "embeddings").symlink_to(shared_embeddings)


@pytest.fixture(scope="session")
def reviews() -> pd.DataFrame:
    """The bundled reviews (5,000 rows: product, review, score, split); do not modify."""
    from tinkerlab.data import load

    return load("reviews").frame


@pytest.fixture
def slice_of(reviews: pd.DataFrame):
    """``slice_of(n, *extra)``: the first *n* reviews (review, score) plus planted rows."""

    def make(n: int, *extra: tuple[str, str]) -> pd.DataFrame:
        frame = reviews.loc[: n - 1, ["product", "review", "score"]].copy()
        planted = pd.DataFrame(
            {
                "product": [f"PLANTED{i}" for i in range(len(extra))],
                "review": [text for text, _ in extra],
                "score": [score for _, score in extra],
            }
        )
        return pd.concat([frame, planted], ignore_index=True)

    return make
