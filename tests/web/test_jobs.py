"""Long work through the lab: sweeps with a prediction, comparisons, shipping, scratch,
feedback; each checked against the journal or the library it calls."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from lab_helpers import csrf_of, wait_job

SWEEP = {
    "dataset": "iris",
    "model": "knn",
    "knob": "n_neighbors",
    "values": "1,5,15,45",
    "repeats": "1",
    "n_jobs": "1",
}


def _experiment(app: Any, location: str) -> int:
    if location.startswith("/jobs/"):
        job = wait_job(app, location.rsplit("/", 1)[1])
        assert job.status == "done", job.error
        location = job.url
    found = re.fullmatch(r"/experiments/(\d+)", location)
    assert found, location
    return int(found.group(1))


def _finished(app: Any, experiment_id: int, timeout: float = 120) -> Any:
    from tinkerlab.journal import Journal

    deadline = time.monotonic() + timeout
    with Journal(app.state.config.journal) as store:
        while time.monotonic() < deadline:
            entry = store.get_experiment(experiment_id)
            if entry.status != "running":
                return entry
            time.sleep(0.2)
    raise AssertionError(f"experiment {experiment_id} still running after {timeout} s")


def test_a_sweep_will_not_start_without_a_prediction(client: Any, app: Any) -> None:
    from tinkerlab.journal import Journal

    token = csrf_of(client, "/tinker")
    refused = client.post("/tinker", data={"csrf_token": token, **SWEEP})
    assert refused.status_code == 422
    assert "Predict first" in refused.text
    with Journal(app.state.config.journal) as store:
        assert store.list_experiments() == []  # nothing ran, nothing was recorded


def test_a_sweep_with_a_prediction_is_scored_and_explained(client: Any, app: Any) -> None:
    token = csrf_of(client, "/tinker")
    started = client.post(
        "/tinker",
        data={
            "csrf_token": token,
            **SWEEP,
            "predict": "down",
            "predict_best": "1",
            "prediction_why": "more neighbours blur the classes",
        },
        follow_redirects=False,
    )
    assert started.status_code == 303
    experiment_id = _experiment(app, started.headers["location"])
    entry = _finished(app, experiment_id)
    assert entry.status == "finished"
    assert entry.prediction is not None
    assert entry.prediction.shape == "down"  # recorded before the sweep ran
    assert entry.prediction.created_at <= entry.points[0].created_at
    page = client.get(f"/experiments/{experiment_id}")
    assert "Your prediction, scored" in page.text
    assert entry.prediction.observed_shape in page.text
    assert page.text.count('data-position="') == 4
    assert "/theory/" in page.text  # the reveal links the cards
    assert "My prediction, before it ran: more neighbours blur the classes" in page.text


def test_the_event_stream_replays_the_points_the_journal_holds(client: Any, app: Any) -> None:
    """A second tab (or a reload) gets every committed point, then ``done``."""
    token = csrf_of(client, "/tinker")
    started = client.post(
        "/tinker",
        data={"csrf_token": token, **SWEEP, "predict": "peak"},
        follow_redirects=False,
    )
    experiment_id = _experiment(app, started.headers["location"])
    _finished(app, experiment_id)
    events: list[tuple[str, Any]] = []
    with client.stream("GET", f"/experiments/{experiment_id}/events") as stream:
        kind = ""
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    points = [data for kind, data in events if kind == "point"]
    assert [p["label"] for p in points] == ["1", "5", "15", "45"]
    assert events[-1] == ("done", {"status": "finished"})
    train = next(r for r in points[0]["rows"] if r["split"] == "train")
    assert train["mean"] == pytest.approx(1.0)  # one neighbour: every training row is its own


def test_a_why_question_about_an_experiment_finds_cards(client: Any, app: Any) -> None:
    from tinkerlab import _api

    ex = _api.tinker(
        "iris",
        "n_neighbors",
        [1, 15],
        model="knn",
        repeats=1,
        n_jobs=1,
        predict="flat",
        db=app.state.config.journal,
    )
    token = csrf_of(client, f"/experiments/{ex.id}")
    client.post(
        f"/experiments/{ex.id}/questions",
        data={"csrf_token": token, "text": "why does one neighbour overfit?"},
    )
    client.post(f"/experiments/{ex.id}/notes", data={"csrf_token": token, "text": "k=1 wins?"})
    page = client.get(f"/experiments/{ex.id}")
    assert "why does one neighbour overfit?" in page.text
    assert "Cards that answer it" in page.text
    assert "k=1 wins?" in page.text
    # Kept in the journal, where `tinkerlab journal show e1` and `export` find it.
    notes = app.state.journal.experiment_notes(ex.id)
    assert [n.text for n in notes] == ["k=1 wins?"]


def test_notes_an_earlier_lab_kept_in_its_folder_move_into_the_journal(
    app: Any, lab_config: Any
) -> None:
    import json

    from tinkerlab import _api
    from tinkerlab.journal import Journal
    from tinkerlab.web._app import open_journal

    ex = _api.tinker(
        "iris",
        "n_neighbors",
        [1, 15],
        model="knn",
        repeats=1,
        n_jobs=1,
        db=lab_config.journal,
    )
    with Journal(lab_config.journal) as j:
        uid = j.get_experiment(ex.id).uid
    mine = lab_config.folder("experiments") / uid / "notes.jsonl"
    mine.parent.mkdir(parents=True, exist_ok=True)
    lines = [{"text": "first", "created_at": "2026-11-01T10:00:00+00:00"}, {"text": "second"}]
    mine.write_text("\n".join(json.dumps(x) for x in lines) + "\n{damaged\n", encoding="utf-8")
    theirs = lab_config.folder("experiments") / ("f" * 32) / "notes.jsonl"
    theirs.parent.mkdir()
    theirs.write_text(json.dumps({"text": "another journal's"}) + "\n", encoding="utf-8")

    store = open_journal(app)  # the lab opens its journal: the notes move, once
    assert [n.text for n in store.experiment_notes(ex.id)] == ["first", "second"]
    assert not mine.exists()
    assert mine.with_name("notes.jsonl.moved").exists()
    assert theirs.exists()  # not this journal's experiment: left where it was
    store.close()
    app.state.journal = None
    with Journal(lab_config.journal) as again:  # opening again moves nothing twice
        open_journal(app)
        assert len(again.experiment_notes(ex.id)) == 2


def test_a_comparison_fills_its_leaderboard(client: Any, app: Any) -> None:
    token = csrf_of(client, "/compare")
    started = client.post(
        "/compare",
        data={
            "csrf_token": token,
            "dataset": "iris",
            "models": "knn,decision_tree",
            "budget": "60",
            "n_jobs": "1",
        },
        follow_redirects=False,
    )
    assert started.status_code == 303
    experiment_id = _experiment(app, started.headers["location"])
    entry = _finished(app, experiment_id)
    assert {p.label for p in entry.points} == {"knn", "decision_tree"}
    page = client.get(f"/experiments/{experiment_id}")
    assert "Comparison #" in page.text
    assert 'data-chart="chart-board"' in page.text


@pytest.mark.slow
def test_ship_save_serve_try_and_stop(client: Any, app: Any) -> None:
    from tinkerlab import _api

    run = _api.run("iris", model="knn", db=app.state.config.journal)
    token = csrf_of(client, "/ship")
    saved = client.post(
        "/ship/save", data={"csrf_token": token, "run_id": str(run.id)}, follow_redirects=False
    )
    where = saved.headers["location"]
    if where.startswith("/jobs/"):
        job = wait_job(app, where.rsplit("/", 1)[1])
        assert job.status == "done", job.error
        where = job.url
    name = where.rsplit("/", 1)[1]
    page = client.get(where)
    assert "Start the service" in page.text
    assert 'name="col.petal length (cm)"' in page.text  # the try-it form, from the schema
    try:
        client.post(f"/ship/{name}/start", data={"csrf_token": token})
        service = app.state.services.get(name)
        assert service is not None
        assert service.alive
        row = {
            "col.sepal length (cm)": "6.7",
            "col.sepal width (cm)": "3.0",
            "col.petal length (cm)": "5.2",
            "col.petal width (cm)": "2.3",
        }
        answer = client.post(f"/ship/{name}/predict", data=row, headers={"x-csrf-token": token})
        assert answer.status_code == 200
        assert '<strong class="prediction">virginica</strong>' in answer.text
        page = client.get(f"/ship/{name}")
        assert "1 rows served so far" in page.text  # the drift panel reads the service
    finally:
        client.post(f"/ship/{name}/stop", data={"csrf_token": token})
    assert app.state.services.get(name) is None


def test_scratch_parity_numbers_come_from_the_library(client: Any, app: Any) -> None:
    token = csrf_of(client, "/scratch/knn_classifier")
    started = client.post(
        "/scratch/knn_classifier/compare", data={"csrf_token": token}, follow_redirects=False
    )
    job = wait_job(app, started.headers["location"].rsplit("/", 1)[1])
    assert job.status == "done", job.error
    page = client.get(job.url)
    assert job.result.describe_agreement() in page.text
    assert "KNeighborsClassifier" in page.text


@pytest.mark.slow
def test_feedback_is_analysed_and_recorded(client: Any, app: Any) -> None:
    token = csrf_of(client, "/feedback")
    started = client.post(
        "/feedback",
        data={"csrf_token": token, "dataset": "reviews", "text": "review", "sample": "120"},
        follow_redirects=False,
    )
    assert started.status_code == 303, re.findall(r"<p>.*?</p>", started.text)
    job = wait_job(app, started.headers["location"].rsplit("/", 1)[1], timeout=300)
    assert job.status == "done", job.error
    page = client.get(job.url)
    assert page.status_code == 200
    analysis_id = int(job.url.rsplit("/", 1)[1])
    report = client.get(f"/feedback/{analysis_id}/report")
    assert report.status_code == 200
    assert "<html" in report.text.lower()
