"""Who may talk to the service: loopback only by default, a bearer token beyond it.

* The service binds 127.0.0.1 unless told otherwise; only programs on this machine
  can reach it.
* Binding any other address (``--host 0.0.0.0``, a LAN address) needs a token, read
  from ``--token-file`` or the ``TINKERLAB_TOKEN`` variable; without one the service
  refuses to start and says how to make one.
* Requests then carry ``Authorization: Bearer <token>``; the comparison takes the same
  time whatever the token (:func:`hmac.compare_digest`), so timing reveals nothing.
* A token is at least :data:`MIN_TOKEN_LENGTH` characters: short ones can be guessed.

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from pathlib import Path

from tinkerlab.exceptions import UsageError

TOKEN_VARIABLE = "TINKERLAB_TOKEN"
MIN_TOKEN_LENGTH = 16
MAKE_TOKEN = 'python -c "import secrets; print(secrets.token_urlsafe(32))" > secret.txt'


def is_loopback(host: str) -> bool:
    """Whether *host* is an address only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def read_token(token_file: Path | None, *, environ: dict[str, str] | None = None) -> str | None:
    """The token from *token_file*, else from ``TINKERLAB_TOKEN``, else None; checked."""
    env = os.environ if environ is None else environ
    if token_file is not None:
        path = Path(token_file).expanduser()
        try:
            token = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise UsageError(
                f"Cannot read the token file {str(path)!r}: {error.strerror or error}. "
                f"Fix: make one with: {MAKE_TOKEN}"
            ) from None
        where = f"the token file {str(path)!r}"
    elif env.get(TOKEN_VARIABLE):
        token = env[TOKEN_VARIABLE].strip()
        where = f"${TOKEN_VARIABLE}"
    else:
        return None
    if len(token) < MIN_TOKEN_LENGTH or any(ch.isspace() for ch in token):
        raise UsageError(
            f"The token in {where} is too short or has spaces (it needs at least "
            f"{MIN_TOKEN_LENGTH} characters, no whitespace), so it could be guessed or "
            f"mistyped. Fix: make a strong one with: {MAKE_TOKEN}"
        )
    return token


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token (exit 2 on the command line)."""
    if is_loopback(host) or token:
        return
    raise UsageError(
        f"Refusing to serve on {host!r} without a token: any machine that can reach this one "
        "could use the model. Fix: make a token and pass it, e.g.\n"
        f"  {MAKE_TOKEN}\n"
        f"  tinkerlab serve DIR --host {host} --token-file secret.txt\n"
        f"(or set {TOKEN_VARIABLE}); clients then send 'Authorization: Bearer <token>'. "
        "Or keep the default --host 127.0.0.1."
    )


def token_matches(given: str | None, expected: str) -> bool:
    """Compare in constant time (for tokens of equal length)."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
