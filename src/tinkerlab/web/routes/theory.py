"""Theory page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/theory")
def theory_page(request: Request) -> Response:
    """The theory page."""
    return render(request, "stub.html", title="Theory", page="theory")
