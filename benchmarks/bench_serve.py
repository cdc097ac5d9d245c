"""Benchmark: `tinkerlab serve` against a plain FastAPI app and BentoML, same model.

Single-row JSON predictions at 32 concurrent connections, on 127.0.0.1 only, for a
fixed time (15 s by default) per server, measured in one run:

  (a) tinkerlab serve   the real command: validation, micro-batching, metrics, the log
  (b) plain FastAPI     the same skops model behind a sync endpoint (one predict per row)
  (c) BentoML 1.4       the same model in a BentoML service, from its own venv
                        (made on first use with pip; skipped when it cannot be installed)

For each: requests/s, p50/p99 latency, errors, and time-to-ready (process start to the
first healthy answer); then the ratios the issue sets as targets: tinkerlab's requests/s
over BentoML's (>= 2x) and its p99 over plain FastAPI's (<= 1x).

The load generator is an async httpx client in this process: 32 workers, each sending
one request after the other until the time is up (bounded in time and connections).
On a 2-core machine it shares the CPUs with the server, which lowers every figure;
compare the rows of one run, not runs on different machines.

Usage:
    python benchmarks/bench_serve.py                      # 15 s per server
    python benchmarks/bench_serve.py --duration 5 --no-bentoml
"""

# %%
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

CONCURRENCY = 32
DEFAULT_VENV = Path.home() / ".cache" / "tinkerlab-bench" / "bentoml-venv"

PLAIN_APP = textwrap.dedent(
    '''
    """A plain FastAPI app: the same model, a sync endpoint, one predict call per request."""
    import sys

    import pandas as pd
    import skops.io as sio
    import uvicorn
    from fastapi import FastAPI

    path, port = sys.argv[1], int(sys.argv[2])
    pipeline = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    app = FastAPI()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.post("/predict")
    def predict(row: dict):
        frame = pd.DataFrame([{k: float("nan") if v is None else v for k, v in row.items()}])
        proba = pipeline.predict_proba(frame)[0]
        return {
            "prediction": str(pipeline.predict(frame)[0]),
            "probabilities": {str(c): float(p) for c, p in zip(pipeline.classes_, proba)},
        }

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    '''
)

BENTO_SERVICE = textwrap.dedent(
    '''
    """The same model as a BentoML 1.4 service (sync API, default settings)."""
    import os

    import bentoml
    import pandas as pd
    import skops.io as sio


    @bentoml.service
    class Model:
        def __init__(self) -> None:
            path = os.environ["BENCH_MODEL"]
            self.pipeline = sio.load(path, trusted=sio.get_untrusted_types(file=path))

        @bentoml.api
        def predict(self, row: dict) -> dict:
            frame = pd.DataFrame([{k: float("nan") if v is None else v for k, v in row.items()}])
            proba = self.pipeline.predict_proba(frame)[0]
            return {
                "prediction": str(self.pipeline.predict(frame)[0]),
                "probabilities": {
                    str(c): float(p) for c, p in zip(self.pipeline.classes_, proba)
                },
            }
    '''
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# %% The load generator
async def load(url: str, body_of, rows: list[dict], duration: float) -> dict[str, float]:
    """CONCURRENCY workers post single rows back to back for *duration* seconds.

    Requests/s counts the successful answers that arrived within the *duration*; the
    latencies and errors count every request sent (those still running at the end too).
    """
    latencies: list[float] = []
    errors = 0
    in_time = 0
    start = time.perf_counter()
    deadline = start + duration
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker(offset: int) -> None:
            nonlocal errors, in_time
            i = offset
            while time.perf_counter() < deadline:
                body = body_of(rows[i % len(rows)])
                i += CONCURRENCY
                tick = time.perf_counter()
                try:
                    response = await client.post("/predict", json=body)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                done = time.perf_counter()
                latencies.append(done - tick)
                errors += not ok
                in_time += ok and done <= deadline

        await asyncio.gather(*(worker(k) for k in range(CONCURRENCY)))
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "rps": in_time / duration,
        "p50_ms": latencies[n // 2] * 1000 if n else float("nan"),
        "p99_ms": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "errors": errors,
    }


# %% Servers
def start(command: list[str], health_url: str, env: dict[str, str], timeout: float = 120):
    """Start a server; return (process, seconds until its health URL answered 200)."""
    tick = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    while time.perf_counter() - tick < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read()[-2000:]}")
        try:
            if httpx.get(health_url, timeout=1).status_code == 200:
                return process, time.perf_counter() - tick
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"server not ready after {timeout} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(name, command, health, body_of, rows, duration, env) -> dict[str, float | str]:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    url = f"http://127.0.0.1:{port}"
    process, ready = start(command, url + health, env)
    try:
        asyncio.run(load(url, body_of, rows, min(2.0, duration)))  # warm-up, not counted
        result = asyncio.run(load(url, body_of, rows, duration))
    finally:
        stop(process)
    print(
        f"  {name:<16} {result['rps']:8.0f} req/s  p50 {result['p50_ms']:7.1f} ms  "
        f"p99 {result['p99_ms']:7.1f} ms  errors {result['errors']:.0f}  ready {ready:.1f} s",
        flush=True,
    )
    return {"name": name, **result, "ready_s": ready}


def bentoml_python(venv: Path, install: bool) -> Path | None:
    """The BentoML venv's python, made with pip on first use; None if it cannot be."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import bentoml, sklearn, skops; print(bentoml.__version__)"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    if not install:
        return None
    import importlib.metadata as md

    print(f"  installing BentoML 1.4 into {venv} (once) ...", flush=True)
    pins = [f"{p}=={md.version(p)}" for p in ("scikit-learn", "skops", "numpy", "pandas", "scipy")]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "bentoml>=1.4,<1.5", *pins],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"  BentoML could not be installed: {done.stderr.strip()[-300:]}")
        return None
    return python


# %% Main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per server")
    parser.add_argument("--dataset", default="titanic")
    parser.add_argument("--model", default="random_forest")
    parser.add_argument("--no-bentoml", action="store_true", help="skip BentoML")
    parser.add_argument("--bentoml-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--no-install", action="store_true", help="do not pip install BentoML")
    args = parser.parse_args()
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be in [1, 120] seconds (the load is bounded)")

    import tinkerlab as tl
    from tinkerlab.runner import prepare_frame, split
    from tinkerlab.serve import load_artifact, save_artifact
    from tinkerlab.serve._artifact import rows_from_frame

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    data = tl.load(args.dataset)
    run = tl.run(data, model=args.model, record=False)
    path = save_artifact(run, work / "model", data=data)
    artifact = load_artifact(path)
    X, y = prepare_frame(run.recipe, data.frame)
    rows = rows_from_frame(split(run.recipe, X, y)[1], artifact.schema.names)
    print(
        f"{args.model} on {args.dataset}: {len(rows)} distinct test rows, {CONCURRENCY} "
        f"connections, {args.duration:g} s per server, 127.0.0.1; {os.cpu_count()} CPUs\n"
    )

    env = {**os.environ, "OMP_NUM_THREADS": "1", "BENTOML_DO_NOT_TRACK": "true"}
    results = [
        measure(
            "tinkerlab serve",
            [
                sys.executable,
                "-m",
                "tinkerlab",
                "serve",
                str(path),
                "--port",
                "{port}",
                "--no-access-log",
                "--monitor-dir",
                str(work / "monitor"),
            ],
            "/health",
            lambda r: r,
            rows,
            args.duration,
            env,
        ),
    ]
    plain = work / "plain_app.py"
    plain.write_text(PLAIN_APP)
    # JSON has no NaN: the plain app and BentoML turn null into NaN before predicting.
    results.append(
        measure(
            "plain FastAPI",
            [sys.executable, str(plain), str(path / "model.skops"), "{port}"],
            "/health",
            lambda r: r,
            rows,
            args.duration,
            env,
        )
    )
    python = None if args.no_bentoml else bentoml_python(args.bentoml_venv, not args.no_install)
    if python is not None:
        service = work / "bento_service.py"
        service.write_text(BENTO_SERVICE)
        bento_env = {**env, "BENCH_MODEL": str(path / "model.skops")}
        results.append(
            measure(
                "BentoML 1.4",
                [
                    str(python),
                    "-m",
                    "bentoml",
                    "serve",
                    "bento_service:Model",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "{port}",
                    "--working-dir",
                    str(work),
                ],
                "/readyz",
                lambda r: {"row": r},
                rows,
                args.duration,
                bento_env,
            )
        )
    elif not args.no_bentoml:
        print("  BentoML 1.4: not installable here; skipped")

    by_name = {r["name"]: r for r in results}
    ours = by_name["tinkerlab serve"]
    print("\nratios (tinkerlab serve / baseline):")
    for name, r in by_name.items():
        if name == "tinkerlab serve":
            continue
        print(
            f"  vs {name:<14} req/s x{ours['rps'] / r['rps']:.2f}   "
            f"p99 x{ours['p99_ms'] / r['p99_ms']:.2f}   ready x{ours['ready_s'] / r['ready_s']:.2f}"
        )
    if "BentoML 1.4" in by_name:
        ratio = ours["rps"] / by_name["BentoML 1.4"]["rps"]
        print(f"target req/s >= 2x BentoML: {'met' if ratio >= 2 else 'NOT met'} ({ratio:.2f}x)")
    p99 = ours["p99_ms"] / by_name["plain FastAPI"]["p99_ms"]
    print(f"target p99 <= plain FastAPI: {'met' if p99 <= 1 else 'NOT met'} ({p99:.2f}x)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
