"""Charts: small Altair chart builders and offline HTML, shared by the report and the web lab.

Two halves, both small:

* **builders** (:mod:`._builders`) turn numbers already counted into Altair charts:
  :func:`histogram`, :func:`bar`, :func:`box_by_group`, :func:`shares_by_group`,
  :func:`heatmap`, :func:`scatter_matrix`, :func:`missing_pattern`; a search's
  :func:`score_heatmap` and :func:`parallel_coordinates` (:mod:`._search`). An Altair chart
  renders itself in Jupyter, and ``chart.to_dict()`` is the Vega-Lite spec a browser draws.
* **embedding** (:mod:`._embed`) writes specs into self-contained HTML with the vendored
  Vega, Vega-Lite and vega-embed inlined (:func:`to_html`, :func:`page`,
  :func:`chart_html`, :func:`script_tags`); :func:`vendor_files` names the files for a
  server that serves them instead. Nothing is fetched from a CDN.

>>> from tinkerlab.charts import histogram, to_html
>>> chart = histogram([0, 1, 2], [5, 3], title="x")
>>> html = to_html([chart], title="A histogram")
>>> "vegaEmbed" in html
True

This package imports nothing else of tinkerlab's; it sits low in the layers so that any
higher one (the report, the web lab) can draw with it.
"""

from __future__ import annotations

from tinkerlab.charts._builders import (
    bar,
    box_by_group,
    heatmap,
    histogram,
    missing_pattern,
    scatter_matrix,
    shares_by_group,
)
from tinkerlab.charts._embed import (
    EMBED_OPTIONS,
    PAGE_STYLE,
    VENDORED_VERSIONS,
    as_spec,
    chart_html,
    page,
    script_tags,
    to_html,
    vendor_dir,
    vendor_files,
)
from tinkerlab.charts._search import parallel_coordinates, score_heatmap

__all__ = [
    "EMBED_OPTIONS",
    "PAGE_STYLE",
    "VENDORED_VERSIONS",
    "as_spec",
    "bar",
    "box_by_group",
    "chart_html",
    "heatmap",
    "histogram",
    "missing_pattern",
    "page",
    "parallel_coordinates",
    "scatter_matrix",
    "score_heatmap",
    "script_tags",
    "shares_by_group",
    "to_html",
    "vendor_dir",
    "vendor_files",
]
