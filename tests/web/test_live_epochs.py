"""A neural network's epochs, live: the run and tinker jobs hear every epoch through
:func:`tinkerlab.nets.listen` (the listener the command line's progress bar uses) and
stream them as ``epochs`` events; the numbers are the ones the journal keeps."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from lab_helpers import csrf_of, wait_job

pytest.importorskip("torch", reason="the live epoch curve needs the 'deep' extra (torch)")

#: A tiny net on iris: 2 folds and the final fit, 4 epochs each, holding rows out.
RUN = {
    "dataset": "iris",
    "model": "mlp_torch",
    "cv": "2",
    "knob.epochs": "4",
    "knob.early_stopping": "true",
}


def _events(job: Any) -> list[tuple[str, Any]]:
    """Every event a finished job's stream sends, decoded."""
    from tinkerlab.web._jobs import job_events

    async def read() -> list[str]:
        return [chunk async for chunk in job_events(job)]

    # A fresh thread has no event loop, whatever test ran before in this worker (a browser
    # test leaves one running in the main thread).
    with ThreadPoolExecutor(max_workers=1) as pool:
        chunks = pool.submit(asyncio.run, read()).result()
    events = []
    for chunk in chunks:
        lines = dict(line.split(": ", 1) for line in chunk.strip().splitlines() if ": " in line)
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_a_runs_epochs_stream_and_end_as_the_journal_keeps_them(client: Any, app: Any) -> None:
    from tinkerlab.journal import Journal
    from tinkerlab.web._charts import history_rows

    token = csrf_of(client, "/run")
    started = client.post("/run", data={"csrf_token": token, **RUN}, follow_redirects=False)
    assert started.status_code == 303, started.text[-600:]
    job = next(j for j in app.state.jobs.recent() if j.kind == "run")
    job = wait_job(app, job.id)
    assert job.status == "done", job.error
    assert job.fits == 3  # two cross-validation folds, then the final fit
    for fit in (1, 2, 3):
        train = [r["epoch"] for r in job.epochs if r["fit"] == fit and r["split"] == "train"]
        held = [r["epoch"] for r in job.epochs if r["fit"] == fit and r["split"] == "validation"]
        assert train == held == [1, 2, 3, 4]  # early stopping holds rows out: both curves
    run_id = int(job.url.rsplit("/", 1)[1])
    with Journal(app.state.config.journal) as store:
        curve = store.get_run(run_id).summary["training_curve"]
    final = [{**r, "fit": "final"} for r in job.epochs if r["fit"] == 3]
    assert final == history_rows(curve)  # the live rows are the recorded numbers
    streamed = [rows for event, rows in _events(job) if event == "epochs"]
    assert [row for rows in streamed for row in rows] == job.epochs
    page = client.get(job.url)
    assert 'data-chart="chart-training"' in page.text  # the recorded curve, drawn


def test_a_sweep_of_a_net_in_this_process_streams_its_epochs(client: Any, app: Any) -> None:
    from tinkerlab.journal import Journal

    token = csrf_of(client, "/tinker")
    form = {"dataset": "iris", "model": "mlp_torch", "knob": "lr", "values": "0.001,0.01",
            "knob.epochs": "3", "cv": "3", "repeats": "1", "n_jobs": "1", "fast": "false",
            "predict": "up"}  # fmt: skip
    started = client.post("/tinker", data={"csrf_token": token, **form}, follow_redirects=False)
    assert started.status_code == 303, started.text[-600:]
    job = next(j for j in app.state.jobs.recent() if j.kind == "tinker")
    page = client.get(started.headers["location"])
    assert page.status_code == 200
    job = wait_job(app, job.id)
    assert job.status == "done", job.error
    with Journal(app.state.config.journal) as store:
        entry = store.get_experiment(job.experiment_id)
    assert entry.n_points == 2
    # every fold of every value trained a net that was heard: 2 values × 3 folds
    assert job.fits == 6
    assert {r["epoch"] for r in job.epochs} == {1, 2, 3}
    assert all(r["split"] == "train" for r in job.epochs)  # no rows held out


def test_a_model_that_is_not_a_net_streams_no_epochs(client: Any, app: Any) -> None:
    token = csrf_of(client, "/run")
    client.post("/run", data={"csrf_token": token, "dataset": "iris", "model": "knn"})
    job = wait_job(app, next(j for j in app.state.jobs.recent() if j.kind == "run").id)
    assert job.status == "done"
    assert job.epochs == []
    assert "epochs" not in {event for event, _ in _events(job)}
