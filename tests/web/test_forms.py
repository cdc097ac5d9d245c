"""Forms drawn from the declared options, and posted forms settled exactly like the CLI."""

from __future__ import annotations

import re
from typing import Any

import pytest
from lab_helpers import csrf_of
from starlette.datastructures import MultiDict

from tinkerlab.options import Interval, options_for, settle, speaking
from tinkerlab.web._choices import Choices
from tinkerlab.web._forms import NOT_OFFERED, form_fields, given_from_form, knob_fields, knob_texts


@pytest.mark.parametrize("command", ["run", "tinker", "compare", "search"])
def test_every_web_option_has_a_form_field(client: Any, command: str) -> None:
    """The form lists every option the declarations give the web, and nothing else."""
    page = client.get(f"/{command}?dataset=iris")
    assert page.status_code == 200
    form = page.text[page.text.index('<form method="post"') :]
    lab_only = {"csrf_token", "prediction_why"}  # the sentence kept with a prediction
    names = set(re.findall(r'name="([a-z_]+)"', form)) - lab_only
    declared = {o.name for o in options_for(command, "web")} - {"params", "knobs"}
    assert names == declared - NOT_OFFERED.get(command, frozenset())


def test_bounded_numbers_are_sliders_on_their_scale(tmp_path: Any) -> None:
    groups = dict(form_fields("run", {}, Choices(tmp_path)))
    fields = {f.name: f for fs in groups.values() for f in fs}
    test_size = fields["test_size"]
    rule = options_for("run")[[o.name for o in options_for("run")].index("test_size")].rule
    assert isinstance(rule, Interval)
    assert (test_size.control, test_size.low, test_size.high) == ("range", rule.low, rule.high)
    assert fields["seed"].kind == "int"
    assert fields["task"].control == "select"
    assert [v for v, _ in fields["task"].choices] == ["classification", "regression"]


def test_knob_sliders_follow_the_registry() -> None:
    from tinkerlab.recipe import MODELS

    knobs = {k.name: k for k in knob_fields(MODELS["knn"].knobs)}
    spec = MODELS["knn"].knob("n_neighbors")
    assert knobs["n_neighbors"].scale == spec.scale == "log"
    assert (knobs["n_neighbors"].low, knobs["n_neighbors"].high) == (spec.low, spec.high)
    assert knobs["weights"].control == "select"
    tree = {k.name: k for k in knob_fields(MODELS["decision_tree"].knobs)}
    assert "none" in tree["max_depth"].specials  # max_depth=None is a tick box


def test_knob_values_equal_to_the_default_are_not_sent() -> None:
    from tinkerlab.recipe import MODELS

    form = MultiDict([("knob.n_neighbors", "5"), ("knob.weights", "distance")])
    posted, words = knob_texts(form, MODELS["knn"].knobs)
    assert posted == {"n_neighbors": "5", "weights": "distance"}
    assert words == ["weights=distance"]
    tree = MODELS["decision_tree"].knobs
    ticked = MultiDict([("knob.max_depth", "12"), ("knob.max_depth", "none")])
    assert knob_texts(ticked, tree) == ({"max_depth": "none"}, [])  # none is its default
    assert knob_texts(MultiDict([("knob.max_depth", "12")]), tree)[1] == ["max_depth=12"]


def test_a_posted_form_settles_like_the_same_typed_flags() -> None:
    """The lab and the CLI cannot disagree: the same text gives the same Settings."""
    form = MultiDict(
        [
            ("dataset", "titanic"),
            ("model", "knn"),
            ("cv", "3"),
            ("test_size", "0.25"),
            ("drop", "age"),
            ("drop", "sex"),
            ("record", "false"),
            ("record", "true"),
        ]
    )
    given = given_from_form("run", form)
    assert given["drop"] == ["age", "sex"]
    assert given["record"] == "true"  # the ticked box comes after the hidden "false"
    from_form = settle("run", given, text=True)
    typed = {"dataset": "titanic", "model": "knn", "cv": "3", "test_size": "0.25"}
    from_cli = settle("run", {**typed, "drop": ["age", "sex"]}, text=True)
    assert from_form.to_dict() == from_cli.to_dict()


def test_a_bad_value_reads_as_a_form_fix(client: Any) -> None:
    token = csrf_of(client, "/run")
    answer = client.post("/run", data={"csrf_token": token, "dataset": "iris", "test_size": "0.9"})
    assert answer.status_code == 422
    assert "The Test size option of the run page must be a float in the range [0.05, 0.5]" in (
        answer.text
    )
    assert "Fix: Test size: 0.2" in answer.text
    with speaking("cli", "run"), pytest.raises(Exception, match=r"--test-size 0\.2"):
        settle("run", {"dataset": "iris", "test_size": "0.9"}, text=True)


def test_a_bad_knob_value_shows_on_the_form_at_once(client: Any) -> None:
    token = csrf_of(client, "/run")
    answer = client.post(
        "/run",
        data={"csrf_token": token, "dataset": "iris", "model": "knn", "knob.n_neighbors": "0"},
    )
    assert answer.status_code == 422
    assert "n_neighbors" in answer.text
    assert "Knob values: n_neighbors=5" in answer.text  # the fix, as the form names it


def test_the_form_redraws_for_another_dataset(client: Any) -> None:
    """htmx asks for the form again when the dataset changes: the columns follow."""
    page = client.get("/run/form?dataset=penguins&model=decision_tree")
    assert page.status_code == 200
    assert 'value="flipper_length_mm"' in page.text or "flipper" in page.text
    assert 'name="knob.max_depth"' in page.text
    assert "<html" not in page.text  # a fragment, not a page


def test_a_dataset_that_is_neither_built_in_nor_uploaded_is_refused(client: Any) -> None:
    """A form never reads a path the browser names (a shared lab would leak files)."""
    token = csrf_of(client, "/run")
    answer = client.post("/run", data={"csrf_token": token, "dataset": "/etc/passwd"})
    assert answer.status_code == 422
    assert "neither a built-in dataset nor an upload" in answer.text
