"""Scratch page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/scratch")
def scratch_page(request: Request) -> Response:
    """The scratch page."""
    return render(request, "stub.html", title="Scratch", page="scratch")
