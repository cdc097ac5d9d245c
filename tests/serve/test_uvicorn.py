"""End to end on a real loopback port: `tinkerlab serve` in a subprocess, curl-like requests,
a bounded load smoke test, several workers, and a graceful shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from tinkerlab.serve import load_artifact
from tinkerlab.serve._artifact import rows_from_frame


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """`tinkerlab serve PATH ...` in a subprocess; stops it (SIGTERM, then SIGKILL)."""

    def __init__(self, path, *args, timeout=60):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "tinkerlab",
            "serve",
            str(path),
            "--port",
            str(self.port),
            *args,
        ]
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited: {self.process.communicate()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("the service did not become ready in time")
            time.sleep(0.1)

    def stop(self, timeout=20) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        try:
            _out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        return self.process.returncode, err


def test_served_over_http_equals_in_process_then_a_bounded_load_has_no_errors(
    titanic_dir, titanic_run, titanic, tmp_path
):
    import tinkerlab as tl
    from tinkerlab.runner import prepare_frame, split

    served = Served(titanic_dir, "--monitor-dir", str(tmp_path), "--no-access-log")
    try:
        X, y = prepare_frame(titanic_run.recipe, tl.load("titanic").frame)
        X_test = split(titanic_run.recipe, X, y)[1]
        rows = rows_from_frame(X_test, titanic.schema.names)
        answer = httpx.post(f"{served.url}/predict", json=rows, timeout=30).json()
        curl_like = httpx.post(
            f"{served.url}/predict",
            content=b'{"sex":"female","age":29,"passengerClass":"1st"}',
            headers={"content-type": "application/json"},
        )
        started = time.monotonic()
        codes = asyncio.run(asyncio.wait_for(_load(served.url, 320, 32), timeout=120))
        elapsed = time.monotonic() - started
        metrics = httpx.get(f"{served.url}/metrics").text
    finally:
        served.stop()
    expected = titanic_run.pipeline.predict(X_test)
    assert [p["prediction"] for p in answer["predictions"]] == expected.tolist()
    assert curl_like.json()["prediction"] == "yes"
    # The load smoke test: 320 single-row requests, 32 at a time, every one answered 200.
    assert codes.count(200) == 320, {c: codes.count(c) for c in set(codes)}
    assert elapsed < 120
    assert 'tinkerlab_requests_total{path="/predict",status="200"} 322' in metrics


async def _load(url: str, n: int, concurrency: int) -> list[int]:
    """*n* single-row requests, *concurrency* at a time, on loopback (bounded)."""
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> int:
            async with gate:
                row = {"sex": ("female", "male")[i % 2], "age": float(i % 80)}
                return (await client.post("/predict", json=row)).status_code

        return await asyncio.gather(*(one(i) for i in range(n)))


def test_two_workers_share_the_log_and_shut_down_gracefully(titanic_dir, tmp_path):
    service = Served(titanic_dir, "--workers", "2", "--monitor-dir", str(tmp_path), timeout=90)
    try:
        answers = {
            httpx.post(f"{service.url}/predict", json={"sex": "male", "age": 40.0}).json()[
                "prediction"
            ]
            for _ in range(10)
        }
        report = httpx.get(f"{service.url}/drift", params={"window": 10}).json()
    finally:
        code, err = service.stop(timeout=30)
    assert len(answers) == 1
    assert report["rows"] == 10  # both workers append to the same log
    assert (tmp_path / "predictions.jsonl").read_text().count("\n") == 10
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status says why.
    assert code in (0, -signal.SIGTERM), err
    assert err.count('"path":"/predict","status":200') == 10  # the JSON access log
    assert err.count("Finished server process") == 2  # each worker finished its requests


def test_untrusted_artifact_refuses_to_start(titanic_dir, tmp_path):
    import shutil

    path = tmp_path / "m"
    shutil.copytree(titanic_dir, path)
    meta = load_artifact(path).meta
    meta["format"] = 99
    (path / "meta.json").write_text(__import__("json").dumps(meta))
    result = subprocess.run(
        [sys.executable, "-m", "tinkerlab", "serve", str(path), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "newer tinkerlab" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
