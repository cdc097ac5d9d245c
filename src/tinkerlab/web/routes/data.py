"""Data page (being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.web._render import render

router = APIRouter()


@router.get("/data")
def data_page(request: Request) -> Response:
    """The data page."""
    return render(request, "stub.html", title="Data", page="data")
