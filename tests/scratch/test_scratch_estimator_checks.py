"""Every twin honours scikit-learn's estimator contract: ``parametrize_with_checks``.

The instances are the defaults except where a default would only make the checks slow
(``n_estimators``); each check that must be skipped is listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from tinkerlab.scratch import TWINS, RandomForestClassifier

# The checks fit on unscaled data with default step sizes: the gradient-descent twins warn
# there (did not converge / diverged), as they should. The warning is tested elsewhere.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# Every row of the twin table, nothing listed by hand.
ESTIMATORS = [
    RandomForestClassifier(n_estimators=10) if twin.cls is RandomForestClassifier else twin.cls()
    for twin in TWINS.values()
]

# check name -> why it cannot pass, per twin class.
EXPECTED_FAILED_CHECKS: dict[type, dict[str, str]] = {}


def expected_failed_checks(estimator: Any) -> dict[str, str]:
    return EXPECTED_FAILED_CHECKS.get(type(estimator), {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_contract(estimator: Any, check: Callable[[Any], None]) -> None:
    check(estimator)
