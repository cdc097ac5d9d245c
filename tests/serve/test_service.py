"""The service in-process (FastAPI's TestClient): predictions, 422s, limits, docs, metrics."""

from __future__ import annotations

import json
import logging
import re

import numpy as np
import pytest

from tinkerlab.serve import load_artifact
from tinkerlab.serve._artifact import rows_from_frame


def held_out(run):
    from tinkerlab.runner import prepare_frame, split

    data = (
        __import__("tinkerlab").load(run.dataset_name)
        if run.recipe.source.kind != "frame"
        else None
    )
    X, y = prepare_frame(run.recipe, data.frame)
    return split(run.recipe, X, y)[1]


def test_served_predictions_equal_in_process_ones(titanic_run, titanic, client_for):
    X_test = held_out(titanic_run)
    rows = rows_from_frame(X_test, titanic.schema.names)
    with client_for(titanic) as client:
        answer = client.post("/predict", json=rows).json()
        one = client.post("/predict", json=rows[0]).json()
    expected = titanic_run.pipeline.predict(X_test)  # (n_test,)
    proba = titanic_run.pipeline.predict_proba(X_test)  # (n_test, 2)
    assert [p["prediction"] for p in answer["predictions"]] == expected.tolist()
    served = np.array(
        [[p["probabilities"][c] for c in ("no", "yes")] for p in answer["predictions"]]
    )
    # JSON floats round-trip exactly, and a forest scores each row on its own, so the
    # service's micro-batches give the very numbers of one call on the whole split.
    np.testing.assert_array_equal(served, proba)
    assert answer["model_id"] == "titanic-random_forest"
    assert answer["model_version"] == titanic.version
    assert one["prediction"] == expected[0]
    assert set(one) == {"prediction", "probabilities", "model_id", "model_version"}


def test_regression_and_text_models_are_served(diabetes_dir, reviews_dir, client_for):
    for path in (diabetes_dir, reviews_dir):
        artifact = load_artifact(path)
        example = artifact.schema.example()
        with client_for(artifact) as client:
            answer = client.post("/predict", json=[example, {}]).json()
        expected = artifact.predict([example, {}])
        assert answer["predictions"] == expected
    assert isinstance(expected[0]["prediction"], str)  # reviews: a class
    assert "probabilities" in expected[0]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"sex": "femal"}, "sex", ["'femal'", "allowed: 'female', 'male'"]),
        ({"passengerClass": 1}, "passengerClass", ["got 1", "'1st', '2nd', '3rd'"]),
        ({"age": "old"}, "age", ["'old'", "finite number"]),
        ({"age": 1e300}, "age", ["1e+300", "float32"]),
        ({"sexx": "female"}, "sexx", ["did you mean 'sex'?", "not an input"]),
        ([{"sex": "male"}, {"sex": "dog"}], "sex", ["row 1", "'dog'"]),
    ],
)
def test_bad_values_get_a_422_naming_field_value_and_allowed(
    titanic, client_for, body, field, words
):
    with client_for(titanic) as client:
        response = client.post("/predict", json=body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["problems"][0]["field"] == field
    for word in words:
        assert word in answer["message"], (word, answer["message"])
    assert "Traceback" not in response.text


def test_the_allowed_values_are_listed_in_the_problem(titanic, client_for):
    with client_for(titanic) as client:
        problem = client.post("/predict", json={"sex": "x"}).json()["problems"][0]
    assert problem == {
        "field": "sex",
        "row": None,
        "value": "x",
        "allowed": ["female", "male"],
        "type": "literal_error",
        "message": "field 'sex' got 'x'; allowed: 'female', 'male'",
    }


@pytest.mark.parametrize(
    "body", [b"not json", b"", b"42", b'"text"', b"[]", b"[1]", b'{"age": NaN}']
)
def test_malformed_bodies_get_a_422(titanic, client_for, body):
    with client_for(titanic) as client:
        response = client.post(
            "/predict", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json()["message"]


def test_limits_on_rows_and_body_size(titanic, client_for):
    with client_for(titanic, max_rows=5, max_body_bytes=2000) as client:
        too_many = client.post("/predict", json=[{}] * 6)
        too_big = client.post("/predict", json=[{"sex": "female"}] * 200)

        def chunks():  # no content-length: the limit is counted while reading
            for _ in range(300):  # 5700 bytes in all
                yield b'[{"sex": "female"},'

        streamed = client.post(
            "/predict", content=chunks(), headers={"content-type": "application/json"}
        )
    assert too_many.status_code == 422
    assert "at most 5" in too_many.json()["message"]
    assert too_big.status_code == 413
    assert streamed.status_code == 413
    assert "--max-body-bytes" in too_big.json()["message"]


class Failing:
    """A fitted model that raises *error* whenever it is asked to predict."""

    def __init__(self, error):
        self.error = error

    def predict(self, X):
        raise self.error

    predict_proba = predict


def test_errors_inside_the_model_never_leak_a_traceback(titanic, client_for, monkeypatch):
    broken = Failing(RuntimeError("secret internals at /home/me/model.py"))
    steps = [*titanic.pipeline.steps[:-1], ("model", broken)]  # the model itself
    monkeypatch.setattr(titanic.pipeline, "steps", steps)
    with client_for(titanic) as client:
        response = client.post("/predict", json={"sex": "female"})
    assert response.status_code == 500
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert re.search(r"Internal error \(ref [0-9a-f]{12}\)", response.json()["message"])


def test_a_value_error_from_the_model_is_the_input_s_fault(titanic, client_for, monkeypatch):
    picky = Failing(ValueError("Input contains a value the model cannot take"))
    steps = [*titanic.pipeline.steps[:-1], ("model", picky)]
    monkeypatch.setattr(titanic.pipeline, "steps", steps)
    with client_for(titanic) as client:
        response = client.post("/predict", json=[{"sex": "female"}, {"sex": "male"}])
    assert response.status_code == 422
    assert "cannot take" in response.json()["message"]


def test_health_metadata_and_index(titanic, client_for):
    with client_for(titanic) as client:
        health = client.get("/health").json()
        meta = client.get("/metadata").json()
        index = client.get("/").json()
    assert health["status"] == "ok"
    assert health["model_version"] == titanic.version
    assert meta["card"].startswith("# Model card")
    assert [c["name"] for c in meta["inputs"]] == ["age", "sex", "passengerClass"]
    assert meta["metrics"]["accuracy"]["test"] > 0.6
    assert meta["example"]["sex"] == "female"
    assert "reference" not in meta  # the drift reference stays on the server
    assert index["docs"] == "/docs"


def test_metrics_count_requests_errors_latency_batches_and_predictions(titanic, client_for):
    with client_for(titanic) as client:
        client.post("/predict", json=[{"sex": "female"}, {"sex": "male"}, {}])
        client.post("/predict", json={"sex": "nope"})
        text = client.get("/metrics").text
    assert 'tinkerlab_requests_total{path="/predict",status="200"} 1' in text
    assert 'tinkerlab_requests_total{path="/predict",status="422"} 1' in text
    assert 'tinkerlab_request_errors_total{path="/predict"} 1' in text
    assert 'tinkerlab_request_seconds_bucket{path="/predict",le="+Inf"} 2' in text
    assert 'tinkerlab_batch_rows_bucket{le="4"} 1' in text
    assert "tinkerlab_batch_rows_count 1" in text
    assert 'tinkerlab_request_rows_bucket{le="2"} 0' in text
    counted = sum(
        int(n) for n in re.findall(r'tinkerlab_predictions_total\{class="\w+"\} (\d+)', text)
    )
    assert counted == 3
    assert re.search(
        r'tinkerlab_model_info\{model_id="titanic-random_forest",version="\w+"\} 1', text
    )


def test_regression_metrics_histogram_the_predicted_values(diabetes_dir, client_for):
    artifact = load_artifact(diabetes_dir)
    with client_for(artifact) as client:
        client.post("/predict", json=[{}, artifact.schema.example()])
        text = client.get("/metrics").text
    assert "tinkerlab_predicted_value_count 2" in text


def test_docs_work_offline(titanic, client_for):
    with client_for(titanic) as client:
        page = client.get("/docs")
        links = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        fetched = {link: client.get(f"/{link}") for link in links}
        spec = client.get("/openapi.json").json()
        outside = client.get("/docs/assets/index.html")
    assert page.status_code == 200
    assert "http://" not in page.text
    assert "https://" not in page.text
    assert "validatorUrl: null" in page.text  # Swagger UI would otherwise call a validator online
    assert links  # css, js, icon
    assert all(r.status_code == 200 and r.content for r in fetched.values()), fetched
    assert outside.status_code == 404  # only the listed assets are served
    body = spec["paths"]["/predict"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["anyOf"][1]["type"] == "array"
    row = spec["components"]["schemas"]["Row"]
    assert row["additionalProperties"] is False
    sex = row["properties"]["sex"]["anyOf"][0]
    assert sex["enum"] == ["female", "male"]


def test_access_log_is_one_json_line_per_request(titanic, client_for):
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    handler = Keep()
    logging.getLogger("tinkerlab.serve.access").addHandler(handler)
    try:
        with client_for(titanic, access_log=True) as client:
            client.post("/predict", json=[{}, {}])
            client.get("/health")
    finally:
        logging.getLogger("tinkerlab.serve.access").removeHandler(handler)
    entries = [json.loads(line) for line in lines]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/predict", 200),
        ("GET", "/health", 200),
    ]
    assert entries[0]["rows"] == 2
    assert entries[0]["ms"] > 0


def test_the_prediction_log_is_written_and_can_be_turned_off(titanic, client_for, tmp_path):
    with client_for(titanic) as client:
        client.post("/predict", json=[{"sex": "female"}, {"age": 3}])
    lines = (tmp_path / "monitor" / "predictions.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["x"]["sex"] for r in records] == ["female", None]
    assert all(r["y"] in ("yes", "no") and r["v"] == titanic.version for r in records)

    with client_for(titanic, sample=0.0, monitor_dir=tmp_path / "off") as client:
        client.post("/predict", json={"sex": "female"})
        drift = client.get("/drift").json()
    assert not (tmp_path / "off").exists()
    assert drift["rows"] == 0
    assert "off" in drift["message"]
