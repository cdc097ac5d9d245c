"""The autocompleter: train a tiny GPT-2, save it, reload it through the loader, generate."""

from __future__ import annotations

import json
import math
import os

import pytest

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained import (
    TrainSettings,
    evaluate,
    generate,
    load_causal_lm,
    train_autocomplete,
)
from tinkerlab.pretrained._autocomplete import TRAINING_FILE, read_text, split_text


def test_training_saves_a_standard_directory_without_pickle(tiny, trained):
    result, out = trained
    files = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", TRAINING_FILE} <= files
    assert not {f for f in files if f.endswith((".bin", ".pkl", ".pt", ".pickle"))}
    config = json.loads((out / "config.json").read_text())
    assert config["architectures"] == ["GPT2LMHeadModel"]
    assert (config["n_layer"], config["n_head"], config["n_embd"]) == (2, 2, 32)
    assert config["n_positions"] == tiny["block_size"]
    record = json.loads((out / TRAINING_FILE).read_text())
    assert record["val_loss"] == pytest.approx(result.val_loss)
    assert record["source"]["file"] == "notes.txt"


def test_training_lowers_the_validation_loss(tiny, trained):
    result, _ = trained
    assert result.steps == tiny["steps"]
    # An untrained model is about as unsure as a uniform guess over its vocabulary.
    assert result.val_loss_before == pytest.approx(math.log(tiny["vocab_size"]), rel=0.2)
    assert result.val_loss < result.val_loss_before
    assert result.perplexity == pytest.approx(math.exp(result.val_loss))
    assert result.parameters > 0
    assert result.train_blocks > result.val_blocks > 0


def test_the_reloaded_model_scores_the_validation_text_as_reported(tiny, trained, text_file):
    result, out = trained
    lm = load_causal_lm(out)
    _, validation = split_text(read_text(text_file), TrainSettings().val_fraction)
    # Same weights, same tokenizer, same windows: the loss the training reported.
    assert evaluate(lm, validation, tiny["block_size"]) == pytest.approx(result.val_loss, rel=1e-5)
    assert lm.context == tiny["block_size"]


def test_generation_is_deterministic_with_a_seed(trained):
    _, out = trained
    lm = load_causal_lm(out)
    first = generate(lm, "the support team", seed=3, max_new_tokens=8, num=2)
    again = generate(lm, "the support team", seed=3, max_new_tokens=8, num=2)
    assert first == again
    assert len(first) == 2
    assert all(isinstance(text, str) and text for text in first)
    greedy = generate(lm, "the support team", temperature=0, max_new_tokens=8)
    assert greedy == generate(lm, "the support team", temperature=0, max_new_tokens=8, seed=99)


def test_a_long_prompt_is_cut_to_fit_the_context(trained, make_corpus):
    _, out = trained
    lm = load_causal_lm(out)
    long_prompt = make_corpus(10)  # far more than 16 tokens
    (completion,) = generate(lm, long_prompt, max_new_tokens=4, seed=0)
    assert isinstance(completion, str)
    with pytest.raises(InputError, match="at most 16 tokens"):
        generate(lm, "the team", max_new_tokens=16)


def test_training_is_reproducible_with_a_seed(tiny, tmp_path, text_file, trained):
    result, _ = trained
    again = train_autocomplete(text_file, tmp_path / "again", TrainSettings(**tiny))
    assert again.val_loss == pytest.approx(result.val_loss, rel=1e-6)


def test_the_loader_takes_another_causal_architecture(tmp_path, trained):
    """Any Hugging Face causal LM directory loads the same way (here a tiny Llama)."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    _, out = trained
    tokenizer = AutoTokenizer.from_pretrained(out, local_files_only=True)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=32,
    )
    llama = tmp_path / "llama"
    LlamaForCausalLM(config).save_pretrained(llama)
    tokenizer.save_pretrained(llama)
    lm = load_causal_lm(llama)
    assert type(lm.model).__name__ == "LlamaForCausalLM"
    assert lm.context == 32
    assert generate(lm, "the shop", seed=1, max_new_tokens=5) == generate(
        lm, "the shop", seed=1, max_new_tokens=5
    )


def test_loading_keeps_hugging_face_offline(trained):
    _, out = trained
    load_causal_lm(out)
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


# %% bad input


def test_empty_text_is_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ", encoding="utf-8")
    with pytest.raises(InputError, match="holds no text"):
        train_autocomplete(empty, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_text_too_short_for_one_block_is_refused(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("the team answered the order today.\n" * 3, encoding="utf-8")
    with pytest.raises(InputError, match=r"too short.*block_size=64.*--block-size 16"):
        train_autocomplete(short, tmp_path / "out")


def test_binary_file_is_refused(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        train_autocomplete(binary, tmp_path / "out")


def test_settings_out_of_range_name_the_option(tmp_path, text_file):
    with pytest.raises(InputError, match=r"multiple of n_head \(--heads\).*Fix: --embd"):
        train_autocomplete(text_file, tmp_path / "out", TrainSettings(n_embd=30, n_head=4))
    with pytest.raises(InputError, match=r"block_size \(--block-size\) must be"):
        train_autocomplete(text_file, tmp_path / "out", TrainSettings(block_size=0))


def test_an_existing_output_directory_needs_overwrite(tiny, tmp_path, text_file):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="--force"):
        train_autocomplete(text_file, out, TrainSettings(**tiny))
    assert (out / "keep.txt").read_text() == "mine"


def test_a_model_that_is_not_a_causal_lm_is_refused(tmp_path):
    encoder = tmp_path / "bert"
    encoder.mkdir()
    (encoder / "config.json").write_text(
        json.dumps({"model_type": "bert", "architectures": ["BertModel"]})
    )
    with pytest.raises(InputError, match=r"BertModel, which is not a causal language model"):
        load_causal_lm(encoder)
    vision = tmp_path / "vit"
    vision.mkdir()
    (vision / "config.json").write_text(json.dumps({"model_type": "vit"}))
    with pytest.raises(InputError, match="not a causal language model"):
        load_causal_lm(vision)


def test_a_directory_without_a_model_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"no readable config\.json"):
        load_causal_lm(tmp_path)
    with pytest.raises(InputError, match="No model directory"):
        load_causal_lm(tmp_path / "missing")


def test_empty_prompt_and_bad_sampling_settings(trained):
    _, out = trained
    lm = load_causal_lm(out)
    with pytest.raises(InputError, match="prompt is empty"):
        generate(lm, "   ")
    with pytest.raises(InputError, match="top_k=-1"):
        generate(lm, "the", top_k=-1)
