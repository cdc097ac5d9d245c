"""The lab's outer layer: every request passes it before any route (an ASGI middleware).

It checks the Host header (loopback labs), the login (labs with a token), the body size,
gives each browser a session cookie, and adds the security headers to every answer. The
CSRF check of state-changing requests is :func:`require_csrf`, a dependency of every
route that changes something (it reads the form field, which only a route can parse).
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from tinkerlab.web import _security as sec

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from tinkerlab.web._config import LabConfig

#: Paths a browser may open before logging in (the login page and what it needs).
_OPEN_PATHS = ("/login", "/static/", "/favicon.ico")
#: Paths whose bodies may be as large as an upload.
_UPLOAD_PATHS = ("/data/upload",)


class BodyTooLargeError(Exception):
    """A request body passed its size limit while being read."""


class Guard:
    """ASGI middleware: host names, login, body limits, session cookie, security headers."""

    def __init__(self, app: ASGIApp, config: LabConfig) -> None:
        self.app = app
        self.config = config
        self.loopback = sec.is_loopback(config.host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.loopback and sec.host_name(host) not in self.config.allowed_hosts:
            await _plain(send, 421, f"This lab answers on 127.0.0.1 only, not {host!r}.")
            return
        cookies = _cookies(headers.get("cookie", ""))
        path: str = scope["path"]
        logged_in = not self.config.token or self._logged_in(headers, cookies)
        if not logged_in and not path.startswith(_OPEN_PATHS):
            await _to_login(send, scope, path)
            return
        session = cookies.get(sec.SESSION_COOKIE) or ""
        fresh = not session
        if fresh:
            session = sec.new_session()
        scope.setdefault("state", {})["session"] = session
        uploads = path.startswith(_UPLOAD_PATHS)
        limit = self.config.max_upload_bytes if uploads else self.config.max_form_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(k.encode(), v.encode()) for k, v in sec.SECURITY_HEADERS.items()]
                if fresh:
                    extra.append((b"set-cookie", _session_cookie(session).encode("latin-1")))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, _limited(receive, limit), send_with_headers)
        except BodyTooLargeError:
            if not started:
                await _too_large(send, limit)

    def _logged_in(self, headers: dict[str, str], cookies: dict[str, str]) -> bool:
        token = self.config.token
        assert token is not None
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer ") and sec.same(bearer[7:].strip(), token):
            return True
        return sec.same(cookies.get(sec.AUTH_COOKIE), sec.auth_value(self.config.secret, token))


def _limited(receive: Receive, limit: int) -> Receive:
    """*receive*, raising :class:`BodyTooLargeError` once more than *limit* bytes arrived (a
    client may lie about Content-Length, or send none)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLargeError
        return message

    return wrapped


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header: treat as none
        return {}
    return {k: m.value for k, m in jar.items()}


def _session_cookie(session: str) -> str:
    return f"{sec.SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict"


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    headers += [(k.encode(), v.encode()) for k, v in sec.SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _too_large(send: Send, limit: int) -> None:
    mb = limit / 1024 / 1024
    await _plain(
        send,
        413,
        f"The request is larger than this lab accepts ({mb:g} MB). Fix: send a smaller "
        "file (or sample it first), or start the lab with a larger limit.",
    )


async def _to_login(send: Send, scope: Scope, path: str) -> None:
    """A browser goes to the login page; a script gets a 401 saying how to authenticate."""
    accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
    if "text/html" in accept and scope["method"] == "GET":
        from urllib.parse import quote

        target = f"/login?next={quote(path, safe='/')}"
        headers = [(b"location", target.encode("latin-1"))]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body = json.dumps(
        {"detail": "This lab needs its token: log in at /login, or send Authorization: Bearer."}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def session_of(request: Request) -> str:
    """The browser's session id (the Guard set it on every request)."""
    session: str = request.scope.get("state", {}).get("session", "")
    return session


def csrf_for(request: Request) -> str:
    """The CSRF token pages embed for this browser."""
    return sec.csrf_token(request.app.state.config.secret, session_of(request))


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request that is cross-site or lacks this session's token."""
    from fastapi import HTTPException

    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if sec.cross_site(request.headers, request.headers.get("host", "")):
        raise HTTPException(403, "Refused: the request came from another site.")
    given = request.headers.get(sec.CSRF_HEADER)
    if not given:
        form: Any = await request.form()
        value = form.get(sec.CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not sec.same(given, csrf_for(request)):
        raise HTTPException(
            403,
            "Refused: the form's security token is missing or stale (the lab restarted, or "
            "the page is old). Fix: reload the page and send it again.",
        )
