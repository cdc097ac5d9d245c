"""Playground page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/playground")
def playground_page(request: Request) -> Response:
    """The playground page."""
    return render(request, "stub.html", title="Playground", page="playground")
