"""Stand-ins that answer a scorer from predictions made once.

A scikit-learn scorer only asks an estimator for its responses (``predict``,
``predict_proba``, ``decision_function``) and reads its ``classes_``. These stand-ins
answer those questions from predictions computed once, so that scoring needs fewer
passes over a model whose predictions are costly (a forest visits every tree for each
one), and give the very same numbers:

* :func:`replay`: one prediction of a stacked table, each scorer call answered from its
  slice (the permutation importances: ``runner._explain``);
* :func:`answered_once`: each response asked once, for scorers in and outside one
  scikit-learn call;
* :func:`proba_once`: a forest's ``predict`` is the class of largest ``predict_proba``,
  exactly as scikit-learn's ``ForestClassifier.predict`` computes it, so one pass
  answers both (a run's six metrics ask for both, on every fold).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

RESPONSES = ("predict", "predict_proba", "decision_function")


def _stand_in(estimator: Any, answers: dict[str, Callable[[Any], Any]]) -> Any:
    """An estimator of *estimator*'s kind and classes whose responses are *answers*.

    Each answer is a method of its own name: scikit-learn tells which response it got by
    the method's ``__name__``, and which it may ask for by ``hasattr``.
    """
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier

    def method(name: str, answer: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
        def respond(self: Any, X: Any) -> Any:
            return answer(X)

        respond.__name__ = name
        return respond

    kind = ClassifierMixin if is_classifier(estimator) else RegressorMixin
    body = {name: method(name, answer) for name, answer in answers.items()}
    stand_in = type(f"StandIn{type(estimator).__name__}", (kind, BaseEstimator), body)()
    if hasattr(estimator, "classes_"):
        stand_in.classes_ = estimator.classes_
    return stand_in


def replay(estimator: Any, stacked: Any) -> Any:
    """A stand-in whose ``predict(rows)`` (and the other responses) answers for the row
    positions *rows* of *stacked*, from one call of *estimator* on all of it."""
    made: dict[str, Any] = {}

    def answering(name: str) -> Callable[[Any], Any]:
        def answer(rows: Any) -> Any:
            if name not in made:  # one call on every stacked row
                made[name] = getattr(estimator, name)(stacked)
            return made[name][rows]

        return answer

    return _stand_in(estimator, {n: answering(n) for n in RESPONSES if hasattr(estimator, n)})


def proba_once(model: Any, X: Any) -> Any:
    """*model* itself, or, for a single-output random forest or extra-trees classifier,
    a stand-in answering ``predict`` and ``predict_proba`` on *X* from one pass.

    ``ForestClassifier.predict`` is ``classes_.take(argmax(predict_proba(X)))``: the same
    arithmetic on the same probabilities gives the same classes, ties included.
    """
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

    if type(model) not in (RandomForestClassifier, ExtraTreesClassifier):
        return model
    if getattr(model, "n_outputs_", 1) != 1:
        return model
    made: list[Any] = []

    def predict_proba(rows: Any) -> Any:
        if rows is not X:  # not the rows it was made for: ask the forest itself
            return model.predict_proba(rows)
        if not made:
            made.append(model.predict_proba(X))  # (n_rows, n_classes)
        return made[0]

    def predict(rows: Any) -> Any:
        return model.classes_.take(np.argmax(predict_proba(rows), axis=1), axis=0)

    return _stand_in(model, {"predict": predict, "predict_proba": predict_proba})


def answered_once(model: Any, X: Any) -> Any:
    """A stand-in answering each of *model*'s responses on *X* from one call (a forest's
    ``predict`` and ``predict_proba`` from one pass: :func:`proba_once`); other rows are
    asked of the model itself.

    scikit-learn's scoring with several metrics already asks once per response within
    one call; this lets metrics scored outside that call (a run's precision, recall and
    F1 from one ``precision_recall_fscore_support``) reuse the same predictions.
    """
    asked = proba_once(model, X)
    made: dict[str, Any] = {}

    def answering(name: str) -> Callable[[Any], Any]:
        def answer(rows: Any) -> Any:
            if rows is not X:
                return getattr(asked, name)(rows)
            if name not in made:
                made[name] = getattr(asked, name)(X)
            return made[name]

        return answer

    return _stand_in(model, {n: answering(n) for n in RESPONSES if hasattr(model, n)})
