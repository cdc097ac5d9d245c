"""Running the service with uvicorn: one process, or ``workers`` processes.

:func:`serve` checks everything that can be checked before listening — the bind
address against the token, the artifact (trust, format, versions) — so a mistake ends
with a message and exit code 2, not with a half-started server. With several workers,
uvicorn imports :func:`app_from_environment` in each process; the settings travel in
the ``TINKERLAB_SERVE`` environment variable (the token in ``TINKERLAB_TOKEN``).

Shutdown is graceful: on Ctrl-C or SIGTERM uvicorn stops accepting connections, lets
running requests finish (up to ``graceful_timeout`` seconds), and the app predicts what
is still queued in the micro-batcher before it exits.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import UsageError
from tinkerlab.serve._security import TOKEN_VARIABLE, check_bind

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tinkerlab.serve._config import ServeConfig

SETTINGS_VARIABLE = "TINKERLAB_SERVE"
#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE = 65


def _kind(path: str | Path) -> str:
    """Which service a directory gets: ``textclass``, ``generation`` or ``artifact``."""
    from tinkerlab.serve._generate import is_language_model_dir
    from tinkerlab.serve._textclass import is_text_classifier_dir

    if is_text_classifier_dir(path):
        return "textclass"  # written by tinkerlab finetune --method full
    if is_language_model_dir(path):
        return "generation"  # tinkerlab autocomplete train, or any local causal LM
    return "artifact"


def _load(kind: str, path: str | Path, trusted: tuple[str, ...]) -> Any:
    """The model of a directory of *kind*, loaded and checked (errors say what is wrong)."""
    if kind == "textclass":
        from tinkerlab.serve._textclass import TextClassModel

        return TextClassModel.load(path)
    if kind == "generation":
        from tinkerlab.serve._generate import GenerationModel

        return GenerationModel.load(path)
    from tinkerlab.serve._artifact import load_artifact

    return load_artifact(path, trusted=trusted)


def _app(kind: str, served: Any, config: ServeConfig) -> FastAPI:
    """The app of a loaded model of *kind*."""
    if kind == "textclass":
        from tinkerlab.serve._textclass import create_textclass_app

        return create_textclass_app(served, config)
    if kind == "generation":
        from tinkerlab.serve._generate import create_generation_app

        return create_generation_app(served, config)
    from tinkerlab.serve._service import create_app

    return create_app(served, config)


def serve(
    path: str | Path,
    config: ServeConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    trusted: tuple[str, ...] = (),
    graceful_timeout: float = 10.0,
    log_level: str = "info",
    on_ready: Any = None,
) -> None:
    """Load the artifact (or language model directory) at *path* and serve it (blocks).

    The model is loaded and checked here, before any worker starts, so a bad directory
    ends with a message and exit 2. ``on_ready(served)`` is called after the checks pass,
    before listening (the command line prints the address and the notices there).
    """
    import uvicorn

    check_bind(host, config.token)
    if workers < 1:
        raise UsageError(f"--workers must be at least 1. Got {workers} instead.")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be in [0, 65535]. Got {port} instead.")
    kind = _kind(path)
    served = _load(kind, path, trusted)
    if on_ready is not None:
        on_ready(served)
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": False,  # ours is structured (JSON), see _middleware
        "timeout_graceful_shutdown": graceful_timeout,
        # Longer than the idle timeout of common proxies and load balancers (60 s): a
        # connection the server closes while a client reuses it fails that request.
        "timeout_keep_alive": KEEP_ALIVE,
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(_app(kind, served, config), **common)
        return
    settings = {
        "kind": kind,
        "path": str(Path(path).expanduser().resolve()),
        "trusted": list(trusted),
        "workers": workers,
        "config": {**asdict(replace(config, token=None)), "monitor_dir": _str(config.monitor_dir)},
    }
    os.environ[SETTINGS_VARIABLE] = json.dumps(settings)
    if config.token:
        os.environ[TOKEN_VARIABLE] = config.token
    uvicorn.run(
        "tinkerlab.serve._server:app_from_environment", factory=True, workers=workers, **common
    )


def app_from_environment() -> FastAPI:
    """The app of one worker process, from the settings :func:`serve` left in the environment."""
    import warnings

    from tinkerlab._threads import cap_this_process, threads_per_worker
    from tinkerlab.serve._config import ServeConfig

    settings = json.loads(os.environ[SETTINGS_VARIABLE])
    # N workers each predicting with every core's worth of BLAS/OpenMP threads would
    # oversubscribe the machine N times over: each gets its share of the cores.
    cap_this_process(threads_per_worker(int(settings.get("workers", 1))))
    values = dict(settings["config"])
    if values.get("monitor_dir"):
        values["monitor_dir"] = Path(values["monitor_dir"])
    values["token"] = os.environ.get(TOKEN_VARIABLE) or None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the parent already showed the version notices
        served = _load(settings["kind"], settings["path"], tuple(settings["trusted"]))
    return _app(settings["kind"], served, ServeConfig(**values))


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


class BackgroundServer:
    """Serve an app on a loopback port from a thread (the drift demo, tests, notebooks).

    >>> with BackgroundServer(app) as url:       # doctest: +SKIP
    ...     Client(url).health()

    Port 0 lets the system pick a free port; ``url`` says which. Leaving the block
    shuts the server down gracefully and waits for it (at most ``timeout`` seconds).
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout: float = 20,
        **options: Any,
    ):
        import uvicorn

        if not _is_loopback(host):
            raise UsageError(f"A background server listens on loopback only; got {host!r}.")
        self.timeout = timeout
        settings = {"log_level": "warning", "access_log": False, **options}  # e.g. http="h11"
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, **settings))
        self.thread: Any = None
        self.url = ""

    def __enter__(self) -> str:
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, name="tinkerlab-serve", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + self.timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.server.should_exit = True
                raise RuntimeError("the background model service did not start")
            time.sleep(0.01)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self.url

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(self.timeout)


def _is_loopback(host: str) -> bool:
    from tinkerlab.serve._security import is_loopback

    return is_loopback(host)
