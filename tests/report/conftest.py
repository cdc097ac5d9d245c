"""A table that raises every kind of alert, written as a CSV with awkward column names."""

from __future__ import annotations

from pathlib import Path

import pytest
from look_frames import alerting_frame


@pytest.fixture
def alerting_csv(tmp_path: Path) -> Path:
    path = tmp_path / "shop data.csv"
    alerting_frame().to_csv(path, index=False)
    return path
