"""Ship page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/ship")
def ship_page(request: Request) -> Response:
    """The ship page."""
    return render(request, "stub.html", title="Ship", page="ship")
