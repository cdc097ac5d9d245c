"""Property tests against the service's own OpenAPI spec: no input may cause a server error.

Schemathesis generates requests from /openapi.json (valid and invalid rows, odd strings,
huge numbers...) and sends them to the service on a loopback port; every answer must be
documented and never a 5xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tinkerlab.serve import ServeConfig, create_app


@pytest.fixture(scope="module")
def api(titanic_dir, tmp_path_factory):
    """The spec of a real service on a loopback port (micro-batcher and log on)."""
    from tinkerlab.serve import load_artifact
    from tinkerlab.serve._server import BackgroundServer

    config = ServeConfig(
        monitor_dir=tmp_path_factory.mktemp("monitor"), access_log=False, max_rows=50
    )
    with BackgroundServer(create_app(load_artifact(titanic_dir), config)) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json")


def test_no_server_errors_and_answers_match_the_spec(api):
    # schemathesis.pytest.from_fixture needs a pytest internal that pytest 9 removed, so
    # the operations are driven with Hypothesis directly, one strategy per operation.
    operations = [result.ok() for result in api.get_all_operations()]
    assert {op.path for op in operations} >= {"/predict", "/health", "/metadata", "/drift"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40 if operation.path == "/predict" else 10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate()

        check()
