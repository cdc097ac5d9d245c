"""Tinker page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/tinker")
def tinker_page(request: Request) -> Response:
    """The tinker page."""
    return render(request, "stub.html", title="Tinker", page="tinker")
