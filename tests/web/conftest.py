"""What the web lab's tests share.

* In-process tests use FastAPI's TestClient on an app made by ``create_app`` with a
  private lab folder (the root conftest gives each test its own TINKERLAB_HOME).
* Browser tests (marked ``browser``) drive Debian's Chromium through Playwright against a
  real ``tinkerlab lab`` process on a free loopback port, with its own TINKERLAB_HOME;
  every page a test opens is watched for console errors and failed requests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_helpers import BASE

CHROMIUM = os.environ.get("TINKERLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# --- in process ----------------------------------------------------------------------------


@pytest.fixture
def lab_config(tmp_path: Path) -> Any:
    from tinkerlab.web import LabConfig

    return LabConfig(home=tmp_path / "lab", jobs=1)


@pytest.fixture
def app(lab_config: Any) -> Iterator[Any]:
    from tinkerlab.web import create_app

    application = create_app(lab_config)
    yield application
    application.state.jobs.shutdown()
    application.state.services.stop_all()
    if application.state.journal is not None:
        application.state.journal.close()


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as test_client:
        test_client.headers["accept"] = "text/html"
        yield test_client


# --- a real lab and a real browser ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tinkerlab lab`` running in its own process, with its own home; its URL."""
    home = tmp_path_factory.mktemp("lab-home")
    port = _free_port()
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {
        **os.environ,
        "TINKERLAB_HOME": str(home),
        "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }
    env.pop("TINKERLAB_DB", None)
    log = (home / "lab.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tinkerlab", "lab", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, process, home / "lab.log")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"tinkerlab lab exited: {log.read_text()[-2000:]}", pytrace=False)
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"tinkerlab lab did not answer within 60 s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("TINKERLAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TINKERLAB_REQUIRE_BROWSER=1 but {CHROMIUM} is missing", pytrace=False)
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A browser page whose console errors and failed requests are collected."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []  # requests for anything the lab does not serve
        # The network is off for these pages: a request that leaves the lab (a CDN, a
        # font, a schema) is aborted and recorded, and fails the test.
        page.context.route(lambda url: not url.startswith(base), self._leave)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _leave(self, route: Any) -> None:
        if route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
            return
        self.outside.append(route.request.url)
        route.abort("internetdisconnected")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request_failed(self, request: Any) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            # Cancelled because the page moved on (a click, a reload, a stream closed): on a
            # busy machine a script or the icon may still be loading then. A request that
            # went wrong answers with a status (see _response), one that left the lab is
            # aborted by _leave and recorded there, and a blocked one says so otherwise.
            return
        self.failed.append(f"{request.url}: {failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.url.startswith(self.base):
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.failed, self.failed
        assert not self.outside, f"requests that left the lab: {self.outside}"


@pytest.fixture
def page(browser: Any, lab_url: str) -> Iterator[Watched]:
    """A fresh browser tab on the lab (1280 × 900), watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    watched = Watched(context.new_page(), lab_url)
    yield watched
    context.close()
