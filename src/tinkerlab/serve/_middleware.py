"""The ASGI layer every request passes first: the door, the model endpoint, the counters.

One pure ASGI middleware (no Starlette request objects, a few microseconds a request)
does, in this order:

1. **auth**: beyond the open paths (``/health``, ``/``, the docs) a missing or wrong
   bearer token is a 401 with ``WWW-Authenticate: Bearer``;
2. **content type**: the model endpoint takes ``application/json`` only, anything else
   is a 415. A browser page may post ``text/plain`` to any address without asking (a
   "simple" cross-origin request); JSON needs a CORS preflight, which this service never
   grants, so no web page open on this machine can use a token-less loopback service;
3. **the body**, read whole before anything else sees it: over ``max_body_bytes`` a 413;
   not complete ``body_timeout_s`` after the headers a 408, and the connection is closed
   (a slow or half-sent request cannot hold a connection for ever); a client that hangs
   up mid-body is counted as 499 (nginx's "client closed request"), answered nothing and
   logged as such: not a 500, not a traceback;
4. **the model endpoint** (``POST /predict`` or ``/generate``) is answered right here,
   from the body's bytes, without FastAPI's router in between: that is the hot path.
   Everything else goes on to FastAPI with the body replayed;
5. **the counters and the access log**: one ``observe_request`` and one JSON line per
   request, whatever happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from tinkerlab.serve._errors import answer_for
from tinkerlab.serve._openapi import OPEN_PATHS, OPEN_PREFIX
from tinkerlab.serve._security import token_matches

if TYPE_CHECKING:
    from tinkerlab.serve._config import ServeConfig
    from tinkerlab.serve._routes import Service

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

access_log = logging.getLogger("tinkerlab.serve.access")

#: Paths counted under their own name in /metrics; any other is "other" (so a scan of
#: random URLs cannot grow the counters without bound).
KNOWN_PATHS = frozenset(
    {
        "/predict",
        "/generate",
        "/health",
        "/metadata",
        "/metrics",
        "/drift",
        "/docs",
        "/openapi.json",
        "/",
    }
)
#: Status counted for a client that hung up before its request was complete.
CLIENT_CLOSED = 499
_JSON = [(b"content-type", b"application/json")]
#: One encoder for every answer (json.dumps with options builds a new one per call);
#: compact, UTF-8 as is, and never NaN, which JSON does not have.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


class _Exchange:
    """One request as the middleware tracks it: the status sent, rows, bytes received."""

    __slots__ = ("bytes_in", "rows", "send", "started", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 500  # until a response starts
        self.started = False  # whether a response started
        self.rows: int | None = None
        self.bytes_in = 0

    async def sending(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.started = True
        await self.send(message)

    async def json(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        encoded = _encode(body).encode("utf-8")
        extra = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
        ]
        self.status = status
        self.started = True
        await self.send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*_JSON, (b"content-length", str(len(encoded)).encode()), *extra],
            }
        )
        await self.send({"type": "http.response.body", "body": encoded})


class ServiceMiddleware:
    """Auth, content type, body limits, the model endpoint, counters; see the module doc."""

    def __init__(self, app: Any, service: Service, config: ServeConfig) -> None:
        self.app = app
        self.service = service
        self.config = config
        self.endpoint = service.endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        exchange = _Exchange(send)
        try:
            await self._handle(scope, receive, exchange)
        finally:
            self._record(scope, exchange, time.perf_counter() - started)

    async def _handle(self, scope: Scope, receive: Receive, exchange: _Exchange) -> None:
        path, method = scope["path"], scope["method"]
        headers = _headers(scope)
        token = self.config.token
        if token is not None and not _is_open(path) and not _authorized(headers, token):
            await exchange.json(401, _UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})
            return
        is_endpoint = path == self.endpoint.path
        if is_endpoint and method != "POST":
            only = {"message": f"{path} takes POST only (with a JSON body)."}
            await exchange.json(405, only, {"Allow": "POST"})
            return
        if method in ("GET", "HEAD", "OPTIONS"):
            await self._app(scope, receive, exchange)
            return
        if is_endpoint and not _is_json(headers.get(b"content-type")):
            await exchange.json(415, _not_json(headers.get(b"content-type")))
            return
        body = await self._read_body(headers, receive, exchange)
        if body is None:  # answered (413, 408) or the client is gone
            return
        if is_endpoint:
            await self._answer(body, method, path, exchange)
            return
        await self._app(scope, _replay(body, receive), exchange)

    async def _app(self, scope: Scope, receive: Receive, exchange: _Exchange) -> None:
        """FastAPI's answer; a failure it already answered (a 500 with a reference, the
        traceback in the service's log) goes no further, so the server logs no second one."""
        try:
            await self.app(scope, receive, exchange.sending)
        except Exception as error:
            if not exchange.started:
                status, body, headers = answer_for(error, f"{scope['method']} {scope['path']}")
                await exchange.json(status, body, headers)

    async def _answer(self, body: bytes, method: str, path: str, exchange: _Exchange) -> None:
        """The model endpoint: the body's bytes in, the JSON answer out (the hot path)."""
        try:
            answer, exchange.rows = await self.endpoint.answer(body)
        except Exception as error:
            status, problem, headers = answer_for(error, f"{method} {path}")
            await exchange.json(status, problem, headers)
            return
        await exchange.json(200, answer)

    async def _read_body(
        self, headers: dict[bytes, bytes], receive: Receive, exchange: _Exchange
    ) -> bytes | None:
        """The whole body, or None once it was refused (413, 408) or the client left (499)."""
        limit = self.config.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await exchange.json(413, self._too_large())
            return None
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout(self.config.body_timeout_s):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        exchange.status = CLIENT_CLOSED
                        return None
                    chunk = message.get("body", b"")
                    exchange.bytes_in += len(chunk)
                    if exchange.bytes_in > limit:
                        await exchange.json(413, self._too_large(), {"Connection": "close"})
                        return None
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            seconds = self.config.body_timeout_s
            late = (
                f"The request body did not arrive within {seconds:g} s, so the connection is "
                "closed. Fix: send the whole body at once (with its content-length)."
            )
            await exchange.json(408, {"message": late}, {"Connection": "close"})
            return None

    def _too_large(self) -> dict[str, Any]:
        return {
            "message": f"The request body is larger than the limit of "
            f"{self.config.max_body_bytes} bytes. Fix: send fewer rows per request (the "
            "client's batch_size), or start the service with a larger --max-body-bytes."
        }

    def _record(self, scope: Scope, exchange: _Exchange, elapsed: float) -> None:
        path = scope.get("path", "")
        route = path if path in KNOWN_PATHS else "other"
        self.service.counters.observe_request(route, exchange.status, elapsed)
        if self.config.access_log:
            client = scope.get("client")
            state = scope.get("state") or {}
            entry = {
                "ts": round(time.time(), 3),
                "method": scope.get("method"),
                "path": path[:200],
                "status": exchange.status,
                "ms": round(elapsed * 1000, 2),
                "rows": exchange.rows if exchange.rows is not None else state.get("rows"),
                "bytes_in": exchange.bytes_in,
                "client": f"{client[0]}:{client[1]}" if client else None,
            }
            access_log.info(json.dumps(entry, separators=(",", ":")))


_UNAUTHORIZED = {
    "message": "Missing or wrong token. Send the header 'Authorization: Bearer <token>' "
    "with the token the service was started with."
}


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """The request headers the middleware reads (lower-case names, the last one wins)."""
    wanted = (b"authorization", b"content-type", b"content-length")
    return {key: value for key, value in scope.get("headers", ()) if key in wanted}


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIX)


def _authorized(headers: dict[bytes, bytes], token: str) -> bool:
    scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    return scheme.lower() == "bearer" and token_matches(given.strip(), token)


def _is_json(content_type: bytes | None) -> bool:
    """``application/json``, with or without parameters (``; charset=utf-8``)."""
    if content_type is None:
        return False
    return content_type.split(b";", 1)[0].strip().lower() == b"application/json"


def _not_json(content_type: bytes | None) -> dict[str, Any]:
    given = content_type.decode("latin-1")[:80] if content_type else "none"
    return {
        "message": f"The body must be sent as JSON with 'content-type: application/json' (got "
        f"{given!r}). Fix: add the header, e.g. curl -H 'content-type: application/json' -d "
        "'{...}'."
    }


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over *body* once, then waits for the disconnect as usual."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def configure_logging(config: ServeConfig) -> None:
    """JSON lines on stderr for the access log; errors (with tracebacks) on stderr."""
    from tinkerlab.serve._errors import error_log

    for logger in (access_log, error_log):
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger.addHandler(handler)
            logger.propagate = False
    access_log.setLevel(logging.INFO if config.access_log else logging.WARNING)
    error_log.setLevel(logging.INFO)


__all__ = ["ServiceMiddleware", "configure_logging"]
