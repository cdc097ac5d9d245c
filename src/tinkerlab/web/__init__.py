"""The web lab (``tinkerlab lab``): run, tinker, understand and ship in the browser.

A thin adapter, like the command line: its forms are drawn from the declared options
(:mod:`tinkerlab.options`), what a learner posts is settled by the same
:func:`~tinkerlab.options.settle`, and the work is done by the same library calls
(``run_settled``, ``tinker_settled``, ``compare_settled``...), so the lab and the CLI can
never disagree. Pages are Jinja2 templates, interactivity is htmx, charts are Vega-Lite;
every script and style ships in this package (nothing is fetched from a CDN).

>>> from tinkerlab.web import LabConfig, create_app
>>> create_app(LabConfig()).title
'tinkerlab lab'

Importing this package is cheap: FastAPI and Jinja2 load with :func:`create_app`.
How pages are built and how to add one: ``docs/web.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tinkerlab.web._config import LabConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["LabConfig", "create_app"]


def create_app(config: LabConfig | None = None) -> FastAPI:
    """The lab's FastAPI app (see :func:`tinkerlab.web._app.create_app`)."""
    from tinkerlab.web._app import create_app as make

    return make(config)
