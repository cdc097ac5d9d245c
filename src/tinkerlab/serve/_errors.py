"""Error translation: every failed request gets one JSON answer, never a traceback.

* a field's value does not fit (:class:`RequestError`): **422** with
  ``{"message", "problems": [{field, row, value, allowed, type, message}]}``;
* the model refused the input (:class:`~tinkerlab.exceptions.InputError`): **422** with
  the model's own message and fix;
* an HTTP error (401, 404, 405...): its status, ``{"message"}`` and its headers;
* anything else: **500** ``{"message": "Internal error (ref …)"}``; the traceback goes to
  the service's log only, under that reference.

:func:`answer_for` is the one translation: the model endpoint (served by the middleware)
and FastAPI's own routes (through :func:`add_error_handlers`) both call it, so every
service answers alike.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import InputError, TinkerlabError

if TYPE_CHECKING:
    from fastapi import FastAPI
    from pydantic import ValidationError

error_log = logging.getLogger("tinkerlab.serve")

#: (status, JSON body, extra headers) of one answer.
Answer = tuple[int, dict[str, Any], dict[str, str]]
#: Turns one pydantic error (a dict) into a problem ``{"field", ..., "message"}``.
Describe = Callable[[dict[str, Any]], dict[str, Any]]


class RequestError(TinkerlabError):
    """A request body that cannot be predicted; becomes a 422 with ``problems``."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def answer_for(error: BaseException, where: str = "") -> Answer:
    """The answer to a request that failed with *error* (*where*: "POST /predict", logged)."""
    from starlette.exceptions import HTTPException

    if isinstance(error, RequestError):
        return 422, {"message": str(error), "problems": error.problems}, {}
    if isinstance(error, InputError):
        return 422, {"message": str(error)}, {}  # the model's own message, with its fix
    if isinstance(error, HTTPException):
        return error.status_code, {"message": str(error.detail)}, dict(error.headers or {})
    ref = uuid.uuid4().hex[:12]
    error_log.error("request %s failed (ref %s)", where, ref, exc_info=error)
    return 500, {"message": f"Internal error (ref {ref}); the service's log has the details."}, {}


def add_error_handlers(app: FastAPI, describe: Describe) -> None:
    """Route FastAPI's errors through :func:`answer_for` (*describe*: its query problems)."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    async def translate(request: Request, error: Exception) -> JSONResponse:
        if isinstance(error, RequestValidationError):
            problems = [describe(dict(e)) for e in error.errors()]
            error = RequestError("; ".join(p["message"] for p in problems), problems)
        status, body, headers = answer_for(error, f"{request.method} {request.url.path}")
        return JSONResponse(body, status_code=status, headers=headers)

    app.add_exception_handler(Exception, translate)
    for kind in (RequestValidationError, RequestError, InputError):
        app.add_exception_handler(kind, translate)
    from starlette.exceptions import HTTPException

    app.add_exception_handler(HTTPException, translate)


def invalid_request(
    error: ValidationError, describe: Describe, *, intro: str = "", outro: str = ""
) -> RequestError:
    """A pydantic :class:`ValidationError` as a :class:`RequestError`: up to 20 problems,
    the first five (one per distinct message) in the sentence."""
    problems = [describe(dict(e)) for e in error.errors()[:20]]
    messages = list(dict.fromkeys(p["message"] for p in problems))
    message = "; ".join(messages[:5])
    if error.error_count() > 5:
        message += f"; and {error.error_count() - 5} more problems"
    more = error.error_count() - len(problems)
    if more > 0:
        problems.append({"message": f"{more} more problems not listed"})
    return RequestError(f"{intro}{message or 'The request is not valid'}{outro}", problems)


def row_problem(error: dict[str, Any], schema: Any = None) -> dict[str, Any]:
    """One validation error of a row as ``{field, row, value, allowed, type, message}``.

    With the artifact's *schema*, a category names the allowed values and an unknown
    field says which input it probably meant.
    """
    loc = [part for part in error.get("loc", ()) if part not in ("body", "query")]
    row = loc[0] if loc and isinstance(loc[0], int) else None
    names = [str(p) for p in loc if not isinstance(p, int)]
    field_name = names[-1] if names else None
    value = error.get("input")
    kind = error.get("type", "")
    at_row = f"row {row}, " if row is not None else ""
    where = at_row + (f"field {field_name!r}" if field_name else "the body")
    shown = _short(value)
    allowed: list[Any] | None = None
    if kind == "literal_error" and schema is not None and field_name in schema.names:
        allowed = list(schema.column(field_name).categories)
        listed = ", ".join(repr(a) for a in allowed[:15]) + (" …" if len(allowed) > 15 else "")
        message = f"{where} got {shown}; allowed: {listed}"
    elif kind == "extra_forbidden" and schema is not None and field_name:
        unknown = schema.unknown_fields([field_name])[0]  # "'sexx' (did you mean 'sex'?)"
        inputs = ", ".join(repr(n) for n in schema.names[:15])
        message = f"{at_row}field {unknown} is not an input of this model; inputs: {inputs}"
        message += " …" if len(schema.names) > 15 else ""
    elif kind == "missing":
        message = f"{where} is required"
    elif kind.startswith("float") or kind == "finite_number":
        message = f"{where} got {shown}; it must be a finite number (not text, not true/false)"
    elif kind in ("less_than_equal", "greater_than_equal") and isinstance(value, int | float):
        message = f"{where} got {shown}; numbers must lie within ±3.4e38 (float32)"
    else:
        message = f"{where} got {shown}: {error.get('msg', 'not valid')}"
    return {
        "field": field_name,
        "row": row,
        "value": value if _jsonable(value) else repr(value),
        "allowed": allowed,
        "type": kind,
        "message": message,
    }


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _jsonable(value: Any) -> bool:
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return len(text) <= 1000


__all__ = [
    "RequestError",
    "add_error_handlers",
    "answer_for",
    "invalid_request",
    "row_problem",
]
