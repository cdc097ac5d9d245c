"""A run's plots, drawn the first time they are asked for, then kept as files.

A run records what draws its plots, ``runs/<uid>/plot_data.json`` (written by
``record_run``), not the pictures: drawing them (matplotlib's import, ``savefig``) took
more than half a second of a cold ``tinkerlab run``. :func:`drawn_plots` draws the PNGs
that are missing beside it, once, when ``RunEntry.plot_paths`` is read: ``journal show``,
the web lab's pages and plot files, ``export``. Runs recorded with their PNGs (before
this file existed) have no data file and are read as they are.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

#: The file beside a run's plots that draws them.
PLOT_DATA = "plot_data.json"
#: The layout of that file: ``{"format": 1, "plots": {"roc_curve.png": {"kind": ...}}}``.
#: Change it only with a reader for the old one: recorded runs keep their file.
PLOT_DATA_FORMAT = 1

#: One drawing at a time in a process: the web lab asks for a page's plots at once.
_drawing = threading.Lock()


def drawn_plots(folder: Path | None, names: list[str]) -> list[Path]:
    """The paths of the plots *names* in *folder*, after drawing those not there yet.

    A plot that cannot be drawn (no data file, a folder that cannot be written, a kind
    this version does not know) is left missing, as a deleted file would be: its path is
    still listed, and whoever reads it says it is missing.
    """
    if folder is None:
        return []
    paths = [folder / name for name in names]
    if all(path.exists() for path in paths) or not (folder / PLOT_DATA).exists():
        return paths
    with _drawing:
        missing = [path for path in paths if not path.exists()]
        if missing:
            _draw(folder, missing)
    return paths


def _draw(folder: Path, missing: list[Path]) -> None:
    from tinkerlab.runner._plots import draw_plot

    try:
        document = json.loads((folder / PLOT_DATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(document, dict) or document.get("format") != PLOT_DATA_FORMAT:
        return
    specs = document.get("plots") or {}
    for path in missing:
        spec = specs.get(path.name)
        if not isinstance(spec, dict):
            continue
        try:
            png = draw_plot(spec)
        except (ValueError, KeyError, TypeError):
            continue
        # Written aside, then renamed: another process drawing the same plot, or a reader,
        # never sees half a file.
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            partial.write_bytes(png)
            partial.replace(path)
        except OSError:
            partial.unlink(missing_ok=True)
