"""The lab's FastAPI app: the guard, the static files, one router per page group.

:func:`create_app` is the one way to make it (``tinkerlab lab`` and the tests call it).
Each page group lives in ``routes/<name>.py`` as an ``APIRouter``; :data:`PAGES` lists
them. Adding a page is adding a module there, a template, and a line in ``NAV``
(``docs/web.md`` walks through it).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from fastapi import FastAPI, Request
    from fastapi.responses import Response

    from tinkerlab.journal import Journal
    from tinkerlab.web._config import LabConfig

#: The page groups, each ``tinkerlab.web.routes.<name>`` with a ``router``, in nav order.
PAGES = (
    "auth",
    "home",
    "data",
    "run",
    "tinker",
    "jobs",
    "compare",
    "search",
    "playground",
    "theory",
    "scratch",
    "journal",
    "ship",
    "feedback",
)

log = logging.getLogger("tinkerlab.lab")


def create_app(config: LabConfig | None = None) -> FastAPI:
    """The web lab as a FastAPI app, for uvicorn (``tinkerlab lab``) or a test client.

    >>> from tinkerlab.web import LabConfig, create_app
    >>> app = create_app(LabConfig())
    >>> app.title
    'tinkerlab lab'
    """
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from tinkerlab.web._config import LabConfig
    from tinkerlab.web._guard import Guard
    from tinkerlab.web._jobs import JobRegistry
    from tinkerlab.web._services import Services

    config = config or LabConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.jobs.closed:  # served again after a shutdown (tests do that)
            app.state.jobs = JobRegistry(config.jobs)
        yield
        app.state.jobs.shutdown()
        app.state.services.stop_all()
        if app.state.journal is not None:
            app.state.journal.close()
            app.state.journal = None

    app = FastAPI(
        title="tinkerlab lab",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.jobs = JobRegistry(config.jobs)
    app.state.services = Services(config.folder("services"))
    app.state.journal = None
    _add_vendor_route(app)
    static = str(resources.files("tinkerlab.web") / "static")
    app.mount("/static", StaticFiles(directory=static), name="static")
    for name in PAGES:
        module = importlib.import_module(f"tinkerlab.web.routes.{name}")
        app.include_router(module.router)
    _add_error_pages(app)
    app.add_middleware(WebWords)
    app.add_middleware(Guard, config=config)
    return app


class WebWords:
    """ASGI middleware: within every request, the library words its fixes for the lab's
    forms (``Drop: x``), not for Python or for the command line that started the lab
    (:func:`tinkerlab.options.speaking`). Pages that know their command name it too; the
    jobs a request starts copy its context (``web/_jobs.py``)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        from tinkerlab.options import speaking

        with speaking("web"):
            await self.app(scope, receive, send)


def journal(request: Request) -> Journal:
    """The lab's journal, opened on first use and shared by every request (thread-safe)."""
    return open_journal(request.app)


_opening = threading.Lock()


def open_journal(app: FastAPI) -> Journal:
    """Open the app's journal once (``tinkerlab lab`` calls it while uvicorn starts, so
    the first page does not wait for it)."""
    with _opening:
        if app.state.journal is None:
            from tinkerlab.journal import Journal
            from tinkerlab.web._notes import move_legacy_notes

            app.state.journal = Journal(app.state.config.journal)
            move_legacy_notes(app.state.config, app.state.journal)
    opened: Journal = app.state.journal
    return opened


def warm_up(app: FastAPI) -> None:
    """What the first page needs, done ahead: the templates compiled."""
    from tinkerlab.web._render import NAV, environment

    env = environment()
    for template in ("base.html", "home.html", *(f"{key}.html" for key, _, _ in NAV[1:])):
        try:
            env.get_template(template)
        except Exception:  # a page without a template of its own name: nothing to warm
            continue


def vendor_files() -> dict[str, Path]:
    """Every vendored script the lab serves: htmx here, Vega from ``tinkerlab.charts``.

    The charts package's folder is found without importing it: its import loads Altair
    (about 0.6 s), which the first page does not need (its charts are plain specs)."""
    own = resources.files("tinkerlab.web") / "static" / "vendor"
    files = {"htmx.min.js": Path(str(own / "htmx.min.js"))}
    found = importlib.util.find_spec("tinkerlab.charts")
    if found is None or not found.submodule_search_locations:  # no charts: tables only
        return files
    folder = Path(next(iter(found.submodule_search_locations))) / "static" / "vendor"
    files.update({path.name: path for path in sorted(folder.glob("*.js"))})
    return files


def _add_vendor_route(app: FastAPI) -> None:
    from fastapi import HTTPException
    from fastapi.responses import FileResponse

    files = vendor_files()

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendored(name: str) -> FileResponse:
        path = files.get(name)
        if path is None:
            raise HTTPException(404, f"No vendored file {name!r}.")
        return FileResponse(
            path,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )


def _add_error_pages(app: FastAPI) -> None:
    """Errors as pages (or JSON for htmx and scripts), never a traceback."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from tinkerlab.exceptions import NotFoundError, TinkerlabError, UsageError
    from tinkerlab.web._guard import BodyTooLargeError

    @app.exception_handler(BodyTooLargeError)
    async def too_large(request: Request, error: BodyTooLargeError) -> Response:
        # A body with no (or a false) Content-Length passed the limit while being read.
        limit = request.app.state.config.max_form_bytes
        if request.url.path.startswith("/data/upload"):
            limit = request.app.state.config.max_upload_bytes
        return _error(
            request,
            413,
            f"The request is larger than this lab accepts ({limit / 2**20:g} MB). Fix: send "
            "a smaller file (or sample it first).",
        )

    @app.exception_handler(TinkerlabError)
    async def tinkerlab_error(request: Request, error: TinkerlabError) -> Response:
        status = 404 if isinstance(error, NotFoundError) else 400
        if not isinstance(error, UsageError):
            status = 500
        return _error(request, status, str(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        text = error.detail if isinstance(error.detail, str) else "Not found."
        if error.status_code == 404 and text == "Not Found":
            text = f"There is no page at {request.url.path!r}. Fix: use the navigation above."
        return _error(request, error.status_code, text)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
            for e in error.errors()
        )
        return _error(request, 422, f"The request could not be read: {problems}.")

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error(
            request,
            500,
            f"{type(error).__name__}: {error}. This looks like a bug; the lab's log has the "
            "traceback.",
        )


def _error(request: Request, status: int, message: str) -> Response:
    from fastapi.responses import JSONResponse

    from tinkerlab.web._render import render

    wants_html = "text/html" in request.headers.get("accept", "")
    if request.headers.get("hx-request") or not wants_html:
        return JSONResponse({"detail": message}, status_code=status)
    context: dict[str, Any] = {"status": status, "message": message}
    return render(request, "error.html", status_code=status, **context)
