"""``tinkerlab finetune``: full fine-tuning on a tiny slice, and bad input exiting 2."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

TINY = ("--max-rows", "40", "--max-steps", "1", "--max-length", "32", "--epochs", "1")


def test_full_finetuning_prints_the_estimate_and_saves_a_servable_directory(cli, tmp_path):
    out = tmp_path / "ft"
    result = cli("finetune", "reviews", "--method", "full", *TINY, "--out", str(out), "--json")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["method"] == "full"
    assert body["estimate_seconds"] > 0
    assert body["classes"] == ["great", "other"]
    assert body["history"][0]["steps"] == 1
    assert "one step took" in result.message
    assert (out / "tinkerlab-finetune.json").is_file()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--text", "reviw"), "Did you mean 'review'"),
        (("--method", "full", "--label", "product", "--max-rows", "40"), "Too few rows"),
        (("--method", "full", "--epochs", "0"), "epochs (--epochs) must be"),
        (("--method", "full", "--learning-rate", "3"), "learning_rate"),
        (
            (
                "--epochs",
                "2",
            ),
            "only apply to --method full",
        ),
        (
            (
                "--method",
                "tiny",
            ),
            "--method must be head or full",
        ),
        (("--text", "score", "--label", "score"), "both 'score'"),
    ],
)
def test_bad_input_exits_2_with_the_fix(cli, args, words, tmp_path):
    result = cli("finetune", "reviews", *args, "--out", str(tmp_path / "x"))
    assert result.code == 2, result.err
    assert words in result.message


def test_an_existing_out_is_refused_before_training(cli, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    result = cli("finetune", "reviews", "--out", str(tmp_path / "taken"))
    assert result.code == 2
    assert "already exists" in result.message
