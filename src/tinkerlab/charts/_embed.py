"""Vega-Lite specs into self-contained HTML: the vendored JavaScript inlined, no CDN.

A chart is drawn in the browser by three scripts: Vega (the renderer), Vega-Lite (which
compiles the spec Altair writes into a Vega spec) and vega-embed (which puts it in a
``<div>``). They ship in ``static/vendor/`` (see ``VENDORED.md`` there); this module reads
them once and writes them into a page, so the page needs nothing but itself.

>>> import altair as alt
>>> chart = alt.Chart(alt.Data(values=[{"x": 1, "y": 2}])).mark_point().encode(x="x:Q", y="y:Q")
>>> page = to_html([chart], title="One point")
>>> page.startswith("<!DOCTYPE html>") and "cdn" not in page.lower()
True
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

#: Versions of the vendored builds (must match VENDORED.md and Altair's Vega-Lite).
VENDORED_VERSIONS = {"vega": "6.4.0", "vega-lite": "6.4.1", "vega-embed": "7.3.0"}
#: The vendored files, in the order a page loads them (vega-embed needs the other two).
SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
#: How vega-embed draws: SVG (crisp, searchable text), no "…" menu of export actions.
EMBED_OPTIONS: dict[str, Any] = {"renderer": "svg", "actions": False}

#: Name of a chart's own inline data in the specs :func:`as_spec` writes.
_DATA_NAME = "tinkerlab-data"
#: What a spec may be given as: an Altair chart (anything with ``to_dict``) or a dict.
Spec = Any


def vendor_dir() -> Path:
    """The folder of the vendored JavaScript files and their licences.

    The web lab serves this folder as static files, so the report and the lab load the
    very same builds.

    >>> (vendor_dir() / "vega.min.js").is_file()
    True
    """
    return Path(str(resources.files("tinkerlab.charts") / "static" / "vendor"))


def vendor_files() -> dict[str, Path]:
    """The three vendored scripts by name, in loading order.

    >>> list(vendor_files())
    ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']
    """
    folder = vendor_dir()
    return {name: folder / name for name in SCRIPTS}


@cache
def _script_text(name: str) -> str:
    """A vendored script without its source-map comment (the map is not shipped)."""
    text = (vendor_dir() / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
    # Only "</script" ends a script element early; the builds hold none (tested), and
    # rewriting "</" in code would break regular expressions such as /</g.
    return re.sub("</(script)", r"<\\/\1", "\n".join(lines), flags=re.IGNORECASE)


def script_tags() -> str:
    """``<script>`` elements holding Vega, Vega-Lite and vega-embed, inlined.

    Put them once in a page, before any :func:`chart_html`. Classic Jupyter loads
    RequireJS, whose ``define`` would make the bundles register as AMD modules instead
    of setting ``window.vega``; the tags hide ``define`` while they run.

    >>> tags = script_tags()
    >>> tags.count("<script>") == 5 and "vegaEmbed" in tags
    True
    """
    hide = "<script>window.__tinkerlabDefine = window.define; window.define = undefined;</script>"
    restore = "<script>window.define = window.__tinkerlabDefine;</script>"
    body = "".join(f"<script>{_script_text(n)}</script>" for n in SCRIPTS)
    return hide + body + restore


def as_spec(chart: Spec) -> dict[str, Any]:
    """The Vega-Lite spec of *chart* as a plain dict (an Altair chart or a dict already).

    Altair's schema validation is skipped: the builders in this package write valid
    specs, and validating each costs more than building it.

    >>> as_spec({"mark": "point"})
    {'mark': 'point'}
    """
    if isinstance(chart, Mapping):
        return dict(chart)
    to_dict = getattr(chart, "to_dict", None)
    if to_dict is None:
        raise TypeError(
            f"A chart must be an Altair chart or a Vega-Lite dict; got {type(chart).__name__}."
        )
    import altair as alt
    from altair.utils.schemapi import debug_mode

    data = getattr(chart, "data", None)
    values = getattr(data, "values", alt.Undefined) if isinstance(data, alt.Data) else alt.Undefined
    with debug_mode(False):
        if values is alt.Undefined:
            return dict(to_dict(validate=False))
        # Altair walks every value of inline data (type checks, hashing); these values are
        # plain JSON already, so the spec names them and they are put in afterwards.
        try:
            chart.data = alt.Data(name=_DATA_NAME)  # type: ignore[no-untyped-call]
            spec = dict(chart.to_dict(validate=False))
        finally:
            chart.data = data
    spec["datasets"] = {**spec.get("datasets", {}), _DATA_NAME: list(cast(list[Any], values))}
    return spec


def chart_html(chart: Spec, element_id: str) -> str:
    """A ``<div>`` and the script that draws *chart* into it with vega-embed.

    The page must hold :func:`script_tags` first. *element_id* must be unique in the
    page; it is escaped, as is the spec (``</script>`` inside a label cannot end the
    script early).

    >>> snippet = chart_html({"mark": "point"}, "c1")
    >>> snippet.startswith('<div id="c1"')
    True
    """
    spec = _safe_script(json.dumps(as_spec(chart), default=_json_default))
    target = json.dumps("#" + element_id)
    options = json.dumps(EMBED_OPTIONS)
    return (
        f'<div id="{html.escape(element_id)}" class="tl-chart"></div>'
        f"<script>vegaEmbed({target}, {spec}, {options})"
        ".catch(function (e) { console.error(e); });</script>"
    )


def to_html(
    charts: Sequence[Spec] | Mapping[str, Spec],
    *,
    title: str = "Charts",
    intro: str = "",
) -> str:
    """One or more charts as a whole self-contained HTML page (no CDN, works offline).

    Parameters
    ----------
    charts : sequence of charts, or mapping of heading -> chart
        Altair charts or Vega-Lite dicts; with a mapping, each gets its heading.
    title : str
        The page's title and first heading.
    intro : str
        A paragraph of plain text under the title (escaped).

    Returns
    -------
    str
        The page, about 850 KB of which is the inlined JavaScript.

    Examples
    --------
    >>> from tinkerlab.charts import histogram, to_html
    >>> page = to_html({"Ages": histogram([0, 10, 20], [3, 5])}, title="Ages")
    >>> "<h2>Ages</h2>" in page
    True
    """
    items = list(charts.items()) if isinstance(charts, Mapping) else [("", c) for c in charts]
    parts = []
    for i, (heading, chart) in enumerate(items):
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(chart_html(chart, f"chart-{i}"))
    lead = f"<p>{html.escape(intro)}</p>" if intro else ""
    return page(f"<h1>{html.escape(title)}</h1>{lead}{''.join(parts)}", title=title)


def page(body: str, *, title: str, style: str = "") -> str:
    """A whole HTML page around *body* (HTML, already escaped), with the scripts inlined.

    >>> page("<p>hi</p>", title="T").count("<title>T</title>")
    1
    """
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}{style}</style>\n"
        f"{script_tags()}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


#: A plain, readable page style shared by every page this package writes.
PAGE_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;"
    "max-width:72rem;padding:0 1rem;color:#1f2328;line-height:1.45}"
    "h1,h2,h3{line-height:1.2}.tl-chart{margin:.5rem 0}"
)


def _safe_script(text: str) -> str:
    """JSON that can sit inside ``<script>`` without ending it or opening a comment.

    Every ``</`` and ``<!--`` in JSON is inside a string, where ``<\\/`` means the same."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _json_default(value: Any) -> Any:
    """NumPy scalars and anything else JSON does not know, as plain values or text."""
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    return str(value)
