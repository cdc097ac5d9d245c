"""Every page answers, escapes what learners wrote, and does what the CLI does."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from lab_helpers import MAIN_PAGES, csrf_of, wait_job

#: Every main page, and the variants a form or a question makes of some of them.
PAGES = [
    *MAIN_PAGES,
    "/run",
    "/run?dataset=titanic&model=knn",
    "/search",
    "/theory?q=why+does+my+tree+overfit",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers(client: Any, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, page.text[-800:]
    assert "<nav" in page.text
    assert 'name="csrf-token"' in page.text


def test_unknown_things_are_404_pages_not_tracebacks(client: Any) -> None:
    for path in ("/nope", "/journal/runs/999", "/experiments/999", "/theory/no_such_card"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "Traceback" not in page.text
        assert "<h1>Not found</h1>" in page.text


def _upload(client: Any, name: str, content: bytes) -> Any:
    token = csrf_of(client, "/data")
    return client.post(
        "/data/upload",
        data={"csrf_token": token},
        files={"file": (name, io.BytesIO(content), "text/csv")},
        follow_redirects=False,
    )


XSS = "<script>alert(1)</script>"


def _table_csv() -> bytes:
    rows = [f"{XSS},size,label"]
    rows += [f"{i % 7},{i * 1.5},{'yes' if i % 3 else 'no'}" for i in range(60)]
    return ("\n".join(rows) + "\n").encode()


def test_a_column_named_like_a_script_shows_as_text(client: Any) -> None:
    answer = _upload(client, f"{XSS}.csv", _table_csv())
    assert answer.status_code == 303
    choice = answer.headers["location"].removeprefix("/data/")
    for path in (f"/data/{choice}", "/data", f"/run?dataset={choice}"):
        page = client.get(path)
        assert page.status_code == 200
        assert XSS not in page.text, path  # never raw
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path


def test_an_upload_is_stored_under_a_generated_folder(client: Any, lab_config: Any) -> None:
    answer = _upload(client, "../../../outside.csv", _table_csv())
    assert answer.status_code == 303
    uploads = lab_config.folder("uploads")
    stored = list(uploads.rglob("*.csv"))
    assert len(stored) == 1
    assert stored[0].parent.parent == uploads
    assert re.fullmatch(r"[0-9a-f]{16}", stored[0].parent.name)
    assert stored[0].name == "outside.csv"
    assert not (lab_config.lab_dir().parent / "outside.csv").exists()


def test_a_file_of_another_type_is_refused_before_it_is_stored(
    client: Any, lab_config: Any
) -> None:
    answer = _upload(client, "run.sh", b"rm -rf /\n")
    assert answer.status_code == 422
    assert "tinkerlab reads CSV" in answer.text
    assert not list(lab_config.folder("uploads").iterdir())


@pytest.mark.parametrize(
    "path",
    [
        "/data/upload:..%2f..%2fetc",
        "/data/upload:0123456789abcdef",
        "/data/..%2f..%2fetc%2fpasswd",
        "/static/vendor/..%2f..%2f_app.py",
        "/ship/..%2fuploads",
    ],
)
def test_paths_cannot_escape_the_labs_folders(client: Any, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code in (400, 404)
    assert "root:" not in answer.text
    assert "def create_app" not in answer.text


def test_a_whole_run_from_the_form_to_its_page(client: Any, app: Any) -> None:
    token = csrf_of(client, "/run?dataset=iris")
    started = client.post(
        "/run",
        data={"csrf_token": token, "dataset": "iris", "model": "knn", "knob.n_neighbors": "7"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    where = started.headers["location"]
    if where.startswith("/jobs/"):
        job = wait_job(app, where.rsplit("/", 1)[1])
        assert job.status == "done", job.error
        where = job.url
    assert re.fullmatch(r"/journal/runs/\d+", where)
    page = client.get(where)
    assert page.status_code == 200
    assert "knn on iris" in page.text
    assert "baseline test" in page.text
    assert 'data-chart="chart-confusion"' in page.text
    assert '<table class="samples">' in page.text  # inputs → outputs on test rows
    run_id = int(where.rsplit("/", 1)[1])
    script = client.get(f"/journal/runs/{run_id}/script.py")
    assert script.status_code == 200
    assert "KNeighborsClassifier(n_neighbors=7," in script.text
    notebook = client.get(f"/journal/runs/{run_id}/notebook.ipynb")
    assert json.loads(notebook.text)["cells"]
    token = csrf_of(client, where)
    client.post(f"{where}/notes", data={"csrf_token": token, "text": f"note {XSS}"})
    page = client.get(where)
    assert "note &lt;script&gt;" in page.text
    assert XSS not in page.text


def test_the_journal_pages_a_long_list(client: Any, app: Any) -> None:
    from tinkerlab.web._app import journal

    class _Request:
        def __init__(self, application: Any) -> None:
            self.app = application

    store = journal(_Request(app))  # type: ignore[arg-type]
    _fill(store, 60)
    first = client.get("/journal")
    assert "page 1 of 3" in first.text
    assert first.text.count('<td><a href="/journal/runs/') == 25
    last = client.get("/journal?page=3")
    assert last.text.count('<td><a href="/journal/runs/') == 10
    knn = client.get("/journal?model=knn")
    assert "(30)" in knn.text
    found = client.get("/journal?q=WIN")
    assert "(20)" in found.text


def _fill(store: Any, n: int) -> None:
    """*n* recorded runs: knn and svm on iris, wine and digits."""
    from types import SimpleNamespace

    for i in range(n):
        recipe = SimpleNamespace(to_dict=lambda: {"model": "x"})
        run = SimpleNamespace(
            recipe=recipe,
            dataset_name=("iris", "wine", "digits")[i % 3],
            task="classification",
            model=("knn", "svm")[i % 2],
            metrics={"accuracy": {"cv_mean": 0.9, "cv_std": 0.01, "test": 0.91}},
            baseline={"accuracy": {"cv_mean": 0.3, "cv_std": 0.01, "test": 0.33}},
            summary={},
            timings={},
            notices=[],
            plots={},
            data_sha256="0" * 64,
        )
        store.record_run(run)


def test_two_runs_side_by_side(client: Any, app: Any) -> None:
    from tinkerlab import _api

    first = _api.run("iris", model="knn", record=True, db=app.state.config.journal)
    second = _api.run("iris", model="decision_tree", record=True, db=app.state.config.journal)
    page = client.get(f"/journal/compare?a={first.id}&b={second.id}")
    assert page.status_code == 200
    assert '<tr class="diff-changed"><th scope="row"><code>model</code>' in page.text
    assert "B − A (CV mean)" in page.text


def test_the_card_page_renders_math_and_offers_the_tinker_form(client: Any) -> None:
    page = client.get("/theory/overfitting")
    assert "<math" in page.text
    link = re.search(r'href="(/tinker\?[^"]+)">Try this in the lab', page.text)
    assert link
    form = client.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    assert 'value="max_depth" selected' in form.text
    assert 'name="span" value="1:20"' in form.text


def test_the_playground_draws_a_boundary(client: Any) -> None:
    answer = client.get(
        "/playground/draw?toy=moons&noise=0.2&n=300&model=knn&knob.n_neighbors=1",
        headers={"accept": "application/json"},
    )
    drawing = answer.json()
    assert answer.status_code == 200
    assert len(drawing["cells"]) == drawing["grid"] ** 2
    assert len(drawing["points"]) == 300
    assert drawing["train"] == pytest.approx(1.0)  # one neighbour remembers every point
    smooth = client.get(
        "/playground/draw?toy=moons&noise=0.2&n=300&model=knn&knob.n_neighbors=50",
        headers={"accept": "application/json"},
    ).json()
    assert smooth["train"] < 1.0
    bad = client.get(
        "/playground/draw?toy=moons&model=knn&knob.n_neighbors=0",
        headers={"accept": "application/json"},
    )
    assert bad.status_code == 400
    assert "n_neighbors" in bad.json()["detail"]
    # the fix names the lab's knob field, even in a lab the command line started
    assert "Knob values: n_neighbors=" in bad.json()["detail"]
    assert "--set" not in bad.json()["detail"]


def test_requests_speak_the_lab_even_when_the_command_line_started_it() -> None:
    """`tinkerlab lab` runs uvicorn inside the CLI's surface, and uvicorn's tasks inherit
    that context; the middleware puts every request back on the web lab's words."""
    from tinkerlab.options import speaking, where
    from tinkerlab.web._app import WebWords

    heard: list[str] = []

    async def page(scope: Any, receive: Any, send: Any) -> None:
        heard.append(where().kind)

    def serve(app: Any) -> None:
        """Run one request through *app* here, in this context, as uvicorn's task would
        (no event loop: this process may already run one for the browser tests)."""
        with pytest.raises(StopIteration):
            app({"type": "http"}, None, None).send(None)

    with speaking("cli", "lab"):
        serve(WebWords(page))
        serve(page)  # without it: the CLI's words
    assert heard == ["web", "cli"]


def test_the_playground_matches_a_plain_scikit_learn_fit() -> None:
    """The map is the registry's pipeline fitted on the same split: same predictions."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from tinkerlab.web._playground import TEST_SHARE, draw, toy_data

    X, y = toy_data("circles", noise=0.1, n=400, seed=3)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SHARE, random_state=3, stratify=y
    )
    plain = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=9))
    plain.fit(X_train, y_train)
    drawing = draw("circles", noise=0.1, n=400, seed=3, model="knn", params={"n_neighbors": 9})
    assert drawing.test == pytest.approx(float(np.mean(plain.predict(X_test) == y_test)))


def test_static_files_and_the_vendored_htmx(client: Any) -> None:
    import hashlib

    htmx = client.get("/static/vendor/htmx.min.js")
    assert htmx.status_code == 200
    notes = (Path(__file__).parents[2] / "src/tinkerlab/web/static/vendor/VENDORED.md").read_text()
    assert hashlib.sha256(htmx.content).hexdigest() in notes
    assert client.get("/static/lab.css").status_code == 200
    assert client.get("/static/vendor/jquery.js").status_code == 404


def test_home_shows_the_paths_next_lab_and_moves_on_after_a_run(client: Any) -> None:
    import tinkerlab as tl

    total = len(tl.path.labs())  # the path grows: count its labs
    first = client.get("/").text
    assert "Next: lab 1.1, Run a real model on a built-in dataset" in first
    assert f"0 of {total} labs done" in first
    from tinkerlab.web._app import open_journal

    open_journal(client.app).record_run(tl.run("iris", model="knn", record=False))
    after = client.get("/").text
    assert "Next: lab 1.2, Run your own file" in after
    assert f"1 of {total} labs done" in after
