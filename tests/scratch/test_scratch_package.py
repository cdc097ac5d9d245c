"""The package surface: the TWINS table, the docstring examples, unfitted use, and the twins
inside scikit-learn's own machinery (Pipeline, GridSearchCV, clone). Every parametrised test
reads the twin table, so a new row is tested without listing it here."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import pkgutil
import textwrap

import pytest
from sklearn import linear_model
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import tinkerlab.scratch as scratch
from tinkerlab.scratch import TWINS, LogisticRegression

MODULES = [
    *sorted(f"tinkerlab.scratch.{m.name}" for m in pkgutil.iter_modules(scratch.__path__)),
    "tinkerlab.scratch",
]

PUBLIC_METHODS = [
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "transform",
    "inverse_transform",
    "score",
]


def test_twins_table_covers_every_exported_class():
    classes = {twin.cls for twin in TWINS.values()}
    exported = {getattr(scratch, name) for name in scratch.__all__ if name != "TWINS"}
    assert classes == exported
    assert len(TWINS) == 14
    assert all(name == twin.name for name, twin in TWINS.items())


def _theirs(name):
    module, class_name = TWINS[name].sklearn.rsplit(".", 1)
    return getattr(importlib.import_module(module), class_name)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_each_twin_names_a_real_sklearn_class_with_the_same_name(name):
    assert TWINS[name].cls.__name__ == _theirs(name).__name__
    assert TWINS[name].path == f"tinkerlab.scratch.{TWINS[name].cls.__name__}"


@pytest.mark.parametrize("name", sorted(TWINS))
def test_shared_parameters_have_sklearns_names_and_defaults(name):
    our_defaults, their_defaults = TWINS[name].cls().get_params(), _theirs(name)().get_params()
    for param in our_defaults.keys() & their_defaults.keys():
        assert our_defaults[param] == their_defaults[param], param
    # Only parameters scikit-learn's twin does not have may be ours alone, each documented
    # (docs/scratch.md, "Deliberate differences"): a gradient-descent solver and its knobs.
    ours_only = set(our_defaults) - set(their_defaults)
    assert ours_only <= {"learning_rate", "max_iter", "tol", "solver"}, ours_only


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", sorted(TWINS))
def test_every_public_method_asks_for_fit_first(name):
    cls = TWINS[name].cls
    methods = [m for m in PUBLIC_METHODS if hasattr(cls, m)]
    assert methods
    X, y = [[0.0, 1.0]], [0]
    for method in methods:
        with pytest.raises(NotFittedError, match="fit"):
            getattr(cls(), method)(*((X, y) if method == "score" else (X,)))


def _own_public_methods(cls):
    """(class, name) of every public method our code defines for *cls* (not scikit-learn's)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("tinkerlab.scratch"):
            continue
        for name, member in vars(klass).items():
            if inspect.isfunction(member) and not name.startswith("_") and name != "fit":
                yield klass, name


@pytest.mark.parametrize("name", sorted(TWINS))
def test_every_public_method_calls_check_is_fitted_first(name):
    # Read, not run: the first statement after the docstring is check_is_fitted(self).
    methods = list(_own_public_methods(TWINS[name].cls))
    assert methods
    for klass, method in methods:
        tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(klass, method))))
        body = tree.body[0].body
        first = (
            body[1]
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            else body[0]
        )
        assert ast.unparse(first) == "check_is_fitted(self)", f"{klass.__name__}.{method}"


def test_a_twin_works_in_a_pipeline_inside_grid_search(load):
    X, y = load("wine")
    grid = {"logisticregression__C": [0.01, 1.0, 100.0]}
    ours = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()), grid, cv=3)
    theirs = GridSearchCV(
        make_pipeline(StandardScaler(), linear_model.LogisticRegression()), grid, cv=3
    )
    ours.fit(X, y)
    theirs.fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, abs=0.02)
    assert ours.best_estimator_.predict(X).shape == y.shape


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", sorted(TWINS))
def test_clone_copies_parameters_not_learned_state(name, load):
    cls = TWINS[name].cls
    X, y = load("iris", scale=name != "multinomial_nb")
    model = cls()
    if name == "random_forest_classifier":
        model.set_params(n_estimators=5)
    if name == "kmeans":
        model.set_params(n_clusters=3)
    fitted = model.fit(X, y)
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not [key for key in vars(copy) if key.endswith("_") and not key.startswith("_")]
