"""Model services started from the Ship page: ``tinkerlab serve`` in a child process.

The lab does not serve models itself: it starts the very command a learner would type,
``tinkerlab serve DIR --host 127.0.0.1 --port P``, as a child process (so a crash or a
slow model never stalls the lab), waits for its ``/health``, and stops it on request or
when the lab exits. The try-it form and the drift panel talk to it over HTTP, like any
client would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tinkerlab.exceptions import ServiceError

#: Seconds a service has to answer /health after it starts.
START_TIMEOUT = 60.0


@dataclass
class Service:
    """One running model service."""

    name: str  # the artifact's folder name
    path: Path  # the artifact directory
    port: int
    process: subprocess.Popen[bytes]
    log: Path  # where its output goes

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class Services:
    """The model services this lab started, by artifact name."""

    def __init__(self, logs: Path) -> None:
        self._logs = logs
        self._running: dict[str, Service] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Service | None:
        """The live service of artifact *name*, if any."""
        with self._lock:
            service = self._running.get(name)
        if service is not None and not service.alive:
            with self._lock:
                self._running.pop(name, None)
            return None
        return service

    def start(self, name: str, path: Path) -> Service:
        """Start ``tinkerlab serve`` on *path* (once: a running one is returned as it is)."""
        existing = self.get(name)
        if existing is not None:
            return existing
        port = _free_port()
        log = self._logs / f"{name}.log"
        command = [sys.executable, "-m", "tinkerlab", "serve", str(path)]
        command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        env.pop("TINKERLAB_TOKEN", None)  # a loopback service needs none; never leak the lab's
        with log.open("wb") as out:
            process = subprocess.Popen(  # our own command, no shell
                command, stdout=out, stderr=subprocess.STDOUT, env=env
            )
        service = Service(name, path, port, process, log)
        try:
            _wait_healthy(service)
        except BaseException:
            _stop(service)
            raise
        with self._lock:
            self._running[name] = service
        return service

    def stop(self, name: str) -> bool:
        """Stop the service of *name*; whether one was running."""
        with self._lock:
            service = self._running.pop(name, None)
        if service is None:
            return False
        _stop(service)
        return True

    def stop_all(self) -> None:
        """Stop every service (the lab is exiting)."""
        with self._lock:
            services, self._running = list(self._running.values()), {}
        for service in services:
            _stop(service)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_healthy(service: Service) -> None:
    import httpx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not service.alive:
            tail = service.log.read_text(encoding="utf-8", errors="replace")[-600:]
            raise ServiceError(
                f"The service for {service.name!r} stopped as it started: {tail.strip()} "
                "Fix: check the artifact on the Ship page, or run "
                f"tinkerlab serve {service.path} to see the whole message."
            )
        try:
            if httpx.get(service.url + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise ServiceError(
        f"The service for {service.name!r} did not answer within {START_TIMEOUT:g} s. "
        f"Fix: look at its log, {service.log}."
    )


def _stop(service: Service) -> None:
    if service.alive:
        service.process.terminate()
        try:
            service.process.wait(10)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait(5)
