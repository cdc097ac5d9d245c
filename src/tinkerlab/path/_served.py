"""The Ship labs' check: a request to the learner's running service, answered.

``endpoint = "predict"`` (lab 5.1) reads the service's ``/metadata``, sends the model card's
example row to ``/predict`` and needs a prediction back. ``endpoint = "drift"`` (lab 5.2)
asks ``/drift`` and needs at least ``rows`` rows seen since the service started.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from tinkerlab.path._checks import CheckResult, Where, failed, passed

if TYPE_CHECKING:
    from tinkerlab.journal import Journal
    from tinkerlab.path._labs import Lab


def check_served(journal: Journal, lab: Lab, where: Where) -> CheckResult:
    """The service at ``where.url`` answers the lab's request."""
    from tinkerlab.exceptions import ServiceError
    from tinkerlab.serve import Client

    url = where.url.rstrip("/")
    start = (
        "tinkerlab serve models/NAME --port 8000 "
        "(save a run first: tinkerlab save RUN_ID models/NAME)"
    )
    try:
        with Client(url, token=where.token, timeout=10.0) as client:
            health = client.health()
            if lab.check.get("endpoint", "predict") == "drift":
                rows = int(lab.check.get("rows", 20))
                send = _send_rows(url, str(client.metadata().get("dataset", "")), rows)
                return _drift(lab, url, client.drift(), rows, send)
            meta = client.metadata()
            example = meta.get("example")
            if not isinstance(example, dict):
                return failed(lab, f"{url}/metadata has no example row to send.", start)
            answer = client.predict(example)
    except ServiceError as error:
        if not error.status:  # no answer came
            return failed(
                lab,
                f"Nothing answers at {url}. Start your service in another terminal and leave "
                "it running.",
                start,
            )
        return failed(lab, f"{url} answered with an error: {error}", f"curl {url}/health")
    shown = _first_prediction(answer)
    found = [
        f"{url}/health: {health.get('status')} (model {health.get('model_id')})",
        f"{url}/predict answered the example row: {shown}",
    ]
    return passed(lab, found, model=health.get("model_id"))


def _send_rows(url: str, dataset: str, rows: int) -> str:
    """A command that sends *rows* rows of the model's own data: a user file's path as
    recorded, or a built-in written to rows.csv first (a pasted command must work)."""
    from tinkerlab.data import is_builtin

    if dataset and not is_builtin(dataset):
        return f"tinkerlab predict {url} --file {shlex.quote(dataset)}"
    name = dataset or "titanic"
    write = f"tl.load('{name}').frame.head({rows * 2}).to_csv('rows.csv', index=False)"
    return f'python -c "import tinkerlab as tl; {write}" && tinkerlab predict {url} --file rows.csv'


def _drift(lab: Lab, url: str, report: dict[str, Any], rows: int, send: str) -> CheckResult:
    seen = int(report.get("rows", 0))
    found = [f"{url}/drift: {seen} rows seen, alarm {'on' if report.get('alarm') else 'off'}"]
    if seen < rows:
        return failed(
            lab,
            f"The service has seen {seen} rows; the drift report needs at least {rows}.",
            send,
            found,
        )
    drifted = report.get("drifted") or []
    if drifted:
        found.append(f"drifted inputs: {', '.join(map(str, drifted))}")
    return passed(lab, found, rows=seen, alarm=bool(report.get("alarm")))


def _first_prediction(answer: Any) -> str:
    """The first prediction of a client's answer (a DataFrame or plain data), in words."""
    try:
        first = answer.iloc[0].to_dict()
    except AttributeError:
        first = answer[0] if isinstance(answer, list) and answer else answer
    return str(first)[:120]
