"""The readable GPT: its attention equals torch's, it learns, it saves safely.

Attention parity tolerance: 1e-5 absolute (float32). Our block computes
``softmax(q k^T / sqrt(d)) v`` step by step; ``scaled_dot_product_attention`` fuses the
same arithmetic in another order, so the outputs agree to float32 rounding, not bit for bit.
"""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from torch.nn import functional as F  # noqa: E402, N812

from tinkerlab.exceptions import ArtifactError, InputError  # noqa: E402
from tinkerlab.scratch import GPT, GPTConfig, load_gpt, sample, save_gpt, train_gpt  # noqa: E402
from tinkerlab.scratch._gpt import CausalSelfAttention  # noqa: E402

ATOL = 1e-5
TEXT = b"the order of the day is to read the code. the order matters.\n" * 40


def _sdpa(attn: CausalSelfAttention, x: torch.Tensor) -> torch.Tensor:
    """The same block through torch's fused attention, on the same weights."""
    B, T, C = x.shape
    q, k, v = attn.c_attn(x).split(C, dim=2)
    heads = [t.view(B, T, attn.n_head, C // attn.n_head).transpose(1, 2) for t in (q, k, v)]
    y = F.scaled_dot_product_attention(*heads, is_causal=True)  # (B, nh, T, hs)
    return attn.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


@pytest.mark.parametrize(("n_head", "T"), [(1, 5), (4, 16), (8, 32)])
def test_attention_matches_scaled_dot_product_attention(n_head, T):
    torch.manual_seed(0)
    attn = CausalSelfAttention(GPTConfig(block_size=32, n_head=n_head, n_embd=64)).eval()
    x = torch.randn(3, T, 64)
    with torch.no_grad():
        torch.testing.assert_close(attn(x), _sdpa(attn, x), atol=ATOL, rtol=0)


def test_attention_never_looks_ahead():
    torch.manual_seed(0)
    model = GPT(GPTConfig(block_size=16, n_layer=2, n_head=2, n_embd=32)).eval()
    idx = torch.randint(256, (1, 16))
    changed = idx.clone()
    changed[0, 10:] = (changed[0, 10:] + 1) % 256  # change the future only
    with torch.no_grad():
        torch.testing.assert_close(model(idx)[:, :10], model(changed)[:, :10], atol=0, rtol=0)


def test_training_lowers_the_loss_and_sampling_continues_the_text():
    config = GPTConfig(block_size=32, n_layer=1, n_head=2, n_embd=32)
    result = train_gpt(TEXT, config, steps=150, batch_size=16, eval_every=50, seed=0)
    first, last = result.curve[0], result.curve[-1]
    assert [row["step"] for row in result.curve] == [50, 100, 150]
    assert last["valid_loss"] < 1.0 < 5.5  # a uniform guess over bytes scores ln 256 = 5.5
    assert last["train_loss"] <= first["train_loss"]
    text = sample(result.model, "the order", max_new_tokens=40, temperature=0.5, top_k=5)
    assert text.startswith("the order")
    assert len(text.encode()) == len("the order") + 40
    assert sample(result.model, "the", 20, seed=3) == sample(result.model, "the", 20, seed=3)


def test_top_k_one_is_greedy():
    torch.manual_seed(0)
    model = GPT(GPTConfig(block_size=8, n_layer=1, n_head=1, n_embd=16)).eval()
    a = sample(model, "ab", 10, temperature=1.0, top_k=1, seed=1)
    b = sample(model, "ab", 10, temperature=1.0, top_k=1, seed=2)
    assert a == b


def test_save_and_load_give_the_same_logits_without_pickle(tmp_path):
    config = GPTConfig(block_size=16, n_layer=1, n_head=2, n_embd=16)
    result = train_gpt(TEXT, config, steps=5, batch_size=4, eval_every=5)
    folder = save_gpt(result, tmp_path / "gpt", "notes.txt")
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.safetensors"]
    model, meta = load_gpt(folder)
    idx = torch.randint(256, (2, 16))
    with torch.no_grad():
        torch.testing.assert_close(model(idx), result.model(idx), atol=0, rtol=0)
    assert meta["curve"] == result.curve
    assert model.lm_head.weight.data_ptr() == model.transformer.wte.weight.data_ptr()


def test_loading_refuses_a_changed_config(tmp_path):
    config = GPTConfig(block_size=16, n_layer=1, n_head=2, n_embd=16)
    folder = save_gpt(train_gpt(TEXT, config, steps=1, eval_every=1), tmp_path / "g", "t")
    meta = json.loads((folder / "config.json").read_text())
    meta["config"]["n_embd"] = 32
    (folder / "config.json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match="does not fit its config"):
        load_gpt(folder)
    meta["config"]["evil"] = "os.system"
    (folder / "config.json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match="must have exactly"):
        load_gpt(folder)


def test_a_text_shorter_than_the_context_is_refused():
    with pytest.raises(InputError, match="needs at least"):
        train_gpt(b"short", GPTConfig(block_size=64))


def test_the_service_serves_a_saved_gpt(tmp_path):
    from fastapi.testclient import TestClient

    from tinkerlab.serve import ServeConfig
    from tinkerlab.serve._generate import GenerationModel, create_generation_app
    from tinkerlab.serve._server import _kind

    config = GPTConfig(block_size=16, n_layer=1, n_head=2, n_embd=16)
    folder = save_gpt(train_gpt(TEXT, config, steps=30, eval_every=10), tmp_path / "g", "t")
    assert _kind(folder) == "generation"
    served = GenerationModel.load(folder)
    with TestClient(create_generation_app(served, ServeConfig())) as client:
        body = {"prompt": "the ", "max_new_tokens": 12, "temperature": 0, "num": 2}
        answer = client.post("/generate", json=body)
        assert answer.status_code == 200, answer.text
        completions = answer.json()["completions"]
        assert len(completions) == 2
        assert completions[0] == completions[1]  # temperature 0: greedy, the same text
        assert completions[0] == sample(served.lm.model, "the ", 12, 1.0, 1)[len("the ") :]
        meta = client.get("/metadata").json()
        assert meta["context"] == 16
        assert meta["architecture"] == ["tinkerlab.scratch.GPT"]
        assert client.post("/generate", json={"prompt": ""}).status_code == 422
