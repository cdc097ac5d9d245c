"""The Ship labs' check sends requests to a real `tinkerlab serve` on a loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

import tinkerlab as tl
from tinkerlab.serve import save_artifact
from tinkerlab.serve._artifact import rows_from_frame


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """`tinkerlab serve PATH` in a subprocess on a free loopback port (as tests/serve do)."""

    def __init__(self, path, *args, timeout=90):
        self.url = f"http://127.0.0.1:{free_port()}"
        port = self.url.rsplit(":", 1)[1]
        command = [sys.executable, "-m", "tinkerlab", "serve", str(path), "--port", port, *args]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited: {self.process.communicate()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("the service did not become ready in time")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def test_nothing_listening_says_how_to_start_a_service():
    url = f"http://127.0.0.1:{free_port()}"
    result = tl.path.check("5.1", url=url, db="sqlite://")
    assert not result.passed
    assert f"Nothing answers at {url}" in result.missing
    assert result.next_command.startswith("tinkerlab serve models/NAME")


@pytest.mark.slow
def test_a_running_service_passes_5_1_and_5_2_once_it_has_seen_rows(tmp_path):
    run = tl.run("iris", model="knn", record=False)
    save_artifact(run, tmp_path / "model")
    served = Served(tmp_path / "model", "--monitor-dir", str(tmp_path / "monitor"))
    try:
        answered = tl.path.check("5.1", url=served.url, db="sqlite://")
        assert answered.passed, answered.missing
        assert "/predict answered the example row" in answered.found[1]
        few = tl.path.check("5.2", url=served.url, db="sqlite://")
        assert not few.passed
        assert "needs at least 20" in few.missing
        # the failed check's next command, pasted as it is, sends the rows it needs
        command = few.next_command.replace("python -c", f"{sys.executable} -c").replace(
            "&& tinkerlab ", f"&& {sys.executable} -m tinkerlab "
        )
        sent = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True)
        assert sent.returncode == 0, (command, sent.stderr[-2000:])
        seen = tl.path.check("5.2", url=served.url, db="sqlite://")
        assert seen.passed, seen.missing
        assert seen.details["rows"] >= 20
    finally:
        served.stop()


@pytest.mark.slow
def test_the_drift_check_sends_a_user_files_own_rows(tmp_path, noisy_csv):
    run = tl.run(noisy_csv, target="label", model="knn", record=False)
    save_artifact(run, tmp_path / "model")
    served = Served(tmp_path / "model", "--monitor-dir", str(tmp_path / "monitor"))
    try:
        few = tl.path.check("5.2", url=served.url, db="sqlite://")
        assert few.next_command == f"tinkerlab predict {served.url} --file {noisy_csv}"
        frame = tl.load(noisy_csv, target="label").frame.drop(columns="label").head(30)
        rows = rows_from_frame(frame, list(frame.columns))
        reply = httpx.post(f"{served.url}/predict", json=rows, timeout=30)
        assert reply.status_code == 200, reply.text
        assert tl.path.check("5.2", url=served.url, db="sqlite://").passed
    finally:
        served.stop()
