"""``tinkerlab tinker`` and ``tinkerlab journal predictions`` from the command line."""

from __future__ import annotations

import io
import json
import shutil
import socket
from pathlib import Path

import pytest

from tinkerlab.journal import Journal

SMALL = [
    "iris",
    "--model",
    "knn",
    "--knob",
    "n_neighbors",
    "--values",
    "1,5,61",
    "--repeats",
    "1",
    "--jobs",
    "1",
]


def test_a_sweep_prints_the_table_verdict_and_scored_prediction(cli):
    result = cli("tinker", *SMALL, "--predict", "down", "--predict-best", "5")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "Experiment #1 · n_neighbors on iris (knn) · accuracy (higher is better) · 1×5" in out
    assert "CV mean ± std" in out
    assert "Best: n_neighbors =" in out
    assert "corrected resampled t-test (Nadeau & Bengio 2003)" in out
    assert "Shape:" in out
    assert "Prediction: you predicted down" in out
    plot = next(line for line in result.out.splitlines() if "plot:" in line).split("plot:")[1]
    assert Path(plot.strip()).read_bytes().startswith(b"\x89PNG")


def test_the_fast_path_is_named_and_no_fast_gives_the_same_scores(cli):
    fast = cli("tinker", *SMALL, "--no-predict", "--json", "--no-record")
    naive = cli("tinker", *SMALL, "--no-predict", "--json", "--no-record", "--no-fast")
    assert fast.code == naive.code == 0, fast.err + naive.err
    fast_data, naive_data = json.loads(fast.out), json.loads(naive.out)
    assert any(n.startswith("Fast exact path: one neighbour query") for n in fast_data["notices"])
    assert not any(n.startswith("Fast exact path") for n in naive_data["notices"])
    for a, b in zip(fast_data["points"], naive_data["points"], strict=True):
        assert (a["train_mean"], a["cv_mean"], a["cv_std"]) == (
            b["train_mean"],
            b["cv_mean"],
            b["cv_std"],
        )


def test_json_for_scripts(cli):
    result = cli("tinker", *SMALL, "--no-predict", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["knob"] == "n_neighbors"
    assert [p["value"] for p in data["points"]] == [1, 5, 61]
    assert data["method"] == "corrected resampled t-test (Nadeau & Bengio 2003)"
    assert data["prediction"] is None
    assert data["status"] == "finished"
    assert data["folds"] == 5


def test_the_prompt_asks_before_running_in_a_terminal(cli, monkeypatch):
    from tinkerlab.cli import _tinker

    monkeypatch.setattr(_tinker, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("sideways\npeak\nlots\n5\n"))
    result = cli("tinker", *SMALL)
    assert result.code == 0, result.err
    assert "what will the validation score do as n_neighbors grows from 1 to 61?" in result.err
    assert "Please answer one of up, down, peak, valley, flat" in result.err
    assert "is a number" in " ".join(result.err.split())  # "lots" was asked again
    assert "Prediction: you predicted peak" in " ".join(result.out.split())
    with Journal() as journal:
        [prediction] = journal.predictions()
    assert (prediction.shape, prediction.best_value) == ("peak", 5)
    assert prediction.scored_at is not None


def test_no_prompt_with_no_predict_or_outside_a_terminal(cli, monkeypatch):
    from tinkerlab.cli import _tinker

    monkeypatch.setattr(_tinker, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # any read would fail the test
    assert cli("tinker", *SMALL, "--no-predict").code == 0
    monkeypatch.setattr(_tinker, "_interactive", lambda: False)
    assert cli("tinker", *SMALL).code == 0
    with Journal() as journal:
        assert journal.predictions() == []


def test_prediction_record_and_experiment_list(cli):
    assert cli("tinker", *SMALL, "--predict", "down", "--predict-score", "0.9").code == 0
    assert (
        cli(
            "tinker",
            "iris",
            "--model",
            "knn",
            "--knob",
            "weights",
            "--repeats",
            "1",
            "--jobs",
            "1",
            "--predict",
            "flat",
            "--predict-best",
            "uniform",
        ).code
        == 0
    )
    text = cli("journal", "predictions")
    assert text.code == 0, text.err
    out = " ".join(text.out.split())
    assert "2 predictions" in out
    assert "Per knob kind" in out
    assert "Score guesses (calibration)" in out
    assert "Latest predictions" in out
    data = json.loads(cli("journal", "predictions", "--json").out)
    assert data["predictions"] == 2
    assert data["per_knob_kind"]["param"]["predictions"] == 2
    assert data["score"]["guesses"] == 1
    assert [e["knob"] for e in data["entries"]] == ["n_neighbors", "weights"]
    listed = cli("journal", "experiments")
    assert listed.code == 0
    assert "weights" in listed.out
    assert "finished" in listed.out
    assert [e["knob"] for e in json.loads(cli("journal", "experiments", "--json").out)] == [
        "weights",
        "n_neighbors",
    ]


def test_an_empty_prediction_record(cli):
    result = cli("journal", "predictions")
    assert result.code == 0
    assert "No predictions yet" in result.out


def test_resume_a_finished_experiment_fits_nothing(cli):
    assert cli("tinker", *SMALL, "--no-predict").code == 0
    again = cli("tinker", "--resume", "1", "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["status"] == "finished"


# --- bad input: exit 2, one paragraph, and the journal exactly as it was --------------------


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory):
    """A home holding one finished experiment, made once and copied into each test."""
    home = tmp_path_factory.mktemp("seeded") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(home))
        from tinkerlab import _api

        _api.tinker("iris", "n_neighbors", [1, 5], model="knn", repeats=1, n_jobs=1)
    return home


@pytest.fixture
def bad(cli, seeded_home, tinkerlab_home):
    shutil.copytree(seeded_home, tinkerlab_home)

    def snapshot():
        with Journal() as journal:
            state = (
                journal.count_runs(),
                [(e.id, e.status, e.n_points) for e in journal.list_experiments(None)],
                len(journal.predictions()),
            )
        files = sorted(str(p) for p in tinkerlab_home.rglob("*") if "journal.sqlite" not in p.name)
        return state, files

    def invoke(*args):
        before = snapshot()
        result = cli(*args)
        assert result.code == 2, f"exit {result.code}: {result.err}{result.out}"
        assert "Traceback" not in result.err + result.out
        assert result.message.startswith("Error:")
        assert snapshot() == before, "bad input must leave the journal untouched"
        return result.message

    return invoke


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{s.getsockname()[1]}"


def test_unknown_knob_lists_the_valid_ones(bad):
    message = bad("tinker", "iris", "--model", "knn", "--knob", "n_neighbours")
    assert "'n_neighbours' is not a knob of knn, the model chosen. Did you mean 'n_neighbors'?" in (
        message
    )
    assert "n_neighbors, weights, p, train_size, features, model, seed, label_noise" in message
    assert message.endswith("Fix: --knob n_neighbors")


def test_values_out_of_range_say_the_range(bad):
    message = bad("tinker", "iris", "--model", "knn", "--knob", "n_neighbors", "--values", "0,5")
    assert "must be an int in [1, 10000]. Got 0 instead" in message
    message = bad("tinker", "iris", "--knob", "train_size", "--range", "0:1")
    assert "must be a number in (0, 1]" in message


def test_a_knob_that_does_not_apply(bad):
    message = bad("tinker", "iris", "--model", "knn", "--knob", "seed")
    assert "seed knob does not apply to k-nearest neighbours" in message
    message = bad("tinker", "iris", "--model", "knn", "--knob", "max_depth")
    assert "'max_depth' is a knob of decision_tree" in message
    assert message.endswith("Fix: --model decision_tree --knob max_depth")


def test_a_sweep_of_one_value(bad):
    message = bad("tinker", "iris", "--model", "knn", "--knob", "n_neighbors", "--values", "5")
    assert "needs at least two values of 'n_neighbors'" in message


def test_an_unreachable_cluster(bad):
    address = closed_port()
    message = bad("tinker", *SMALL, "--no-predict", "--cluster", address)
    assert f"Cannot reach the Dask cluster at '{address}'" in message


def test_bad_predictions_and_options(bad):
    wobbly = bad("tinker", *SMALL, "--predict", "wobbly")
    assert "--predict option of tinkerlab tinker must be one of 'up', 'down', 'peak'" in wobbly
    assert wobbly.endswith("Got 'wobbly' instead. Fix: --predict peak")
    assert "contradict" in bad("tinker", *SMALL, "--predict", "up", "--no-predict")
    assert "--scale must be linear or log" in bad("tinker", *SMALL, "--scale", "cubic")
    assert "cannot also be fixed" in bad("tinker", *SMALL, "--set", "n_neighbors=3")
    assert "Name a dataset and a knob" in bad("tinker", "iris")


def test_bad_resume(bad):
    assert "No experiment with id 99" in bad("tinker", "--resume", "99")
    both = bad("tinker", "iris", "--resume", "1")
    assert "--resume and DATASET cannot go together: a resumed experiment keeps its own" in both
