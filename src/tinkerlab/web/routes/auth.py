"""Logging in to a lab started with a token (``tinkerlab lab --host 0.0.0.0 --token-file``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tinkerlab.web import _security as sec
from tinkerlab.web._render import render

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path on this lab (never ``//other.site`` or ``https://…``)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The token form (a lab without a token has nothing to log in to)."""
    if not request.app.state.config.token:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the token in constant time; on success a cookie holds its signature."""
    config = request.app.state.config
    if config.token is None:
        return RedirectResponse("/", status_code=303)
    if sec.cross_site(request.headers, request.headers.get("host", "")):
        return render(
            request, "login.html", status_code=403, next="/", error="Refused: cross-site."
        )
    if not sec.same(token.strip(), config.token):
        return render(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            error="That is not this lab's token. Fix: paste the contents of the token file "
            "the lab was started with (ask whoever started it).",
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        sec.AUTH_COOKIE,
        sec.auth_value(config.secret, config.token),
        httponly=True,
        samesite="strict",
        path="/",
    )
    return response
