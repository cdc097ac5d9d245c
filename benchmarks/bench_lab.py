"""Benchmark: the web lab's pages with a big journal, the playground's redraw, start-up.

Measured in one run, each beside a baseline:

  (a) server time per page with a journal of 10,000 runs (median of N requests through
      the whole app: guard, route, journal query, template), beside reading the same rows
      straight from the journal (``Journal.list_runs``/``get_run``). Target: < 150 ms.
  (b) the playground's redraw on 500 points per model (fit on 350, score both parts,
      predict a 60×60 map), beside the same scikit-learn pipeline fitted and asked for the
      same map without the lab. Target: < 300 ms.
  (c) time from ``tinkerlab lab`` to its first page (process start to a 200 on ``/``),
      beside ``tinkerlab --help`` (the CLI's own start-up). Target: < 2 s.

The 10,000 runs are inserted in one transaction with the journal's own table (a copy of
a real run's record each, with its summary), which is how a year of a class looks.

Usage:
    python benchmarks/bench_lab.py               # 10,000 runs, 20 requests per page
    python benchmarks/bench_lab.py --runs 2000 --repeat 5
"""

# %%
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")


def median_ms(work: Any, repeat: int) -> float:
    """The median wall time of *work()* in milliseconds (after one warm-up call)."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


# %% (a) pages with a journal of 10,000 runs
def fill_journal(url: str, runs: int) -> None:
    """*runs* copies of a real run's record, inserted in one transaction."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from sqlalchemy.orm import Session

    from tinkerlab import _api
    from tinkerlab.journal import Journal
    from tinkerlab.journal._tables import RunRow

    with Journal(url) as journal:
        real = journal.get_run(_api.run("titanic", model="knn", db=url).id)
        engine = journal._engine
        start = datetime.now(UTC) - timedelta(days=365)
        datasets = ("titanic", "iris", "wine", "penguins", "credit")
        models = ("knn", "random_forest", "logistic_regression", "svm")
        with Session(engine) as session:
            session.add_all(
                RunRow(
                    uid=uuid.uuid4().hex,
                    created_at=start + timedelta(minutes=i),
                    dataset=datasets[i % len(datasets)],
                    task=real.task,
                    model=models[i % len(models)],
                    recipe=real.recipe,
                    metrics=real.metrics,
                    baseline=real.baseline,
                    summary=real.summary,
                    timings=real.timings,
                    notices=real.notices,
                    plot_names=[],
                    data_sha256=real.data_sha256,
                    tinkerlab_version=real.tinkerlab_version,
                )
                for i in range(runs)
            )
            session.commit()


def bench_pages(runs: int, repeat: int) -> list[tuple[str, float, float]]:
    from fastapi.testclient import TestClient

    from tinkerlab.journal import Journal
    from tinkerlab.web import LabConfig, create_app

    home = Path(tempfile.mkdtemp(prefix="bench-lab-"))
    os.environ["TINKERLAB_HOME"] = str(home)
    url = f"sqlite:///{home / 'journal.sqlite'}"
    print(f"filling a journal with {runs:,} runs …", flush=True)
    fill_journal(url, runs)
    app = create_app(LabConfig(journal=url, home=home / "lab"))
    rows = []
    with TestClient(app, base_url="http://127.0.0.1:8765") as client, Journal(url) as store:
        client.headers["accept"] = "text/html"
        middle = runs // 2
        pages: list[tuple[str, Any]] = [
            ("/journal", lambda: store.list_runs(25)),
            ("/journal?page=200", lambda: store.list_runs(25, offset=199 * 25)),
            ("/journal?q=wine", lambda: store.list_runs(25, search="wine")),
            (
                "/journal?model=svm&page=50",
                lambda: store.list_runs(25, offset=49 * 25, model="svm"),
            ),
            (f"/journal/runs/{middle}", lambda: store.get_run(middle)),
            ("/", lambda: store.list_runs(5)),
            ("/run?dataset=titanic", None),
            ("/theory", None),
            ("/data", None),
        ]
        for path, direct in pages:
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            ours = median_ms(lambda p=path: client.get(p), repeat)
            base = median_ms(direct, repeat) if direct is not None else float("nan")
            rows.append((path, ours, base))
    return rows


# %% (b) the playground's redraw on 500 points
def bench_playground(repeat: int) -> list[tuple[str, float, float]]:
    import numpy as np

    from tinkerlab.web._playground import GRID, _prepared, draw

    models = [
        ("knn", "sklearn"),
        ("decision_tree", "sklearn"),
        ("logistic_regression", "sklearn"),
        ("naive_bayes", "sklearn"),
        ("svm", "sklearn"),
        ("random_forest", "sklearn"),
        ("mlp", "sklearn"),
        ("knn", "scratch"),
        ("decision_tree", "scratch"),
        ("logistic_regression", "scratch"),
        ("mlp", "scratch"),
    ]
    X, _y, X_train, _X_test, y_train, _y_test = _prepared("moons", 0.2, 500, 0)
    lo, hi = X.min(axis=0), X.max(axis=0)
    mesh = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
    import pandas as pd

    plane = pd.DataFrame({"x1": mesh[0].ravel(), "x2": mesh[1].ravel()})
    rows = []
    for model, impl in models:
        ours = median_ms(
            lambda m=model, i=impl: draw(
                "moons", noise=0.2, n=500, seed=0, model=m, params={}, impl=i
            ),
            repeat,
        )
        plain = _plain_estimator(model, impl)

        def alone(estimator: Any = plain) -> None:
            estimator.fit(X_train, y_train)
            predict = getattr(estimator, "predict_proba", estimator.predict)
            predict(plane)

        rows.append((f"{model} ({impl})", ours, median_ms(alone, repeat)))
    return rows


def _plain_estimator(model: str, impl: str) -> Any:
    """The same estimator as a plain scikit-learn pipeline, built without the lab."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from tinkerlab.web._playground import MLP, _mlp_pipeline, _recipe

    if model == MLP:
        return _mlp_pipeline({}, impl, 0)
    from tinkerlab.recipe import build_pipeline

    lab = build_pipeline(_recipe(model, impl, (), 0))
    estimator = lab.steps[-1][1]
    return make_pipeline(StandardScaler(), estimator)


# %% (c) from `tinkerlab lab` to the first page
def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process *pid* has used so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_startup(repeat: int) -> tuple[float, float, float]:
    """Median ms from starting ``tinkerlab lab`` to a 200 on ``/`` (wall and the lab's CPU),
    and of ``tinkerlab --help``. The clock stops at the first page: the lab's shutdown,
    which the learner never waits for, is outside it."""
    import httpx

    env = {**os.environ, "TINKERLAB_HOME": tempfile.mkdtemp(prefix="bench-lab-start-")}
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")

    def first_page() -> tuple[float, float]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "tinkerlab", "lab", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while time.perf_counter() - start < 60:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                        wall = 1000 * (time.perf_counter() - start)
                        return wall, 1000 * cpu_seconds(process.pid)
                except httpx.HTTPError:
                    time.sleep(0.01)
            raise RuntimeError("the lab did not answer within 60 s")
        finally:
            process.terminate()
            process.wait(10)

    def cli_help() -> None:
        subprocess.run(
            [sys.executable, "-m", "tinkerlab", "--help"],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )

    first_page()  # warm-up: creates the journal, fills the OS file cache
    walls, cpus = zip(*(first_page() for _ in range(repeat)), strict=True)
    return statistics.median(walls), statistics.median(cpus), median_ms(cli_help, repeat)


# %%
def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message=".*(converge|max_iter).*")  # short MLP fits
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    print(f"\n(a) server time per page, journal of {args.runs:,} runs (median ms)")
    print(f"{'page':34} {'lab':>8} {'journal alone':>14} {'ratio':>7}  target < 150 ms")
    for path, ours, base in bench_pages(args.runs, args.repeat):
        ratio = f"{ours / base:6.1f}x" if base == base else "     –"
        flag = "ok" if ours < 150 else "SLOW"
        print(f"{path:34} {ours:8.1f} {base:14.1f} {ratio}  {flag}")

    print("\n(b) playground redraw on 500 points (median ms)")
    print(f"{'model':30} {'lab':>8} {'plain sklearn':>14} {'ratio':>7}  target < 300 ms")
    for name, ours, base in bench_playground(max(3, args.repeat // 4)):
        flag = "ok" if ours < 300 else "SLOW"
        print(f"{name:30} {ours:8.1f} {base:14.1f} {ours / base:6.1f}x  {flag}")

    lab, cpu, cli = bench_startup(3)
    load = os.getloadavg()[0]
    print(f"\n(c) start-up (median of 3, ms; load average {load:.1f} on {os.cpu_count()} cores)")
    print(
        f"tinkerlab lab → first page {lab:8.0f} wall, {cpu:6.0f} CPU   "
        f"tinkerlab --help {cli:8.0f} wall   ratio {lab / cli:4.1f}x   "
        f"{'ok' if lab < 2000 else 'SLOW'} (target < 2000 ms)"
    )


if __name__ == "__main__":
    main()
