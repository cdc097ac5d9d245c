"""The lab's guard: loopback hosts, tokens, CSRF, body limits, headers, escaping, uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lab_helpers import BASE, csrf_of

from tinkerlab.exceptions import UsageError
from tinkerlab.web import LabConfig, create_app
from tinkerlab.web import _security as sec
from tinkerlab.web._uploads import clean_name


def test_every_answer_carries_the_security_headers(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_a_loopback_lab_refuses_other_host_names(client: Any) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host."""
    refused = client.get("/", headers={"host": "evil.example:8765"})
    assert refused.status_code == 421
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_a_post_without_the_csrf_token_is_refused(client: Any) -> None:
    answer = client.post("/run", data={"dataset": "iris"})
    assert answer.status_code == 403
    assert "security token" in answer.text


def test_a_post_with_another_sessions_token_is_refused(app: Any) -> None:
    from fastapi.testclient import TestClient

    with TestClient(app, base_url=BASE) as one, TestClient(app, base_url=BASE) as two:
        token = csrf_of(one)
        csrf_of(two)  # two gets its own session
        stolen = two.post("/run", data={"csrf_token": token, "dataset": "iris"})
        assert stolen.status_code == 403


def test_a_cross_site_post_is_refused_even_with_the_token(client: Any) -> None:
    token = csrf_of(client)
    answer = client.post(
        "/run",
        data={"csrf_token": token, "dataset": "iris"},
        headers={"origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    assert "another site" in answer.text


def test_the_csrf_token_also_works_as_a_header(client: Any) -> None:
    """htmx sends it as X-CSRF-Token; a bad form still gets the form's own error."""
    token = csrf_of(client)
    answer = client.post(
        "/run", data={"dataset": "iris", "cv": "1"}, headers={"x-csrf-token": token}
    )
    assert answer.status_code == 422
    assert "Fix: Folds: 5" in answer.text


def test_a_body_over_the_limit_gets_a_413(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app = create_app(LabConfig(home=tmp_path / "lab", max_form_bytes=2000))
    with TestClient(app, base_url=BASE) as client:
        answer = client.post("/run", content=b"x" * 5000)
        assert answer.status_code == 413
        assert "larger than this lab accepts" in answer.text


def test_a_streamed_body_over_the_limit_gets_a_413_too(tmp_path: Path) -> None:
    """A client may send no Content-Length (chunked) or a false one: counted as it comes."""
    from fastapi.testclient import TestClient

    app = create_app(LabConfig(home=tmp_path / "lab", max_form_bytes=2000))
    with TestClient(app, base_url=BASE) as client:
        token = csrf_of(client)
        chunks = iter([b"csrf_token=" + token.encode() + b"&text=", b"x" * 3000])
        answer = client.post(
            "/run",
            content=chunks,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 413
        assert "larger than this lab accepts" in answer.text


def test_beyond_loopback_a_token_is_required() -> None:
    with pytest.raises(UsageError, match="without a token"):
        sec.check_bind("0.0.0.0", None)
    sec.check_bind("0.0.0.0", "x" * 32)  # with one, it may listen
    sec.check_bind("127.0.0.1", None)


def test_a_short_token_is_refused(tmp_path: Path) -> None:
    weak = tmp_path / "token.txt"
    weak.write_text("short\n")
    with pytest.raises(UsageError, match="too short"):
        sec.read_token(weak)


def test_with_a_token_browsers_log_in_and_scripts_send_a_bearer(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    token = "s3cret-token-for-the-class-0123456789"
    app = create_app(LabConfig(home=tmp_path / "lab", host="0.0.0.0", token=token))
    with TestClient(app, base_url="http://10.0.0.5:8765") as client:
        first = client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"].startswith("/login")
        assert client.get("/journal", headers={"accept": "application/json"}).status_code == 401
        wrong = client.post("/login", data={"token": "nope", "next": "/journal"})
        assert wrong.status_code == 401
        right = client.post(
            "/login", data={"token": token, "next": "//evil.example/"}, follow_redirects=False
        )
        assert right.status_code == 303
        assert right.headers["location"] == "/"  # no open redirect
        assert token not in right.headers["set-cookie"]  # a signature, never the token
        assert client.get("/journal", headers={"accept": "text/html"}).status_code == 200
    with TestClient(app, base_url="http://10.0.0.5:8765") as script:
        bearer = {"authorization": f"Bearer {token}", "accept": "text/html"}
        assert script.get("/journal", headers=bearer).status_code == 200


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("/abs/path/data.csv", "data.csv"),
        ("C:\\Users\\me\\my data.csv", "my_data.csv"),
        ("..", "data"),
        ("<script>alert(1)</script>.csv", "script_.csv"),
    ],
)
def test_upload_names_cannot_leave_the_uploads_folder(sent: str, stored: str) -> None:
    assert clean_name(sent) == stored
    assert "/" not in clean_name(sent)
    assert "\\" not in clean_name(sent)
