"""A GPT you can read: a byte-level GPT-2 in one scroll (after nanoGPT, GPT-2's names).

The model reads a window of ``block_size`` bytes and, at every position, predicts the
next byte. Bytes are the tokens (``vocab_size`` 256): any text file works, no tokenizer.
The pieces, in the names of the GPT-2 code (Radford et al., 2019):

* ``wte`` / ``wpe``: token and position embeddings, added;
* ``h``: ``n_layer`` Blocks, each ``x + attn(ln_1(x))`` then ``x + mlp(ln_2(x))``
  (pre-norm residual blocks);
* ``attn``: causal self-attention, ``n_head`` heads of ``n_embd // n_head`` numbers,
  written out (``softmax(q k^T / sqrt(d)) v`` with the future masked) so it can be read;
  ``tests/scratch/test_gpt.py`` checks it against torch's ``scaled_dot_product_attention``
  on the same weights (tolerance 1e-5: float32, different order of additions);
* ``ln_f`` and ``lm_head``: a last layer norm and the read-out to 256 logits, sharing
  its weights with ``wte`` (weight tying, as GPT-2).

Shapes in the comments: ``B`` windows in the batch, ``T`` positions, ``C`` = ``n_embd``,
``nh`` heads, ``hs`` = ``C // nh``, ``V`` = 256.

>>> import torch
>>> model = GPT(GPTConfig(block_size=8, n_layer=1, n_head=2, n_embd=16))
>>> model(torch.zeros((2, 8), dtype=torch.long)).shape
torch.Size([2, 8, 256])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812 - the name every torch reader knows


@dataclass(frozen=True)
class GPTConfig:
    """The shape of a GPT (what ``config.json`` beside the weights holds)."""

    block_size: int = 64  # the longest context, in bytes
    vocab_size: int = 256  # one token per byte value
    n_layer: int = 2  # Blocks stacked
    n_head: int = 2  # attention heads per Block
    n_embd: int = 64  # numbers per position (C)
    dropout: float = 0.0  # share of activations dropped while training


class CausalSelfAttention(nn.Module):
    """Each position mixes the values of itself and the positions before it, weighted by
    how well its query matches their keys; ``n_head`` such mixes side by side."""

    bias: torch.Tensor  # (block_size, block_size) the causal mask, a buffer

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)  # q, k, v in one matmul
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)  # heads back into one stream
        self.attn_dropout = nn.Dropout(config.dropout)
        self.resid_dropout = nn.Dropout(config.dropout)
        mask = torch.tril(torch.ones(config.block_size, config.block_size, dtype=torch.bool))
        self.register_buffer("bias", mask, persistent=False)  # (T, T) True: may look

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape  # (B, T, C)
        q, k, v = self.c_attn(x).split(C, dim=2)  # each (B, T, C)
        hs = C // self.n_head
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)  # (B, nh, T, T) query-key matches
        att = att.masked_fill(~self.bias[:T, :T], float("-inf"))  # (B, nh, T, T) no future
        att = F.softmax(att, dim=-1)  # (B, nh, T, T) each row sums to 1
        att = self.attn_dropout(att)  # (B, nh, T, T)
        y = att @ v  # (B, nh, T, hs) weighted mix of the values
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C) heads side by side
        out: torch.Tensor = self.resid_dropout(self.c_proj(y))  # (B, T, C)
        return out


class MLP(nn.Module):
    """Per position: widen four times, GELU, narrow back (the Block's "thinking")."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.gelu = nn.GELU(approximate="tanh")  # GPT-2's GELU
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.gelu(self.c_fc(x))  # (B, T, 4C)
        out: torch.Tensor = self.dropout(self.c_proj(h))  # (B, T, C)
        return out


class Block(nn.Module):
    """Communicate (attention across positions), then compute (MLP per position), each
    added to the residual stream after a layer norm."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))  # (B, T, C)
        out: torch.Tensor = x + self.mlp(self.ln_2(x))  # (B, T, C)
        return out


class Transformer(nn.Module):
    """GPT-2's ``transformer``: the embeddings, the Blocks and the final layer norm."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)  # token embeddings
        self.wpe = nn.Embedding(config.block_size, config.n_embd)  # position embeddings
        self.drop = nn.Dropout(config.dropout)
        self.h = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd)


class GPT(nn.Module):
    """Embeddings, ``n_layer`` Blocks, a final layer norm and the read-out to bytes."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.transformer = Transformer(config)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # weight tying, as GPT-2
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        """GPT-2's initialisation: normal(0, 0.02) weights, zero biases."""
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        """Logits of the next byte at every position: (B, T) ids -> (B, T, V)."""
        T = idx.shape[1]  # idx: (B, T)
        if self.config.block_size < T:
            raise ValueError(f"A window of {T} bytes is longer than block_size.")
        pos = torch.arange(T, device=idx.device)  # (T,)
        t = self.transformer
        x = t.drop(t.wte(idx) + t.wpe(pos))  # (B, T, C)
        for block in t.h:
            x = block(x)  # (B, T, C)
        logits: torch.Tensor = self.lm_head(t.ln_f(x))  # (B, T, V)
        return logits

    def loss(self, idx: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Mean cross-entropy of predicting *targets* (the next bytes), in nats."""
        logits = self(idx)  # (B, T, V)
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))

    @torch.no_grad()
    def generate(
        self,
        idx: torch.Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """Append *max_new_tokens* bytes, each drawn from the model's next-byte
        distribution: logits / *temperature* (lower is bolder, higher wilder), only the
        *top_k* most likely kept. (B, T) -> (B, T + max_new_tokens)."""
        for _ in range(max_new_tokens):
            context = idx[:, -self.config.block_size :]  # (B, <=block_size) the last window
            logits = self(context)[:, -1, :] / max(temperature, 1e-6)  # (B, V) next byte
            if top_k is not None:
                kth = torch.topk(logits, min(top_k, logits.size(-1))).values[:, [-1]]  # (B, 1)
                logits = logits.masked_fill(logits < kth, float("-inf"))  # (B, V)
            probs = F.softmax(logits, dim=-1)  # (B, V)
            nxt = torch.multinomial(probs, num_samples=1, generator=generator)  # (B, 1)
            idx = torch.cat((idx, nxt), dim=1)  # (B, T + 1)
        return idx
