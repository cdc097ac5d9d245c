"""Benchmark: `tinkerlab serve` against a plain FastAPI app and BentoML 1.4, same model.

Single-row JSON predictions at 32 concurrent connections, on 127.0.0.1 only, for a fixed
time per server (15 s by default), every server in each of ``--rounds`` rounds (so a
burst of load from elsewhere on a shared machine hits all of them alike):

  tinkerlab serve      the real command: validation, token check, micro-batching,
                       metrics, the prediction log (``--workers 2`` in a second row)
  plain FastAPI        the same skops model behind a sync endpoint: one DataFrame,
                       one predict and one predict_proba per request (the tutorial way)
  BentoML 1.4          the same model in a BentoML service (its default sync API), and
                       again with BentoML's adaptive batching (``batchable=True``), in
                       its own venv (made with pip on first use, never in our
                       dependencies; ``--no-bentoml`` skips it)

Load generator: ``wrk`` (Debian: ``apt-get install -y wrk``), a C program driven by a Lua
script that posts the held-out test rows in turn. Why not a Python client: on a 2-core
machine the generator shares the CPUs with the server, and an async httpx client needs
about as much CPU per request as the server it measures, so it would cap every server at
its own speed; wrk costs a small fraction of that. It keeps 32 connections busy (a closed
loop: a new request as soon as an answer comes) and reports latency percentiles.

For each server: requests/s, p50/p99 latency, errors (non-2xx and socket errors), the
server's CPU time per request (process tree, from /proc: a figure less sensitive than
requests/s to other programs on a shared machine) and time-to-ready. Then the targets
of issue 15: ours >= 2x BentoML's requests/s (the better of its two rows), our p99 <= plain
FastAPI's, and >= 1,500 requests/s on a quiet 2-core machine. The load average is printed
with every row: on a busy machine every figure drops, so compare rows of one run.

Usage:
    python benchmarks/bench_serve.py                      # 15 s per server, 2 rounds
    python benchmarks/bench_serve.py --duration 5 --rounds 1 --no-bentoml
"""

# %%
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import httpx

CONCURRENCY = 32
DEFAULT_VENV = Path(tempfile.gettempdir()) / "tinkerlab-bentoml"

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
    """The same model as BentoML 1.4 services: the default sync API, and adaptive batching."""
    import os

    import bentoml
    import pandas as pd
    import skops.io as sio


    def _load():
        path = os.environ["BENCH_MODEL"]
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))


    def _answers(pipeline, rows):
        frame = pd.DataFrame([{k: float("nan") if v is None else v for k, v in r.items()}
                              for r in rows])
        proba = pipeline.predict_proba(frame)
        labels = pipeline.predict(frame)
        classes = [str(c) for c in pipeline.classes_]
        return [{"prediction": str(label), "probabilities": dict(zip(classes, map(float, p)))}
                for label, p in zip(labels, proba)]


    @bentoml.service
    class Model:
        def __init__(self) -> None:
            self.pipeline = _load()

        @bentoml.api
        def predict(self, row: dict) -> dict:
            return _answers(self.pipeline, [row])[0]


    @bentoml.service
    class Batched:
        def __init__(self) -> None:
            self.pipeline = _load()

        @bentoml.api(batchable=True, max_batch_size=64, max_latency_ms=1000)
        def predict(self, rows: list[dict]) -> list[dict]:
            return _answers(self.pipeline, rows)
    '''
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# %% The load generator
def wrk_script(bodies: list[str], folder: Path, name: str) -> Path:
    """A Lua script for wrk that posts *bodies* in turn as JSON to /predict."""
    listed = ",\n".join(f"  [==[{b}]==]" for b in bodies)
    script = folder / f"{name}.lua"
    script.write_text(
        f"local bodies = {{\n{listed}\n}}\nlocal i = 0\n"
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        "request = function()\n  i = i + 1\n"
        '  return wrk.format(nil, "/predict", nil, bodies[(i % #bodies) + 1])\nend\n'
    )
    return script


def run_wrk(url: str, script: Path, seconds: float) -> dict[str, float]:
    """Requests/s, p50/p99 (ms), requests and errors of *seconds* of load on *url*."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{seconds:g}s", "--timeout", "30s", "--latency",
         "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    percent = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(percent["50"]),
        "p99_ms": _ms(percent["99"]),
        "requests": requests,
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(g) for g in sockets.groups()) if sockets else 0),
    }


def _ms(text: str) -> float:
    """wrk's '1.23ms', '850.00us', '1.02s' in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


# %% Servers
def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of *pid* and every process below it (Linux /proc)."""
    import psutil

    try:
        root = psutil.Process(pid)
        total = 0.0
        for process in [root, *root.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return float("nan")


def start(command: list[str], health_url: str, env: dict[str, str], timeout: float = 180):
    """Start a server; return (process, seconds until its health URL answered 200)."""
    tick = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    while time.perf_counter() - tick < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(health_url, timeout=1).status_code == 200:
                return process, time.perf_counter() - tick
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"server not ready after {timeout} s")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (BentoML starts several), SIGKILL if need be."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


class Server:
    """How to start one contender and what its request bodies look like."""

    def __init__(self, name: str, command: list[str], health: str, body: Callable, env: dict):
        self.name, self.command, self.health, self.body, self.env = name, command, health, body, env
        self.runs: list[dict[str, float]] = []

    def measure(self, rows: list[dict], folder: Path, seconds: float) -> dict[str, float]:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [part.replace("{port}", str(port)) for part in self.command]
        script = wrk_script([json.dumps(self.body(r)) for r in rows], folder, f"s{port}")
        process, ready = start(command, url + self.health, self.env)
        try:
            run_wrk(url, script, min(3.0, seconds))  # warm-up, not counted
            before = cpu_seconds(process.pid)
            result = run_wrk(url, script, seconds)
            used = cpu_seconds(process.pid) - before
        finally:
            stop(process)
        result |= {
            "cpu_ms_per_request": 1000 * used / max(1, result["requests"]),
            "ready_s": ready,
            "load": os.getloadavg()[0],
        }
        self.runs.append(result)
        print(
            f"  {self.name:<26} {result['rps']:7.0f} req/s  p50 {result['p50_ms']:7.1f} ms  "
            f"p99 {result['p99_ms']:7.1f} ms  errors {result['errors']:.0f}  "
            f"CPU {result['cpu_ms_per_request']:.2f} ms/req  ready {ready:4.1f} s  "
            f"load {result['load']:.1f}",
            flush=True,
        )
        return result

    def median(self, key: str) -> float:
        return statistics.median(r[key] for r in self.runs)


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
def contenders(path: Path, work: Path, args: argparse.Namespace) -> list[Server]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "BENTOML_DO_NOT_TRACK": "true"}
    ours = [sys.executable, "-m", "tinkerlab", "serve", str(path), "--port", "{port}"]
    ours += ["--no-access-log", "--monitor-dir", str(work / "monitor")]
    plain = work / "plain_app.py"
    plain.write_text(PLAIN_APP)
    servers = [
        Server("tinkerlab serve", ours, "/health", lambda r: r, env),
        Server("tinkerlab serve --workers 2", [*ours, "--workers", "2"], "/health",
               lambda r: r, env),
        Server("plain FastAPI", [sys.executable, str(plain), str(path / "model.skops"), "{port}"],
               "/health", lambda r: r, env),
    ]  # fmt: skip
    python = None if args.no_bentoml else bentoml_python(args.bentoml_venv, not args.no_install)
    if python is None:
        if not args.no_bentoml:
            print("  BentoML 1.4: not installable here; skipped")
        return servers
    (work / "bento_service.py").write_text(BENTO_SERVICE)
    bento_env = {**env, "BENCH_MODEL": str(path / "model.skops")}
    for name, target, body in (
        ("BentoML 1.4", "bento_service:Model", lambda r: {"row": r}),
        ("BentoML 1.4 batchable", "bento_service:Batched", lambda r: {"rows": [r]}),
    ):
        command = [str(python), "-m", "bentoml", "serve", target, "--host", "127.0.0.1",
                   "--port", "{port}", "--working-dir", str(work)]  # fmt: skip
        servers.append(Server(name, command, "/readyz", body, bento_env))
    return servers


def report(servers: list[Server]) -> None:
    by_name = {s.name: s for s in servers}
    ours = by_name["tinkerlab serve"]
    cores = os.cpu_count()
    print(f"\nmedians over the rounds ({cores} CPUs, load average now {os.getloadavg()[0]:.1f}):")
    for s in servers:
        print(
            f"  {s.name:<26} {s.median('rps'):7.0f} req/s  p50 {s.median('p50_ms'):7.1f} ms  "
            f"p99 {s.median('p99_ms'):7.1f} ms  CPU {s.median('cpu_ms_per_request'):.2f} ms/req"
        )
    bentos = [s for s in servers if s.name.startswith("BentoML")]
    if bentos:
        best = max(bentos, key=lambda s: s.median("rps"))
        ratio = ours.median("rps") / best.median("rps")
        verdict = "met" if ratio >= 2 else "NOT met"
        print(f"target req/s >= 2x BentoML ({best.name}): {verdict} ({ratio:.1f}x)")
    p99 = ours.median("p99_ms") / by_name["plain FastAPI"].median("p99_ms")
    print(f"target p99 <= plain FastAPI's: {'met' if p99 <= 1 else 'NOT met'} ({p99:.3f}x)")
    for s in (ours, by_name["tinkerlab serve --workers 2"]):
        rps = s.median("rps")
        verdict = "met" if rps >= 1500 else "NOT met"
        load = statistics.median(r["load"] for r in s.runs)
        print(
            f"target >= 1,500 req/s on a quiet 2-core machine, {s.name}: {verdict} here "
            f"({rps:.0f} req/s; {cores} CPUs, load {load:.1f} while it ran: the machine is "
            "quiet only if that is near 1)"
        )
    print(json.dumps({s.name: s.runs for s in servers}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per server")
    parser.add_argument("--rounds", type=int, default=2, help="every server once per round")
    parser.add_argument("--dataset", default="titanic")
    parser.add_argument("--model", default="random_forest")
    parser.add_argument("--no-bentoml", action="store_true", help="skip BentoML")
    parser.add_argument("--bentoml-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--no-install", action="store_true", help="do not pip install BentoML")
    args = parser.parse_args()
    if not 1 <= args.duration <= 120 or not 1 <= args.rounds <= 5:
        parser.error("--duration must be in [1, 120] seconds and --rounds in [1, 5]")
    if shutil.which("wrk") is None:
        sys.exit("This benchmark drives the servers with wrk. Fix: apt-get install -y wrk")

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
        f"connections (wrk), {args.duration:g} s per server, {args.rounds} round(s), 127.0.0.1; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start\n"
    )
    servers = contenders(path, work, args)
    try:
        for round_ in range(1, args.rounds + 1):
            print(f"round {round_}:")
            for server in servers:
                server.measure(rows, work, args.duration)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(servers)


if __name__ == "__main__":
    main()
