"""``tinkerlab demo drift``: watch a drift alarm go off, end to end, in under a minute.

1. Train a model on a built-in dataset and save it as an artifact (a temporary folder).
2. Serve it on a free loopback port, with the prediction log on.
3. Send *normal* traffic: rows drawn from the held-out test split. Drift check: quiet.
4. Send *shifted* traffic: the same kind of rows, but the most important numeric input
   moved by two standard deviations and the most important category forced to its
   rarest value — a population the model never saw. Drift check: the alarm names them.

All traffic goes to 127.0.0.1, in a bounded number of requests.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.serve._artifact import Artifact


def drift_demo(
    dataset: str = "titanic",
    *,
    rows: int = 300,
    batch_size: int = 20,
    seed: int = 0,
    folder: Path | None = None,
    say: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the demo; return ``{"url", "artifact", "shift", "normal", "shifted"}`` (reports)."""
    import tinkerlab as tl
    from tinkerlab.serve._artifact import load_artifact, save_artifact
    from tinkerlab.serve._client import Client
    from tinkerlab.serve._config import ServeConfig
    from tinkerlab.serve._server import BackgroundServer
    from tinkerlab.serve._service import create_app

    tell = say or (lambda _text: None)
    if not 30 <= rows <= 5000:
        from tinkerlab.exceptions import UsageError

        raise UsageError(f"--rows must be in [30, 5000] (a bounded demo). Got {rows} instead.")
    home = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="tinkerlab-drift-demo-"))
    tell(f"training a random forest on {dataset}")
    data = tl.load(dataset)
    run = tl.run(data, model="random_forest", record=False, seed=seed)
    path = save_artifact(run, home / dataset, data=data, overwrite=True)
    artifact = load_artifact(path)
    normal = _test_rows(run, data.frame, artifact, rows, seed)
    shifted, shift = _shift(normal, artifact)
    config = ServeConfig(monitor_dir=home / "monitor", access_log=False)
    (home / "monitor" / "predictions.jsonl").unlink(missing_ok=True)
    with BackgroundServer(create_app(artifact, config)) as url, Client(url) as client:
        client.batch_size = batch_size
        tell(f"serving at {url}; sending {rows} normal rows")
        client.predict(normal)
        before = client.drift(window=rows)
        tell(f"sending {rows} shifted rows ({'; '.join(shift)})")
        client.predict(shifted)
        after = client.drift(window=rows)
    return {
        "url": url,
        "artifact": str(path),
        "shift": shift,
        "normal": before,
        "shifted": after,
    }


def _test_rows(
    run: Any, frame: pd.DataFrame, artifact: Artifact, n: int, seed: int
) -> pd.DataFrame:
    """*n* rows drawn (with replacement) from the run's held-out test split."""
    from tinkerlab.runner import prepare_frame, split

    X, y = prepare_frame(run.recipe, frame)
    _X_train, X_test, _y_train, _y_test = split(run.recipe, X, y)
    sample: pd.DataFrame = X_test.sample(n=n, replace=True, random_state=seed)
    return sample[artifact.schema.names].reset_index(drop=True)


def _shift(frame: pd.DataFrame, artifact: Artifact) -> tuple[pd.DataFrame, list[str]]:
    """Move the most important numeric input by 2 std; force the top category to its rarest."""
    reference = artifact.meta["reference"]["features"]
    ranked = [r["feature"] for r in artifact.meta.get("importances", [])]
    order = ranked + [c for c in artifact.schema.names if c not in ranked]
    shifted = frame.copy()
    said = []
    numeric = [c for c in order if artifact.schema.column(c).kind == "numeric"] if order else []
    categorical = [c for c in order if artifact.schema.column(c).kind == "categorical"]
    if numeric:
        name = numeric[0]
        std = reference[name].get("std") or 1.0
        column = artifact.schema.column(name)
        assert column.maximum is not None
        shifted[name] = (shifted[name] + 2 * std).clip(upper=column.maximum + 2 * std)
        said.append(f"{name} + {2 * std:.3g}")
    if categorical:
        name = categorical[0]
        shares = reference[name]["shares"]
        rarest = min(shares, key=lambda k: shares[k])
        value = next(c for c in artifact.schema.column(name).categories if str(c) == rarest)
        shifted[name] = value
        said.append(f"{name} always {value!r}")
    return shifted, said
