"""The Search page: its form from the declared options and the model's knobs, a posted
search settled like ``tinkerlab search``'s flags, run through the same library call
(checked against ``tl.search`` on the same settings), recorded, and shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from lab_helpers import csrf_of
from starlette.datastructures import MultiDict

from tinkerlab.options import settle
from tinkerlab.web._forms import search_knob_fields, search_knob_words

#: A small search: two knobs of an SVM on iris, a 3 × 3 grid, one worker.
FORM = {
    "dataset": "iris",
    "model": "svm",
    "search.C": ["false", "true"],
    "search.C.low": "0.1",
    "search.C.high": "100",
    "search.gamma": ["false", "true"],
    "search.gamma.low": "0.001",
    "search.gamma.high": "1",
    "search.kernel": "false",
    "steps": "3",
    "n_jobs": "1",
}


def _finished(app: Any, experiment_id: int) -> Any:
    from test_jobs import _finished as finished

    return finished(app, experiment_id, timeout=180)


def test_the_form_offers_each_knob_of_the_model_on_its_registry_range() -> None:
    from tinkerlab.recipe import MODELS

    fields = {f.name: f for f in search_knob_fields(MODELS["svm"].knobs)}
    c = MODELS["svm"].knob("C")
    assert (fields["C"].control, fields["C"].low, fields["C"].high) == ("span", c.low, c.high)
    assert fields["C"].scale == c.scale == "log"
    assert fields["kernel"].control == "values"
    assert fields["kernel"].choices == [str(v) for v in MODELS["svm"].knob("kernel").choices]
    # with nothing given, the first two numeric knobs are ticked: a heat map at once
    assert [f.name for f in fields.values() if f.searched] == ["C", "gamma"]
    given = {f.name: f for f in search_knob_fields(MODELS["svm"].knobs, ["kernel=rbf,linear"])}
    assert [f.name for f in given.values() if f.searched] == ["kernel"]
    assert given["kernel"].chosen == ["rbf", "linear"]


def test_ticked_knobs_become_the_words_knob_takes() -> None:
    from tinkerlab.recipe import MODELS

    form = MultiDict(
        [("search.C", "false"), ("search.C", "true"), ("search.C.low", "0.1"),
         ("search.C.high", "100"), ("search.gamma", "false"), ("search.kernel", "false"),
         ("search.kernel", "true"), ("search.kernel.values", "rbf"),
         ("search.kernel.values", "linear")]
    )  # fmt: skip
    assert search_knob_words(form, MODELS["svm"].knobs) == ["C=0.1:100", "kernel=rbf,linear"]


def test_the_page_and_its_redraw_follow_the_model(client: Any) -> None:
    page = client.get("/search?dataset=iris&model=svm")
    assert page.status_code == 200
    assert 'name="search.C.low"' in page.text
    assert 'name="search.gamma.high"' in page.text
    redrawn = client.get("/search/form?dataset=iris&model=knn")
    assert re.findall(r'id="search-knob-(\w+)"', redrawn.text) == ["n_neighbors", "weights", "p"]
    assert "<html" not in redrawn.text
    asked = client.get("/search?dataset=iris&model=svm&knobs=C%3D1%3A10")  # knobs=C=1:10
    assert 'name="search.C.low" value="1"' in asked.text


def test_a_search_runs_as_the_cli_would_and_is_recorded(client: Any, app: Any) -> None:
    import tinkerlab as tl

    token = csrf_of(client, "/search")
    started = client.post("/search", data={"csrf_token": token, **FORM}, follow_redirects=False)
    assert started.status_code == 303, started.text[-600:]
    found = re.fullmatch(r"/experiments/(\d+)", started.headers["location"])
    assert found, started.headers["location"]
    experiment_id = int(found.group(1))
    entry = _finished(app, experiment_id)
    assert entry.status == "finished"
    assert entry.spec["kind"] == "search"
    assert entry.knob == "C,gamma"
    assert entry.n_points == entry.n_values == 9  # every setting of the 3 × 3 grid
    # the same settings through the library: the same best and the same lead
    same = tl.search("iris", model="svm", knobs={"C": "0.1:100", "gamma": "0.001:1"}, steps=3,
                     n_jobs=1, record=False)  # fmt: skip
    assert entry.summary["best_params"] == pytest.approx(same.best_params, rel=1e-9)
    assert entry.summary["lead"]["mean_diff"] == pytest.approx(same.lead.mean_diff, abs=1e-9)
    page = client.get(f"/experiments/{experiment_id}")
    assert page.status_code == 200
    assert 'data-chart="chart-search"' in page.text  # the heat map (two knobs)
    assert '"rect"' in page.text
    assert "Its lead over" in page.text
    assert "The best setting" in page.text
    script = client.get(f"/experiments/{experiment_id}/script.py")
    assert script.status_code == 200
    assert script.text == entry.summary["script"]
    assert "SVC" in script.text
    journal = client.get("/journal")
    assert f'href="/experiments/{experiment_id}"' in journal.text
    assert "<td>search</td>" in journal.text


def test_a_bad_span_is_refused_on_the_form_and_nothing_is_recorded(client: Any, app: Any) -> None:
    from tinkerlab.journal import Journal

    token = csrf_of(client, "/search")
    bad = {**FORM, "search.C.low": "-5"}
    answer = client.post("/search", data={"csrf_token": token, **bad})
    assert answer.status_code == 422
    assert "Got -5.0 instead" in answer.text
    assert 'name="search.C.low" value="-5"' in answer.text  # what was typed, kept
    none = {**FORM, "search.C": "false", "search.gamma": "false"}
    answer = client.post("/search", data={"csrf_token": token, **none})
    assert answer.status_code == 422
    assert "A search needs Knobs: which knobs of Support vector machine" in answer.text
    with Journal(app.state.config.journal) as store:
        assert store.list_experiments() == []


def test_a_posted_search_settles_like_the_same_typed_flags(client: Any) -> None:
    from tinkerlab.web._command import settle_posted

    class _Request:  # what settle_posted reads of a request
        app = client.app

    form = MultiDict([(k, v) for k, vs in FORM.items()
                      for v in (vs if isinstance(vs, list) else [vs])])  # fmt: skip
    from_form, _ = settle_posted(_Request(), "search", form)  # type: ignore[arg-type]
    typed = {"dataset": "iris", "model": "svm", "steps": "3", "n_jobs": "1",
             "knobs": ["C=0.1:100", "gamma=0.001:1"],
             "db": client.app.state.config.journal}  # fmt: skip
    assert from_form.to_dict() == settle("search", typed, text=True).to_dict()


def test_only_a_search_has_a_script_to_download(client: Any) -> None:
    assert client.get("/experiments/999/script.py").status_code == 404
