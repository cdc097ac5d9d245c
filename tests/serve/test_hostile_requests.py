"""Hostile requests: wrong content types, numbers that are not numbers, clients that hang
up or never finish, and a model that fails (predicted once, not three times).

The connection cases run against a real uvicorn server on 127.0.0.1 with raw sockets:
FastAPI's test client cannot send half a body.
"""

from __future__ import annotations

import asyncio
import logging
import re

import httpx
import pytest

from tinkerlab.serve import ServeConfig, create_app
from tinkerlab.serve._server import BackgroundServer

# --------------------------------------------------------------------------- content types


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",  # what a web page may post cross-origin without a preflight
        "application/x-www-form-urlencoded",  # curl -d without -H, an HTML form
        "multipart/form-data; boundary=x",
        "application/jsonp",
        None,
    ],
)
def test_predict_answers_415_to_anything_but_json(titanic, client_for, content_type):
    headers = {"content-type": content_type} if content_type else {}
    with client_for(titanic) as client:
        response = client.post("/predict", content=b'{"sex": "female"}', headers=headers)
        metrics = client.get("/metrics").text
    assert response.status_code == 415
    assert "content-type: application/json" in response.json()["message"]
    assert 'tinkerlab_requests_total{path="/predict",status="415"} 1' in metrics
    assert "tinkerlab_batch_rows_count 0" in metrics  # the model never saw it


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_with_or_without_parameters_is_accepted(titanic, client_for, content_type):
    with client_for(titanic) as client:
        response = client.post(
            "/predict", content=b'{"sex": "female"}', headers={"content-type": content_type}
        )
    assert response.status_code == 200, response.text


def test_the_token_is_checked_before_the_content_type(titanic, client_for):
    with client_for(titanic, token="s3cret-token-with-enough-length") as client:
        response = client.post("/predict", content=b"x", headers={"content-type": "text/plain"})
    assert response.status_code == 401


def test_other_methods_on_predict_get_a_405(titanic, client_for):
    with client_for(titanic) as client:
        response = client.get("/predict")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"age": True}, "age"),
        ({"age": False}, "age"),
        ({"age": "29"}, "age"),
        ({"age": "29.5"}, "age"),
        ({"age": "nan"}, "age"),
        ([{"sex": "male"}, {"age": "4"}], "age"),
    ],
)
def test_booleans_and_numeric_strings_are_not_numbers(titanic, client_for, body, field):
    with client_for(titanic) as client:
        response = client.post("/predict", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()["problems"][0]
    assert problem["field"] == field
    assert "finite number" in problem["message"]


def test_integers_are_numbers(titanic, client_for):
    with client_for(titanic) as client:
        response = client.post("/predict", json={"age": 29})
    assert response.status_code == 200


def test_a_boolean_is_not_the_category_1(tmp_path):
    """Python has True == 1, and so does pydantic's Literal: a 0/1 column must refuse true."""
    from tinkerlab.serve._schema import InputSchema

    schema = InputSchema.from_dict(
        {
            "columns": [
                {"name": "smoker", "kind": "categorical", "dtype": "int64", "optional": False,
                 "categories": [0, 1]},
                {"name": "flag", "kind": "categorical", "dtype": "bool", "optional": False,
                 "categories": [False, True]},
            ]
        }
    )  # fmt: skip
    from pydantic import ValidationError

    model = schema.row_model
    assert model.model_validate_json(b'{"smoker": 1, "flag": true}').model_dump(by_alias=True) == {
        "smoker": 1,
        "flag": True,
    }
    for body in (b'{"smoker": true, "flag": true}', b'{"smoker": 1, "flag": 1}'):
        with pytest.raises(ValidationError, match="literal_error"):
            model.model_validate_json(body)


# --------------------------------------------------------------------------- predicted once


class CountingModel:
    """Wraps Artifact.predict_frame: counts calls and fails on the rows it is told to."""

    def __init__(self, artifact, error):
        self.real = artifact.predict_frame
        self.error = error
        self.calls: list[list[str]] = []  # the 'sex' of each row, per call

    def __call__(self, X):
        sexes = [str(s) for s in X["sex"]]
        self.calls.append(sexes)
        if "male" in sexes:  # the bad request's rows
            raise self.error
        return self.real(X)


@pytest.mark.parametrize("batch", [True, False])
@pytest.mark.parametrize(
    ("error", "status"), [(ValueError("a value the model cannot take"), 422), (RuntimeError(), 500)]
)
def test_a_failing_request_alone_is_predicted_once(
    titanic, client_for, monkeypatch, batch, error, status
):
    model = CountingModel(titanic, error)
    monkeypatch.setattr(titanic, "predict_frame", model)
    with client_for(titanic, batch=batch) as client:
        response = client.post("/predict", json=[{"sex": "male"}, {"sex": "male"}])
    assert response.status_code == status
    assert model.calls == [["male", "male"]]  # once: no second try


def test_in_a_batch_the_failing_request_fails_alone_and_its_mates_are_answered(
    titanic, monkeypatch, tmp_path
):
    model = CountingModel(titanic, ValueError("a value the model cannot take"))
    monkeypatch.setattr(titanic, "predict_frame", model)
    config = ServeConfig(monitor_dir=tmp_path, access_log=False, max_wait_ms=200, max_batch=64)
    app = create_app(titanic, config)
    bodies = [{"sex": "female", "age": 3.0}, {"sex": "male"}, {"sex": "female", "age": 60.0}]

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            return await asyncio.gather(*(client.post("/predict", json=b) for b in bodies))

    good, bad, other = asyncio.run(main())
    assert (good.status_code, bad.status_code, other.status_code) == (200, 422, 200)
    assert "cannot take" in bad.json()["message"]
    joint, *alone = model.calls
    assert sorted(joint) == ["female", "female", "male"]  # one call for the batch, then
    assert sorted(alone) == [["female"], ["female"], ["male"]]  # each request alone, once
    assert good.json()["prediction"] == titanic.predict([bodies[0]])[0]["prediction"]


# --------------------------------------------------------------------------- connections


class Errors(logging.Handler):
    """Collects what the service and uvicorn log at ERROR (a traceback would land here)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def __enter__(self):
        for name in ("tinkerlab.serve", "uvicorn.error", "uvicorn"):
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *_exc):
        for name in ("tinkerlab.serve", "uvicorn.error", "uvicorn"):
            logging.getLogger(name).removeHandler(self)


HEAD = (
    b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
    b"content-length: 400\r\n\r\n"
)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_a_client_that_hangs_up_mid_body_is_not_a_server_error(titanic, tmp_path, http):
    config = ServeConfig(monitor_dir=tmp_path, access_log=False, body_timeout_s=30)
    app = create_app(titanic, config)
    with Errors() as errors, BackgroundServer(app, http=http) as url:

        async def hang_up() -> None:
            _reader, writer = await asyncio.open_connection("127.0.0.1", _port(url))
            writer.write(HEAD + b'{"sex": "fem')  # 12 of the 400 bytes announced
            await writer.drain()
            await asyncio.sleep(0.2)
            writer.close()
            await writer.wait_closed()

        async def main() -> None:
            await asyncio.gather(*(hang_up() for _ in range(20)))
            await asyncio.sleep(0.5)  # let the server notice

        asyncio.run(main())
        metrics = httpx.get(f"{url}/metrics").text
        works = httpx.post(f"{url}/predict", json={"sex": "female"})
    assert works.status_code == 200
    assert 'path="/predict",status="499"} 20' in metrics
    assert not re.search(r'status="5\d\d"', metrics), metrics
    assert errors.records == [], [r.getMessage() for r in errors.records]


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_half_sent_requests_are_dropped_after_the_body_timeout(titanic, tmp_path, http):
    config = ServeConfig(monitor_dir=tmp_path, access_log=False, body_timeout_s=1.0)
    app = create_app(titanic, config)
    n = 400
    with Errors() as errors, BackgroundServer(app, http=http) as url:

        async def half_send() -> bytes:
            reader, writer = await asyncio.open_connection("127.0.0.1", _port(url))
            writer.write(HEAD + b'{"sex": ')  # and then nothing more, for ever
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), timeout=30)  # until the server closes
            writer.close()
            return answer

        async def main() -> tuple[list[bytes], float]:
            loop = asyncio.get_running_loop()
            start = loop.time()
            answers = await asyncio.gather(*(half_send() for _ in range(n)))
            return answers, loop.time() - start

        answers, seconds = asyncio.run(main())
        metrics = httpx.get(f"{url}/metrics").text
        works = httpx.post(f"{url}/predict", json={"sex": "female"})
    assert all(a.startswith(b"HTTP/1.1 408") for a in answers), {a[:40] for a in answers}
    assert all(b"did not arrive within 1 s" in a for a in answers)
    assert seconds < 25  # every one was closed by the server, not by the test's timeout
    assert works.status_code == 200  # the service still answers
    assert f'path="/predict",status="408"}} {n}' in metrics
    assert not re.search(r'status="5\d\d"', metrics), metrics
    assert errors.records == [], [r.getMessage() for r in errors.records]
