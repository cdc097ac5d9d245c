"""``tinkerlab serve models/ac``: a trained autocompleter behind the same service as Ship.

The tiny GPT-2 of ``conftest.trained`` is served through FastAPI's test client and, once,
through a real uvicorn server on a loopback port; completions must equal
:func:`tinkerlab.pretrained.generate` with the same seed, and the service must validate,
authenticate and count like the artifact service does.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from fastapi.testclient import TestClient

from tinkerlab.pretrained import generate, load_causal_lm
from tinkerlab.serve import ServeConfig
from tinkerlab.serve._generate import (
    GenerationModel,
    create_generation_app,
    is_language_model_dir,
)


@pytest.fixture(scope="module")
def served(trained):
    _, path = trained
    return GenerationModel.load(path)


def test_a_model_directory_is_not_an_artifact(trained, tmp_path):
    _, path = trained
    assert is_language_model_dir(path)
    assert not is_language_model_dir(tmp_path)


def test_generate_returns_what_the_library_generates_with_the_same_seed(served, trained):
    _, path = trained
    request = {"prompt": "the support team", "max_new_tokens": 6, "seed": 3, "num": 2}
    with TestClient(create_generation_app(served)) as client:
        answer = client.post("/generate", json=request)
        again = client.post("/generate", json=request)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    expected = generate(load_causal_lm(path), "the support team", max_new_tokens=6, seed=3, num=2)
    assert body["completions"] == expected
    assert again.json()["completions"] == expected  # seeded: the same text every time
    assert body["model_id"] == "ac"
    assert len(body["model_version"]) == 12


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "the team", "max_new_tokens": 100_000}, "max_new_tokens"),
        ({"prompt": "the team", "temperature": -1}, "temperature"),
        ({"prompt": "the team", "num": 50}, "num"),
        ({"prompt": "the team", "colour": "red"}, "colour"),
    ],
)
def test_bad_requests_get_a_422_naming_the_field(served, request_body, field):
    with TestClient(create_generation_app(served)) as client:
        answer = client.post("/generate", json=request_body)
    assert answer.status_code == 422
    assert field in answer.json()["message"]


def test_a_completion_longer_than_the_context_is_a_422_with_the_fix(served, tiny):
    too_long = int(tiny["block_size"])  # the tiny model reads 16 tokens at most
    with TestClient(create_generation_app(served)) as client:
        answer = client.post("/generate", json={"prompt": "the team", "max_new_tokens": too_long})
    assert answer.status_code == 422
    assert "Fix: --max-new-tokens 8" in answer.json()["message"]


def test_token_metadata_metrics_and_docs(served):
    app = create_generation_app(served, ServeConfig(token="s3cret-token-value", access_log=False))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200  # never needs the token
        assert client.post("/generate", json={"prompt": "the team"}).status_code == 401
        auth = {"Authorization": "Bearer s3cret-token-value"}
        meta = client.get("/metadata", headers=auth).json()
        ok = client.post("/generate", json={"prompt": "the team", "seed": 0}, headers=auth)
        metrics = client.get("/metrics", headers=auth).text
        docs = client.get("/docs")
        spec = client.get("/openapi.json").json()
    assert meta["task"] == "text-generation"
    assert meta["context"] == 16
    assert meta["parameters"] > 0
    assert meta["training"]["val_loss"] > 0  # what tinkerlab autocomplete train recorded
    assert ok.status_code == 200
    assert 'tinkerlab_requests_total{path="/generate",status="200"} 1' in metrics
    assert 'tinkerlab_requests_total{path="/generate",status="401"} 1' in metrics
    assert "docs/assets/swagger-ui-bundle.js" in docs.text
    assert "GenerateRequest" in spec["components"]["schemas"]


def test_served_by_uvicorn_on_loopback(served):
    from tinkerlab.serve._server import BackgroundServer

    with BackgroundServer(create_generation_app(served, ServeConfig(access_log=False))) as url:
        request = urllib.request.Request(
            f"{url}/generate",
            data=json.dumps({"prompt": "our courier", "max_new_tokens": 4, "seed": 1}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
    assert url.startswith("http://127.0.0.1:")
    assert len(body["completions"]) == 1
