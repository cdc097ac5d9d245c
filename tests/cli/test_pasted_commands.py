"""Every command tinkerlab suggests for a learner's own file names its target: pasted, it runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tinkerlab.data import data_words


@pytest.fixture
def own_csv(tmp_path):
    """A small file of the learner's own: a deep random forest overfits its noisy labels."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = np.where(X[:, 0] + rng.normal(scale=1.0, size=200) > 0, "yes", "no")
    path = tmp_path / "plants.csv"
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "healthy": y}).to_csv(path)
    return path


def test_data_words_names_a_files_target_and_only_a_files():
    assert data_words("titanic", "survived") == "titanic"
    assert data_words("/data/plants.csv", "healthy") == "/data/plants.csv --target healthy"
    assert data_words("/my data/p.csv", "is ok") == "'/my data/p.csv' --target 'is ok'"


def test_a_run_on_your_own_file_suggests_commands_with_its_target(cli, own_csv, tmp_path):
    result = cli("run", str(own_csv), "--target", "healthy", "--db", f"sqlite:///{tmp_path}/j.db")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())  # rich's wrapping undone
    commands = [c.split() for c in out.split("tinkerlab ")[1:]]
    on_file = [c for c in commands if c[0] in ("tinker", "run") and "plants.csv" in c[1]]
    assert len(on_file) >= 4, out  # the finding's sweep, two sweeps, the script
    for words in on_file:
        assert words[2:4] == ["--target", "healthy"], " ".join(words[:6])
