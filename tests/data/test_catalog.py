"""The built-in catalog: the manifest, the bundled files, and loading every built-in."""

from __future__ import annotations

import doctest
import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import tinkerlab.data
from tinkerlab.data import dataset_info, file_sha256, list_datasets, load, read_source
from tinkerlab.exceptions import DatasetError

NAMES = [info.name for info in list_datasets()]
EXPECTED = {
    "iris", "penguins", "titanic", "wine", "breast_cancer", "diabetes", "digits",
    "house_prices", "credit", "churn", "diamonds", "reviews", "faces",
}  # fmt: skip


def test_catalog_lists_every_builtin() -> None:
    assert set(NAMES) == EXPECTED
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("name", NAMES)
def test_manifest_entry_is_complete(name: str) -> None:
    info = dataset_info(name)
    for text in (info.title, info.description, info.citation, info.licence):
        assert text.strip()
    for text in (info.source.package, info.source.version, info.source.item):
        assert text.strip()
    assert info.source.url.startswith("http")
    assert info.task in ("classification", "regression")
    assert info.path.is_file()
    assert info.path.name == info.file


@pytest.mark.parametrize("name", NAMES)
def test_bundled_file_matches_its_sha256(name: str) -> None:
    info = dataset_info(name)
    assert file_sha256(info.path) == info.sha256


def test_bundled_files_stay_small() -> None:
    total = sum(info.path.stat().st_size for info in list_datasets())
    assert total < 5 * 1024 * 1024


@pytest.mark.parametrize("name", NAMES)
def test_every_builtin_loads_as_declared(name: str) -> None:
    info = dataset_info(name)
    ds = load(name)
    assert ds.name == name
    assert ds.frame.shape == (info.rows, info.columns)
    assert ds.target == info.target
    assert ds.task == info.task
    assert ds.columns[info.target].role == "target"
    assert list(ds.columns) == list(ds.frame.columns)
    assert ds.features(), "a built-in must have features"
    assert ds.source.kind == "builtin"
    assert ds.source.sha256 == info.sha256
    assert ds.description == info.description
    assert ds.image_shape == info.image_shape


@pytest.mark.parametrize("name", NAMES)
def test_builtin_reading_code_replays_exactly(
    name: str, replay: Callable[..., pd.DataFrame]
) -> None:
    ds = load(name)
    pd.testing.assert_frame_equal(replay(ds.source, ds), ds.frame)
    pd.testing.assert_frame_equal(replay(ds.source), read_source(ds.source))


def test_titanic_keeps_names_as_an_id() -> None:
    ds = load("titanic")
    assert ds.columns["rownames"].role == "id"
    assert "rownames" not in ds.features()
    assert ds.frame["rownames"].iloc[0] == "Allen, Miss. Elisabeth Walton"
    assert set(ds.y.unique()) == {"yes", "no"}
    assert any("rownames" in notice for notice in ds.notices)


def test_reviews_is_a_text_task() -> None:
    ds = load("reviews")
    assert ds.columns["review"].role == "text"
    assert ds.features() == ["review"]
    assert ds.columns["split"].role == "ignored"
    assert set(ds.frame["split"]) == {"train", "test"}
    assert set(ds.y.unique()) == {"great", "other"}


def test_faces_are_625_pixels_and_two_classes() -> None:
    ds = load("faces")
    assert len(ds.features("numeric")) == 625
    assert ds.image_shape == (25, 25)
    assert ds.y.value_counts().to_dict() == {"face": 100, "not_face": 100}
    assert ds.X.to_numpy().min() >= 0.0
    assert ds.X.to_numpy().max() <= 1.0


def test_digits_keep_all_64_pixels_even_constant_ones() -> None:
    ds = load("digits")
    assert len(ds.features()) == 64
    assert ds.image_shape == (8, 8)
    assert ds.frame["pixel_0_0"].nunique() == 1  # a corner pixel that never has ink
    assert sorted(ds.y.unique()) == list(range(10))


@pytest.mark.parametrize(
    ("name", "classes"),
    [
        ("iris", {"setosa", "versicolor", "virginica"}),
        ("breast_cancer", {"malignant", "benign"}),
        ("wine", {"class_0", "class_1", "class_2"}),
        ("credit", {"good", "bad"}),
        ("churn", {"yes", "no"}),
        ("penguins", {"Adelie", "Chinstrap", "Gentoo"}),
    ],
)
def test_class_names_are_readable(name: str, classes: set[str]) -> None:
    assert set(load(name).y.unique()) == classes


def test_r_row_numbers_are_dropped() -> None:
    for name in ("house_prices", "credit", "churn", "diamonds", "reviews"):
        assert "rownames" not in load(name).frame.columns, name


def test_other_target_for_a_builtin_infers_the_task() -> None:
    ds = load("penguins", target="body_mass_g")
    assert ds.task == "regression"
    assert ds.columns["species"].role == "categorical"
    assert any("Task: regression" in notice for notice in ds.notices)


def test_unknown_builtin_suggests_the_closest_and_files() -> None:
    with pytest.raises(DatasetError, match=r"Did you mean 'titanic'\?") as caught:
        dataset_info("titanik")
    assert "iris" in str(caught.value)
    assert "path" in str(caught.value)
    with pytest.raises(DatasetError, match="titanic"):
        load("titanik")


def test_builtins_refuse_file_options() -> None:
    with pytest.raises(DatasetError, match="sep="):
        load("iris", sep=";")


def test_importing_the_package_stays_light() -> None:
    src = str(Path(tinkerlab.data.__file__).parents[2])
    code = (
        "import sys, tinkerlab.data as d; d.list_datasets(); "
        "print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "module",
    [
        "tinkerlab.data._catalog",
        "tinkerlab.data._names",
        "tinkerlab.data._readers",
        "tinkerlab.data._reading",
        "tinkerlab.data._budget",
        "tinkerlab.data._fingerprint",
        "tinkerlab.data._schema",
        "tinkerlab.data._task",
        "tinkerlab.data._notices",
        "tinkerlab.data._load",
        "tinkerlab.data",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
