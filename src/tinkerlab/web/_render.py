"""Pages from Jinja2 templates: autoescaped, with the navigation and the CSRF token.

Every value a template prints is escaped (``autoescape``), so a column named
``<script>alert(1)</script>`` shows as text. HTML the library made itself (a theory
card's MathML) is marked safe explicitly with :func:`trusted_html`, never user text.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.responses import HTMLResponse
    from jinja2 import Environment
    from markupsafe import Markup

#: The navigation, in the order of the learner's loop: look at data, run, tinker,
#: compare, play, understand, keep a record, ship, listen to users.
NAV: tuple[tuple[str, str, str], ...] = (
    ("home", "/", "Home"),
    ("data", "/data", "Data"),
    ("run", "/run", "Run"),
    ("tinker", "/tinker", "Tinker"),
    ("compare", "/compare", "Compare"),
    ("search", "/search", "Search"),
    ("playground", "/playground", "Playground"),
    ("theory", "/theory", "Theory"),
    ("scratch", "/scratch", "Scratch"),
    ("journal", "/journal", "Journal"),
    ("ship", "/ship", "Ship"),
    ("feedback", "/feedback", "Feedback"),
)


@cache
def environment() -> Environment:
    """The Jinja2 environment over the package's ``templates/`` folder."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = str(resources.files("tinkerlab.web") / "templates")
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt name fails the test, not the learner silently
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["pct"] = percent
    env.filters["when"] = when
    env.filters["json_script"] = json_script
    return env


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render *template* with *context*, the navigation, and this browser's CSRF token."""
    from fastapi.responses import HTMLResponse

    from tinkerlab.web._guard import csrf_for
    from tinkerlab.web._uploads import display_name

    config = request.app.state.config
    uploads = config.folder("uploads")
    page = environment().get_template(template)
    html = page.render(
        request=request,
        nav=NAV,
        csrf=csrf_for(request),
        config=config,
        vega=vega_available(),
        shown=lambda dataset: display_name(uploads, str(dataset)),
        journal_url=_journal_shown(request),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def _journal_shown(request: Request) -> str:
    """The journal's URL as the footer shows it: its password masked."""
    opened = request.app.state.journal
    return str(opened.display_url) if opened is not None else "the default journal"


@cache
def vega_available() -> bool:
    """Whether the vendored Vega scripts are here (``tinkerlab.charts``); without them a
    page shows its tables and leaves the charts out."""
    from tinkerlab.web._app import vendor_files

    return "vega.min.js" in vendor_files()


def fragment(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A piece of a page for htmx to swap in (same context as :func:`render`)."""
    return render(request, template, **context)


def number(value: Any, digits: int = 4) -> str:
    """A score as the CLI prints it (``0.8123``); ``–`` for nothing or not a number."""
    if value is None or isinstance(value, bool):
        return "–"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "–"
    if x == int(x) and abs(x) < 1e15 and digits == 0:
        return str(int(x))
    return f"{x:.{digits}f}"


def percent(value: Any) -> str:
    """``0.25`` → ``25%``."""
    if value is None:
        return "–"
    return f"{100 * float(value):.0f}%"


def when(value: Any) -> str:
    """A timestamp as ``2025-01-31 14:05`` (UTC); text (a note file's) as it is."""
    if value is None:
        return "–"
    return value if isinstance(value, str) else str(value.strftime("%Y-%m-%d %H:%M"))


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` can end it)."""
    from markupsafe import Markup

    text = json.dumps(finite(value), default=_plain, allow_nan=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def finite(value: Any) -> Any:
    """*value* with every NaN or infinity replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def trusted_html(html: str) -> Markup:
    """HTML the library produced (a card's MathML, escaped by its renderer): no user text."""
    from markupsafe import Markup

    return Markup(html)


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value
    return str(value)
