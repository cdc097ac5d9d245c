"""``tinkerlab lab``: the web lab in a browser (``tinkerlab.web``), served by uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinkerlab.cli._output import errors


def lab(
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond loopback a token is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the lab in the default browser.")
    ] = False,
    journal: Annotated[
        str | None,
        typer.Option(
            help="Journal database URL, e.g. postgresql+psycopg://user@host/db for a class "
            "(default: TINKERLAB_DB or the SQLite file in TINKERLAB_HOME)."
        ),
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option(help="A file holding the token browsers log in with (or TINKERLAB_TOKEN)."),
    ] = None,
) -> None:
    """Open the web lab: run, tinker (predicting first), understand and ship in a browser.

    Listens on 127.0.0.1 (this machine only) unless --host says otherwise, which then
    needs a token: each browser logs in once with it. Everything works offline.

    Examples:

      tinkerlab lab --open

      tinkerlab lab --journal postgresql+psycopg://lab@db/class --host 0.0.0.0 --token-file t.txt
    """
    import uvicorn

    from tinkerlab.exceptions import UsageError
    from tinkerlab.web import LabConfig, create_app
    from tinkerlab.web._security import check_bind, read_token

    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be in [0, 65535]. Got {port} instead. Fix: --port 8765")
    token = read_token(token_file)
    check_bind(host, token)
    config = LabConfig(journal=journal, host=host, port=port, token=token)
    app = create_app(config)
    import threading

    from tinkerlab.web._app import open_journal, warm_up

    # Compile the templates while the journal opens and uvicorn starts: the first page
    # then only renders. The journal opens here, so that a bad URL stops the command with
    # the journal's own message instead of greeting the learner with an error page.
    threading.Thread(target=warm_up, args=(app,), name="tinkerlab-lab-warm", daemon=True).start()
    open_journal(app)
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )
    _announce_when_ready(server, host, open_browser, token is not None)
    server.run()


def _announce_when_ready(server: object, host: str, open_browser: bool, with_token: bool) -> None:
    """Print the address (and open a browser) once uvicorn listens, from a helper thread."""
    import threading
    import time

    def wait() -> None:
        while not getattr(server, "started", False):
            if getattr(server, "should_exit", False):
                return
            time.sleep(0.05)
        sockets = server.servers[0].sockets  # type: ignore[attr-defined]
        bound_port = sockets[0].getsockname()[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{shown}:{bound_port}/"
        login = " (log in with the token)" if with_token else ""
        errors.print(f"tinkerlab lab: {url}{login}  — Ctrl-C to stop")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    threading.Thread(target=wait, name="tinkerlab-lab-ready", daemon=True).start()
