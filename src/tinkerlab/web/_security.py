"""Who may use the lab, and proof that a change was asked for by the lab's own page.

* **Where it listens.** 127.0.0.1 by default: only this machine can reach it. Any other
  address needs a token (``--token-file`` or ``TINKERLAB_TOKEN``), as ``tinkerlab serve``
  does; :func:`check_bind` refuses to start without one.
* **Logging in.** With a token set, a browser logs in once on ``/login`` (the token is
  compared in constant time) and gets an HttpOnly, SameSite=Strict cookie holding a
  signature of the token, never the token itself; scripts may send
  ``Authorization: Bearer <token>`` instead.
* **Host names.** A loopback lab answers only to loopback host names, so a web page on
  another domain that resolves to 127.0.0.1 (DNS rebinding) gets a 421.
* **CSRF.** Every state-changing request (POST) carries a token tied to the browser's
  session cookie, in a form field or the ``X-CSRF-Token`` header (htmx sends it), and a
  request whose ``Origin`` is another site is refused before that.
* **Sizes.** Request bodies are capped (uploads larger than the rest): a 413 says the
  limit.
* **Headers.** A Content-Security-Policy allows scripts from the lab only (no CDN, no
  inline script), and pages cannot be framed.

>>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
(True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from tinkerlab.exceptions import UsageError

# The lab reads its token and decides what loopback is exactly as `tinkerlab serve` does.
from tinkerlab.serve._security import MAKE_TOKEN, TOKEN_VARIABLE
from tinkerlab.serve._security import is_loopback as is_loopback  # re-exported for the lab
from tinkerlab.serve._security import read_token as read_token  # re-exported for the lab

SESSION_COOKIE = "tl_session"  # random per browser; the CSRF token is signed from it
AUTH_COOKIE = "tl_auth"  # a signature of the lab's token, after logging in
CSRF_FIELD = "csrf_token"  # the hidden form field
CSRF_HEADER = "x-csrf-token"  # the header htmx sends

#: Scripts only from the lab itself. Vega compiles chart expressions with ``Function``,
#: hence 'unsafe-eval'; styles may be inline (vega-embed sets them on its elements).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token (exit 2 on the command line)."""
    if is_loopback(host) or token:
        return
    raise UsageError(
        f"Refusing to open the lab on {host!r} without a token: anyone who can reach this "
        "machine could run code-heavy jobs and read your journal. Fix: make a token and "
        f"pass it, e.g.\n  {MAKE_TOKEN}\n  tinkerlab lab --host {host} --token-file secret.txt\n"
        f"(or set {TOKEN_VARIABLE}); each browser then logs in once with it. Or keep the "
        "default --host 127.0.0.1."
    )


def sign(secret: bytes, message: str) -> str:
    """A hex HMAC-SHA256 of *message*: what the CSRF and login cookies hold."""
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def same(given: str | None, expected: str) -> bool:
    """Compare two secrets in constant time (None never matches)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def new_session() -> str:
    """A fresh random session id for a browser's cookie."""
    return secrets.token_urlsafe(24)


def csrf_token(secret: bytes, session: str) -> str:
    """The CSRF token of a session: only the lab, which knows *secret*, can make it."""
    return sign(secret, "csrf:" + session)


def auth_value(secret: bytes, token: str) -> str:
    """What the login cookie holds: a signature of the token, so the token never leaves."""
    return sign(secret, "auth:" + token)


def host_name(host_header: str) -> str:
    """``127.0.0.1:8765`` → ``127.0.0.1``; ``[::1]:8765`` → ``[::1]``."""
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def cross_site(headers: Any, host_header: str) -> bool:
    """Whether the browser says the request comes from another site (Origin or
    Sec-Fetch-Site); a request without either (a script, curl) is not refused here."""
    if str(headers.get("sec-fetch-site", "")) == "cross-site":
        return True
    origin = str(headers.get("origin") or "")
    if not origin or origin == "null":
        return origin == "null"
    return origin.split("://", 1)[-1] != host_header
