"""Compare page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/compare")
def compare_page(request: Request) -> Response:
    """The compare page."""
    return render(request, "stub.html", title="Compare", page="compare")
