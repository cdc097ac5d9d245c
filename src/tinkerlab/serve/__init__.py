"""Ship a model: safe artifacts with a model card, a REST service, a client, drift checks.

The one-line ways in::

    >>> from tinkerlab.serve import save_artifact, load_artifact   # doctest: +SKIP
    >>> save_artifact(run, "models/titanic")                       # doctest: +SKIP
    >>> artifact = load_artifact("models/titanic")                 # refuses untrusted types
    >>> app = create_app(artifact)                                  # a FastAPI app
    >>> Client("http://127.0.0.1:8000").predict(frame)              # a DataFrame back

From the command line: ``tinkerlab run titanic --save models/titanic``, ``tinkerlab serve
models/titanic``, ``tinkerlab predict URL --file rows.csv``, ``tinkerlab monitor URL``.
How the pieces fit and how to run it behind a proxy: ``docs/serve.md``.

Importing this package is cheap: FastAPI, uvicorn and httpx load with the names that
need them (PEP 562 ``__getattr__`` below), so the command line stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.serve._artifact import (
        ARTIFACT_FORMAT,
        DEFAULT_TRUSTED,
        Artifact,
        ArtifactVersionWarning,
        default_trusted,
        load_artifact,
        save_artifact,
    )
    from tinkerlab.serve._client import Client
    from tinkerlab.serve._config import ServeConfig
    from tinkerlab.serve._drift import drift_report
    from tinkerlab.serve._rebuild import save_journal_run
    from tinkerlab.serve._schema import InputColumn, InputSchema
    from tinkerlab.serve._service import create_app

_WHERE = {
    "ARTIFACT_FORMAT": "_artifact",
    "DEFAULT_TRUSTED": "_artifact",
    "Artifact": "_artifact",
    "ArtifactVersionWarning": "_artifact",
    "default_trusted": "_artifact",
    "load_artifact": "_artifact",
    "save_artifact": "_artifact",
    "Client": "_client",
    "drift_report": "_drift",
    "save_journal_run": "_rebuild",
    "InputColumn": "_schema",
    "InputSchema": "_schema",
    "ServeConfig": "_config",
    "create_app": "_service",
}

__all__ = [
    "ARTIFACT_FORMAT",
    "DEFAULT_TRUSTED",
    "Artifact",
    "ArtifactVersionWarning",
    "Client",
    "InputColumn",
    "InputSchema",
    "ServeConfig",
    "create_app",
    "default_trusted",
    "drift_report",
    "load_artifact",
    "save_artifact",
    "save_journal_run",
]


def __getattr__(name: str) -> Any:
    # Called only for names not found above (PEP 562): import the module that has it.
    if name in _WHERE:
        return getattr(importlib.import_module(f"tinkerlab.serve.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'tinkerlab.serve' has no attribute {name!r}")
