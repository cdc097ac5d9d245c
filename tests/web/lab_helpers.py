"""Helpers of the web lab's tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

import re
import time
from typing import Any

#: The address in-process tests pretend to be served at (a loopback host, as the guard wants).
BASE = "http://127.0.0.1:8765"


def csrf_of(client: Any, path: str = "/") -> str:
    """The CSRF token a page of this client's session carries."""
    page = client.get(path)
    found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def wait_job(app: Any, job_id: str, timeout: float = 180) -> Any:
    """Wait for a background job to end; the Job."""
    job = app.state.jobs.get(job_id)
    deadline = time.monotonic() + timeout
    while not job.ended and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job.ended, f"job {job.title!r} still {job.status} after {timeout} s: {job.what}"
    return job


#: The lab's main pages, one of each kind (and a twin's page, whose code is wide).
MAIN_PAGES = [
    "/",
    "/data",
    "/data/titanic",
    "/run?dataset=titanic",
    "/tinker?dataset=iris&model=knn&knob=n_neighbors",
    "/compare?dataset=iris",
    "/search?dataset=iris&model=svm",
    "/playground",
    "/theory",
    "/theory/overfitting",
    "/scratch",
    "/scratch/logistic_regression",
    "/journal",
    "/ship",
    "/feedback",
]
