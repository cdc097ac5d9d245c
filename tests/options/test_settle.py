"""settle(): one check of every option, with errors written for the surface in use."""

from __future__ import annotations

import pytest

from tinkerlab.exceptions import InputError
from tinkerlab.options import (
    ByteSize,
    Choices,
    Interval,
    InvalidValueError,
    Items,
    KnobValues,
    Span,
    settle,
    speaking,
    spell,
    suggest,
)


def error(command, given, *, kind="python", text=False):
    with speaking(kind, command), pytest.raises(InputError) as caught:
        settle(command, given, text=text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("rule", "good", "bad"),
    [
        (Interval("int", 2, 50), [2, 50, 7], [1, 51, 2.5, True, "3", float("nan")]),
        (Interval("float", 0, 1, closed="neither"), [0.5, 1e-9], [0, 1, float("inf")]),
        (Interval("float", 0, 1, closed="left"), [0.0, 0.99], [1.0]),
        (Choices("linear", "log"), ["log"], ["LOG", "cubic", None]),
        (Items(Choices("a", "b")), [["a"], ("a", "b"), "a,b"], [[], ["c"], {"a": 1}]),
        (Span(), [(1, 20), "0.001:10"], [(3, 1), "a:b", "5", (1, float("inf"))]),
        (ByteSize(), [1, "500M", "2g"], [0, -1, "lots", True]),
        (KnobValues(), [{"max_depth": 8}], [["max_depth=8"], {"": 1}]),
    ],
)
def test_rules_accept_and_refuse(rule, good, bad):
    for value in good:
        rule.check(value)
    for value in bad:
        with pytest.raises(InvalidValueError):
            rule.check(value)


def test_text_is_parsed_by_the_rule():
    assert Interval("int", 2, 50).parse("7") == 7
    assert Choices("linear", "log").parse(" Log ") == "log"
    assert ByteSize().parse("1.5K") == 1536
    assert Span().parse("1:20") == (1, 20)
    assert Items(Interval("int", 1, 9)).parse("1, 3,5") == [1, 3, 5]
    assert KnobValues().parse_each(["max_depth=8", "criterion = gini"]) == {
        "max_depth": "8",
        "criterion": "gini",
    }
    with pytest.raises(InvalidValueError):
        KnobValues().parse_each(["max_depth"])


def test_a_bad_value_names_option_value_and_fix_per_surface():
    given = {"dataset": "iris", "test_size": "2"}
    assert error("run", given, kind="cli", text=True) == (
        "The --test-size option of tinkerlab run must be a float in the range [0.05, 0.5]. "
        "Got 2 instead. Fix: --test-size 0.2"
    )
    python = error("run", {"dataset": "iris", "test_size": 2.0})
    assert "The test_size option of tl.run" in python
    assert python.endswith("Fix: test_size=0.2")
    web = error("run", given, kind="web", text=True)
    assert web.startswith("The Test size option of the run page")
    assert web.endswith("Fix: Test size: 0.2")


def test_typed_text_that_is_no_number_is_quoted():
    message = error("run", {"dataset": "iris", "cv": "abc"}, kind="cli", text=True)
    assert "Got 'abc' instead. Fix: --cv 5" in message


def test_an_unknown_option_suggests_the_closest():
    message = error("run", {"dataset": "iris", "test_sise": 0.3})
    assert "tl.run has no option test_sise. Did you mean test_size?" in message
    assert "json" not in message  # a command-line-only option is not offered in Python


def test_options_that_exclude_each_other():
    message = error(
        "tinker",
        {"dataset": "iris", "knob": "k", "values": "1,2", "span": "1:3"},
        kind="cli",
        text=True,
    )
    assert message.startswith("--values and --range cannot go together")
    assert message.endswith("Fix: keep one of --values 1,2 and --range 1:3.")
    message = error("tinker", {"resume": 4, "knob": "max_depth"}, kind="cli", text=True)
    assert "--resume and --knob cannot go together" in message


def test_an_option_that_needs_another():
    message = error("tinker", {"dataset": "iris", "knob": "k", "force": True})
    assert message.startswith("force only applies with resume")
    assert "Fix: add resume=4" in message


def test_a_missing_dataset_suggests_a_whole_command():
    message = error("tinker", {"knob": "max_depth"}, kind="cli", text=True)
    assert message == (
        "tinkerlab tinker needs DATASET: what to change, on which data. "
        "Fix: tinkerlab tinker titanic --knob max_depth, or --resume 4"
    )


def test_defaults_do_not_count_as_given():
    settings = settle("run", {"dataset": "iris", "record": True, "cv": 5})
    assert settings.given == {"dataset"}


def test_fixes_quote_words_for_the_shell():
    with speaking("cli", "run"):
        assert spell("categorical", ["Marriage Rating (1-5)"]) == (
            "--categorical 'Marriage Rating (1-5)'"
        )
        assert spell("drop", ["a", "b c"]) == "--drop a --drop 'b c'"
        assert suggest("run", "my data.csv", ("target", "price")) == (
            "tinkerlab run 'my data.csv' --target price"
        )
        assert spell("fast", False) == "--no-fast"
        assert spell("params", {"max_depth": 8, "criterion": "gini"}) == (
            "--set max_depth=8 --set criterion=gini"
        )
    assert spell("categorical", ["Marriage Rating (1-5)"]) == (
        "categorical=['Marriage Rating (1-5)']"
    )
    assert suggest("tinker", "iris", ("model", "knn")) == "tl.tinker('iris', model='knn')"
