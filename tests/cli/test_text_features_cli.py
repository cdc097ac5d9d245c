"""``--text-features`` on the command line: run and tinker take it; bad values exit 2."""

from __future__ import annotations

import json

import tinkerlab as tl


def reviews_slice():
    return tl.load("reviews").frame.head(240).drop(columns=["product", "split"])


def test_cli_run_and_tinker_take_text_features(cli, tmp_path):
    data_file = tmp_path / "reviews.csv"
    reviews_slice().to_csv(data_file, index=False)
    common = [str(data_file), "--target", "score", "--text", "review"]
    ran = cli(
        "run",
        *common,
        "--model",
        "logistic_regression",
        "--text-features",
        "vader",
        "--json",
        "--no-record",
    )
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["recipe"]["preprocessing"]["text_features"] == "vader"
    bad = cli("run", *common, "--text-features", "bert", "--no-record")
    assert bad.code == 2
    assert (
        "--text-features option of tinkerlab run must be one of 'tfidf', 'minilm', 'vader'"
        in bad.message
    )
    no_text = cli("run", "iris", "--text-features", "minilm", "--no-record")
    assert no_text.code == 2
    assert "Fix: name one with --text COLUMN" in no_text.message


def test_missing_extra_in_the_cli_is_exit_2_with_the_install_line(cli, monkeypatch):
    from tinkerlab.pretrained import _registry

    monkeypatch.setattr(_registry, "find_spec", lambda name: None)
    result = cli(
        "tinker",
        "reviews",
        "--knob",
        "text_features",
        "--values",
        "tfidf,minilm",
        "--no-predict",
        "--no-record",
    )
    assert result.code == 2
    assert "pip install 'tinkerlab[text]'" in result.message  # exit 2, no traceback
