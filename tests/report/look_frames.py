"""A table that raises every kind of alert (imported by the report tests; a module of its own
so that its name cannot clash with the other test folders' conftest modules)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def alerting_frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Columns chosen to raise each alert once: a leak, rare class, duplicates, a mostly
    empty column, two twins, a long tail, many categories, dates and free text."""
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n) < 0.12, "yes", "no")  # imbalanced: about 12 % "yes"
    lot = rng.lognormal(8, 1.2, n).round(1)  # skewed, positive
    frame = pd.DataFrame(
        {
            "lot area": lot,
            "lot area (m²)": (lot * 0.0929).round(3),  # its twin: correlated 1.0
            "rooms": rng.integers(1, 8, n),
            "income": np.where(rng.random(n) < 0.3, np.nan, rng.normal(50, 10, n).round(1)),
            "zip code": [f"z{k}" for k in rng.integers(0, 60, n)],  # 60 categories
            "sold on": pd.Timestamp("2021-01-01")
            + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "review": [
                " ".join(rng.choice(["good", "bad", "slow", "fast", "ok", "late"], k))
                + f" order {i}"
                for i, k in enumerate(rng.integers(3, 25, n))
            ],
            "status code": np.where(y == "yes", "S1", "S0"),  # decides the target: a leak
            "churned": y,
        }
    )
    frame["sold on"] = frame["sold on"].dt.strftime("%Y-%m-%d")
    frame.loc[n - 5 :, :] = frame.loc[:4, :].to_numpy()  # 5 exact duplicate rows
    return frame
