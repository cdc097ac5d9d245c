"""The Python client: frames in and out, batching of large tables, errors with their cause."""

from __future__ import annotations

import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.exceptions import ServiceError
from tinkerlab.serve import Client

TOKEN = "client-test-token-0123456789"


def test_predict_a_frame_in_batches(titanic, client_for):
    frame = tl.load("titanic").frame.iloc[:23].set_index(pd.RangeIndex(100, 123))
    with client_for(titanic) as http:
        client = Client("http://test", http=http, batch_size=5)
        result = client.predict(frame)
        metrics = client.metrics()
    assert list(result.index) == list(frame.index)
    assert list(result.columns) == ["prediction", "probability_no", "probability_yes"]
    expected = titanic.predict(frame)
    assert result["prediction"].tolist() == [r["prediction"] for r in expected]
    assert sorted(client.unused_columns) == ["rownames", "survived"]
    assert "tinkerlab_request_rows_count 5" in metrics  # 23 rows: 5 + 5 + 5 + 5 + 3
    assert tl.Client is Client


def test_one_row_and_lists(titanic, client_for):
    with client_for(titanic) as http:
        client = Client("http://test", http=http)
        one = client.predict({"sex": "female", "age": 29})
        many = client.predict([{"sex": "female"}, {"sex": "male"}])
        assert client.health()["status"] == "ok"
        assert client.inputs() == ["age", "sex", "passengerClass"]
    assert one["model_id"] == "titanic-random_forest"
    assert [sorted(m) for m in many] == [["prediction", "probabilities"]] * 2


def test_errors_carry_the_service_message_and_status(titanic, client_for):
    with client_for(titanic, token=TOKEN) as http:
        with pytest.raises(ServiceError) as unauthorised:
            Client("http://test", http=http, token="").predict({"sex": "female"})
        client = Client("http://test", http=http, token=TOKEN)
        with pytest.raises(ServiceError) as bad:
            client.predict([{"sex": "female"}, {"sex": "robot"}])
        assert client.predict({"sex": "female"})["prediction"] in ("yes", "no")
    assert unauthorised.value.status == 401
    assert "token" in str(unauthorised.value)
    assert bad.value.status == 422
    assert "row 1, field 'sex' got 'robot'" in str(bad.value)
    assert bad.value.exit_code == 2


def test_the_token_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TINKERLAB_TOKEN", TOKEN)
    client = Client("http://127.0.0.1:9")
    assert client.http.headers["Authorization"] == f"Bearer {TOKEN}"


def test_an_unreachable_service_says_how_to_start_one():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ServiceError, match=r"Cannot reach the model service.*tinkerlab serve"):
        Client(f"http://127.0.0.1:{port}", timeout=5).health()
