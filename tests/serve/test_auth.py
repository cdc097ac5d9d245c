"""Security: loopback by default, a token beyond it, compared in constant time."""

from __future__ import annotations

import pytest

from tinkerlab.exceptions import UsageError
from tinkerlab.serve import _security
from tinkerlab.serve._security import check_bind, is_loopback, read_token, token_matches

TOKEN = "s3cret-token-with-enough-length"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_binding_beyond_loopback_needs_a_token():
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", TOKEN)
    with pytest.raises(UsageError) as caught:
        check_bind("0.0.0.0", None)
    message = str(caught.value)
    assert "Refusing to serve on '0.0.0.0' without a token" in message
    assert "--token-file" in message
    assert "TINKERLAB_TOKEN" in message
    assert caught.value.exit_code == 2


def test_tokens_come_from_a_file_or_the_environment(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(TOKEN + "\n")
    assert read_token(secret, environ={}) == TOKEN
    assert read_token(None, environ={"TINKERLAB_TOKEN": TOKEN}) == TOKEN
    assert read_token(None, environ={}) is None
    secret.write_text("short")
    with pytest.raises(UsageError, match="too short"):
        read_token(secret, environ={})
    with pytest.raises(UsageError, match="Cannot read the token file"):
        read_token(tmp_path / "missing.txt", environ={})


def test_tokens_are_compared_in_constant_time(monkeypatch):
    seen = []
    real = _security.hmac.compare_digest

    def spy(a, b):
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(_security.hmac, "compare_digest", spy)
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches("wrong", TOKEN)
    assert not token_matches(None, TOKEN)
    assert len(seen) == 2


def test_the_service_asks_for_the_token(titanic, client_for):
    with client_for(titanic, token=TOKEN) as client:
        missing = client.post("/predict", json={"sex": "female"})
        wrong = client.post(
            "/predict", json={"sex": "female"}, headers={"Authorization": "Bearer nope"}
        )
        scheme = client.post(
            "/predict", json={"sex": "female"}, headers={"Authorization": f"Basic {TOKEN}"}
        )
        right = client.post(
            "/predict", json={"sex": "female"}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        guarded = [client.get(p).status_code for p in ("/metadata", "/metrics", "/drift")]
        public = [client.get(p).status_code for p in ("/health", "/docs", "/openapi.json")]
        spec = client.get("/openapi.json").json()
    assert (missing.status_code, wrong.status_code, scheme.status_code) == (401, 401, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in wrong.json()["message"]
    assert TOKEN not in wrong.text
    assert right.status_code == 200
    assert guarded == [401, 401, 401]
    assert public == [200, 200, 200]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
