"""Feedback page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/feedback")
def feedback_page(request: Request) -> Response:
    """The feedback page."""
    return render(request, "stub.html", title="Feedback", page="feedback")
