"""Schema inference rules and task inference, one behaviour per test."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tinkerlab.data import dataset_info, infer_schema, infer_task, load, read_source
from tinkerlab.data._readers import builtin_source
from tinkerlab.exceptions import SchemaError
from tinkerlab.options import Surface, speaking

N = 40


def roles(frame: pd.DataFrame, target: str | None = None, **overrides: Any) -> dict[str, str]:
    return {name: info.role for name, info in infer_schema(frame, target, **overrides).items()}


def test_numbers_categories_and_booleans() -> None:
    frame = pd.DataFrame(
        {
            "height": np.linspace(1.5, 2.0, N),
            "rooms": np.arange(N) % 4 + 1,
            "color": ["red", "green", "blue", "red"] * (N // 4),
            "member": [True, False] * (N // 2),
            "grade": pd.Categorical(["a", "b"] * (N // 2)),
        }
    )
    assert roles(frame) == {
        "height": "numeric",
        "rooms": "numeric",
        "color": "categorical",
        "member": "categorical",
        "grade": "categorical",
    }
    info = infer_schema(frame)
    assert "categorical=['rooms']" in info["rooms"].reason
    assert info["color"].n_unique == 3
    assert info["height"].dtype == "float64"


def test_constant_columns() -> None:
    frame = pd.DataFrame(
        {"same": ["x"] * N, "empty": [None] * N, "almost": ["y"] + [None] * (N - 1)}
    )
    info = infer_schema(frame)
    assert {name: c.role for name, c in info.items()} == dict.fromkeys(frame, "constant")
    assert info["empty"].reason == "every value is missing"
    assert "apart from 39 empty cells" in info["almost"].reason
    assert info["empty"].n_missing == N


@pytest.mark.parametrize("name", ["id", "ID", "uuid", "customer_id", "PassengerId", "rownames",
                                  "Unnamed: 0", "order-id"])  # fmt: skip
def test_id_by_name(name: str) -> None:
    frame = pd.DataFrame({name: [f"k{i * 7}" for i in range(5)], "x": [1.0, 2.0, 3.0, 4.0, 5.5]})
    assert roles(frame)[name] == "id"


def test_names_that_only_end_in_id_letters_are_not_ids() -> None:
    frame = pd.DataFrame({"paid": np.arange(5) * 1.5, "valid": ["a", "b", "c", "d", "e"]})
    assert roles(frame) == {"paid": "numeric", "valid": "categorical"}


def test_id_by_values() -> None:
    frame = pd.DataFrame(
        {
            "row": np.arange(1, N + 1),  # 1..40
            "ticket": np.cumsum(np.arange(N) % 5 + 3),  # distinct and increasing
            "code": [f"B{i:05d}X" for i in range(N)],  # distinct short strings
            "income": np.array([7, 3, 9, 1, 8] * (N // 5)) * 1000 + np.arange(N),  # not ordered
        }
    )
    info = infer_schema(frame)
    assert info["row"].role == "id"
    assert "counting from 1 to 40" in info["row"].reason
    assert info["ticket"].role == "id"
    assert "increasing" in info["ticket"].reason
    assert info["code"].role == "id"
    assert info["income"].role == "numeric"


def test_few_rows_are_not_taken_for_ids() -> None:
    frame = pd.DataFrame({"n": [1, 2, 3], "word": ["a", "b", "c"]})
    assert roles(frame) == {"n": "numeric", "word": "categorical"}


def test_text_columns() -> None:
    sentences = [f"review number {i} says the food was {'good' if i % 2 else 'bad'} indeed"
                 for i in range(N)]  # fmt: skip
    frame = pd.DataFrame({"review": sentences, "label": ["a", "b"] * (N // 2)})
    info = infer_schema(frame, "label")
    assert info["review"].role == "text"
    assert "words per value" in info["review"].reason
    assert info["label"].role == "target"


def test_repeated_long_strings_are_categories_not_text() -> None:
    long = ["a rather long description of the first kind of product, repeated",
            "another rather long description for a second kind of product"]  # fmt: skip
    frame = pd.DataFrame({"desc": long * (N // 2)})
    assert roles(frame) == {"desc": "categorical"}


@pytest.mark.parametrize(
    "values",
    [
        [f"2021-{m:02d}-{d:02d}" for m in range(1, 5) for d in range(1, 11)],
        [f"{d:02d}/{m:02d}/2020 10:3{d % 10}" for m in range(1, 5) for d in range(1, 11)],
        [f"2021-03-{d:02d}T12:00:00Z" for d in range(1, 29)] + ["2021-04-01T00:00:00Z"] * 12,
    ],
)
def test_date_strings(values: list[str]) -> None:
    frame = pd.DataFrame({"when": values})
    info = infer_schema(frame)
    assert info["when"].role == "datetime", info["when"].reason


def test_datetime_dtype() -> None:
    frame = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=N, freq="h").repeat(1)})
    frame.loc[3, "when"] = frame.loc[2, "when"]  # not all distinct, so not an id
    assert roles(frame) == {"when": "datetime"}


def test_version_like_strings_are_not_dates() -> None:
    frame = pd.DataFrame({"version": ["v1.2", "v1.3", "v2.0", "v1.2"] * 10})
    assert roles(frame) == {"version": "categorical"}


def test_overrides_win() -> None:
    frame = pd.DataFrame(
        {"id": np.arange(N), "code": [f"c{i}" for i in range(N)], "x": np.arange(N) % 3}
    )
    got = roles(frame, drop=["x"], numeric=["id"], categorical="code")
    assert got == {"id": "numeric", "code": "categorical", "x": "ignored"}
    info = infer_schema(frame, drop=["x"])
    assert info["x"].reason == "dropped by you (drop)"


def test_catalog_roles_and_user_flags() -> None:
    frame = pd.DataFrame({"a": ["p", "q"] * 20, "b": np.arange(N) * 0.5})
    assert roles(frame, roles={"a": "ignored"})["a"] == "ignored"
    assert roles(frame, roles={"a": "ignored"}, categorical=["a"])["a"] == "categorical"


def test_infinity_and_mixed_types_raise() -> None:
    with pytest.raises(SchemaError, match="infinite"):
        infer_schema(pd.DataFrame({"x": [1.0, np.inf, 2.0]}))
    mixed = pd.DataFrame({"x": [str(i) for i in range(20)] + ["oops"]})
    with pytest.raises(SchemaError, match="mostly numbers"):
        infer_schema(mixed)


def test_numbers_stored_as_strings_are_categories() -> None:
    frame = pd.DataFrame({"zip": ["02134", "10001", "94105", "02134"] * 10})
    assert roles(frame) == {"zip": "categorical"}


def test_titanic_names_are_inferred_as_ids_without_the_catalog() -> None:
    frame = read_source(builtin_source(dataset_info("titanic")))
    info = infer_schema(frame, "survived")
    assert info["rownames"].role == "id"
    assert info["passengerClass"].role == "categorical"
    assert info["age"].role == "numeric"


def test_reviews_text_is_inferred_without_the_catalog() -> None:
    frame = read_source(builtin_source(dataset_info("reviews")))
    info = infer_schema(frame, "score")
    assert info["review"].role == "text"
    assert info["product"].role == "id"
    assert info["split"].role == "categorical"


# --------------------------------------------------------------------------- task


@pytest.mark.parametrize(
    ("values", "task"),
    [
        (["cat", "dog", "cat"], "classification"),
        ([True, False, True], "classification"),
        ([0, 1, 1, 0, 1, 0], "classification"),
        ([3, 5, 7, 3, 5, 7, 9, 9], "classification"),
        (list(range(100)), "regression"),
        ([0.5, 1.25, 3.0, 0.5], "regression"),
        ([1, 2, 3], "regression"),  # each value once: not classes
        ([i % 30 for i in range(300)], "regression"),  # 30 distinct integers: too many
    ],
)
def test_task_inference(values: list[object], task: str) -> None:
    got, reason = infer_task(pd.Series(values, name="y"))
    assert got == task
    assert reason.startswith("the target holds")


def test_task_asked_for_is_checked() -> None:
    assert infer_task(pd.Series([1, 2, 3, 4]), "classification")[0] == "classification"
    assert infer_task(pd.Series([1, 2, 1, 2]), "regression")[0] == "regression"
    with pytest.raises(SchemaError, match="task='classification'"):
        infer_task(pd.Series(["a", "b"], name="y"), "regression")
    with pytest.raises(SchemaError, match="task='regression'"):
        infer_task(pd.Series(np.linspace(0, 1, 50), name="y"), "classification")


def test_task_notice_for_frames(people: pd.DataFrame) -> None:
    ds = load(people, target="income")
    assert ds.task == "regression"
    assert any(n.startswith("Task: regression, because") for n in ds.notices)
    assert "regression: the target holds" in ds.columns["income"].reason


def test_rare_classes_get_a_notice(people: pd.DataFrame) -> None:
    frame = people.copy()
    frame.loc[0, "bought"] = "maybe"
    ds = load(frame, target="bought")
    assert any("'maybe'" in n and "stratified" in n for n in ds.notices)


# --------------------------------------------------------------------------- wide tables


def wide_frame(n_rows: int = 500, n_columns: int = 10_000) -> pd.DataFrame:
    """Constant, id-like, numeric and categorical columns in turn, and a target."""
    rng = np.random.default_rng(0)
    columns: dict[str, Any] = {}
    for j in range(n_columns):
        kind = j % 10
        if kind == 0:
            columns[f"c{j}"] = np.full(n_rows, 7)  # constant
        elif kind == 1:
            columns[f"c{j}"] = np.arange(n_rows) + j  # counting up: an id
        elif kind < 7:
            columns[f"c{j}"] = rng.normal(size=n_rows).round(3)
        else:
            columns[f"c{j}"] = pd.Series(rng.choice(["a", "b", "c", "d"], size=n_rows), dtype="str")
    columns["y"] = pd.Series(rng.choice(["yes", "no"], size=n_rows), dtype="str")
    return pd.DataFrame(columns)


def test_a_wide_table_gets_one_notice_per_kind(cli: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from tinkerlab.data import _profile

    one_by_one: list[str] = []
    measure = _profile.profile_one
    monkeypatch.setattr(
        _profile, "profile_one", lambda s: one_by_one.append(str(s.name)) or measure(s)
    )
    ds = load(wide_frame(), target="y")
    counts = pd.Series([c.role for c in ds.columns.values()]).value_counts().to_dict()
    assert counts == {"numeric": 5000, "categorical": 3000, "constant": 1000, "id": 1000,
                      "target": 1}  # fmt: skip
    assert one_by_one == []  # every column measured in a block, none through pandas alone
    column_notices = [n for n in ds.notices if not n.startswith("Task:")]
    assert column_notices == [
        "Dropped 1,000 constant columns: 'c0', 'c10', 'c20', … (+997) — each holds a single "
        "value (or none), so it cannot help a model.",
        "Dropped 1,000 columns that look like ids (every value distinct: a row number, a code "
        "or a name): 'c1', 'c11', 'c21', … (+997) — pass --numeric or --categorical with a name "
        "(e.g. --numeric c1) to keep one.",
    ]
    assert (
        ds.columns["c1"].reason
        == "every value is a distinct integer, counting from 1 to 500: a row number or id"
    )
    assert ds.columns["c7"].reason.startswith("4 distinct strings among 500 values, e.g.")


def test_a_few_columns_of_a_kind_keep_their_own_notices() -> None:
    frame = wide_frame(n_rows=40, n_columns=30)  # 3 constant columns, 3 ids
    ds = load(frame, target="y")
    assert sum("Dropped 'c" in n and "same value 7" in n for n in ds.notices) == 3
    assert sum("looks like an id" in n for n in ds.notices) == 3


@pytest.mark.parametrize(
    ("surface", "fix"),
    [
        ("cli", "--drop 'Rating (1-5)'"),  # quoted for the shell, so that pasting it works
        ("python", "drop=['Rating (1-5)']"),
        ("web", "Drop: Rating (1-5)"),  # the form field's label
    ],
)
def test_a_fix_is_written_the_way_the_learner_types_it(surface: Surface, fix: str) -> None:
    frame = pd.DataFrame({"Rating (1-5)": [1.0, np.inf, 2.0]})
    with speaking(surface, "run"), pytest.raises(SchemaError) as caught:
        infer_schema(frame)
    assert fix in str(caught.value)
    assert surface == "cli" or "--" not in str(caught.value)


@pytest.mark.parametrize("surface", ["python", "web"])
def test_notices_name_no_command_line_flag_off_the_command_line(surface: Surface) -> None:
    """Every kind of column notice, on a table that has them all, spelled for Python and
    for the web lab: none names a ``--flag`` the learner cannot type there."""
    with speaking(surface, "run"):
        notices = load(wide_frame(n_rows=40, n_columns=60), target="y").notices
        notices += load(wide_frame(n_rows=40, n_columns=10), target="y").notices
    assert len(notices) > 4
    assert not [n for n in notices if "--" in n]
