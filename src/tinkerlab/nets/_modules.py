"""The torch modules behind the registry's neural networks, each readable in one scroll.

Every module maps a batch of rows to one output per class (logits) or one number
(regression). The estimators in :mod:`._estimators` build them at ``fit`` time, when the
number of inputs and classes is known, and train them with skorch.

Shapes in the comments: ``B`` rows in the batch, ``F`` input features, ``H`` the hidden
width, ``K`` outputs, ``C`` image channels, ``S`` image side, ``T`` tokens, ``E`` the
embedding width.
"""

from __future__ import annotations

import torch
from torch import nn

#: The activation functions a net may use, by the name its ``activation`` knob takes.
ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
}


class MLP(nn.Module):
    """A multi-layer perceptron: ``depth`` hidden layers of ``hidden_size`` units, then a
    linear read-out. Dropout after every hidden activation."""

    def __init__(
        self,
        n_features: int,
        n_outputs: int,
        hidden_size: int = 64,
        depth: int = 2,
        dropout: float = 0.0,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        width = n_features
        for _ in range(depth):
            layers += [
                nn.Linear(width, hidden_size),
                ACTIVATIONS[activation](),
                nn.Dropout(dropout),
            ]
            width = hidden_size
        layers.append(nn.Linear(width, n_outputs))
        self.layers = nn.Sequential(*layers)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.layers(X)  # (B, F) -> (B, K)
        return out


class ConvNet(nn.Module):
    """A small convolutional net for square grey images given as rows of pixels.

    ``depth`` blocks of (3x3 convolution, activation, 2x2 max-pool), the first with
    ``channels`` filters and each next one with twice as many; then one hidden layer of
    ``hidden_size`` units and the read-out. Each pool halves the side (rounding down).
    """

    def __init__(
        self,
        side: int,
        n_outputs: int,
        channels: int = 16,
        depth: int = 2,
        hidden_size: int = 64,
        dropout: float = 0.0,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        self.side = side
        blocks: list[nn.Module] = []
        c_in, c_out, s = 1, channels, side
        for _ in range(depth):
            blocks += [
                nn.Conv2d(c_in, c_out, kernel_size=3, padding=1),
                ACTIVATIONS[activation](),
                nn.MaxPool2d(2),
            ]
            c_in, c_out, s = c_out, c_out * 2, s // 2
        self.features = nn.Sequential(*blocks)
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(c_in * s * s, hidden_size),
            ACTIVATIONS[activation](),
            nn.Linear(hidden_size, n_outputs),
        )

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        images = X.view(-1, 1, self.side, self.side)  # (B, S*S) -> (B, 1, S, S)
        maps = self.features(images)  # (B, C', S', S'): C' filters of side S' = S >> depth
        out: torch.Tensor = self.head(maps)  # (B, K)
        return out


class TextGRU(nn.Module):
    """A recurrent text classifier: token embeddings read left to right by a GRU; its
    hidden state after the text's last real token feeds the read-out.

    Rows come padded on the left (0 ids, :class:`~._tokens.TokenSequencer`). The GRU never
    reads the padding before a text: each row is shifted so its tokens start at step 0,
    the batch is cut to its longest text, and the state read out is the one at each row's
    own last token (steps after it, over padding, are computed but never read). So a
    text's result does not depend on how much padding its row, or its batch, carries: the
    same as ``pack_padded_sequence``, which on the CPU is slower than the plain GRU
    (``tests/nets/test_text_gru.py`` holds it to both).
    """

    def __init__(
        self,
        vocab_size: int,
        n_outputs: int,
        embedding_size: int = 32,
        hidden_size: int = 64,
        depth: int = 1,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding_size, padding_idx=0)
        self.gru = nn.GRU(
            embedding_size,
            hidden_size,
            num_layers=depth,
            batch_first=True,
            dropout=dropout if depth > 1 else 0.0,
        )
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden_size, n_outputs)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        tokens, lengths = left_to_right(X.long())  # (B, T') real tokens first; (B,)
        e = self.embed(tokens)  # (B, T', E)
        states, _ = self.gru(e)  # (B, T', H): the top layer's state after every step
        rows = torch.arange(len(lengths), device=lengths.device)  # (B,)
        last = states[rows, lengths - 1]  # (B, H): the state after each row's last token
        out: torch.Tensor = self.out(self.drop(last))  # (B, K)
        return out


def left_to_right(tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-padded rows of ids as right-padded ones, cut to the longest row, and each
    row's length (at least 1: an all-padding row reads as one padding token).

    >>> left_to_right(torch.tensor([[0, 0, 5, 2], [0, 7, 3, 4]]))
    (tensor([[5, 2, 0],
            [7, 3, 4]]), tensor([2, 3]))
    """
    B, T = tokens.shape
    lengths = (tokens != 0).sum(1).clamp(min=1)  # (B,) real tokens per row
    steps = torch.arange(T, device=tokens.device)  # (T,)
    source = (steps + (T - lengths)[:, None]) % T  # (B, T) where step t's token sits
    shifted = tokens.gather(1, source)  # (B, T) real tokens first, then the padding
    longest = int(lengths.max()) if B else 1
    return shifted[:, :longest], lengths  # (B, T'), (B,)


class TextTransformer(nn.Module):
    """A tiny Transformer encoder classifier: token plus position embeddings, ``depth``
    self-attention blocks of ``heads`` heads, then the mean over the real tokens (padding
    masked out) feeds the read-out."""

    def __init__(
        self,
        vocab_size: int,
        n_outputs: int,
        max_length: int,
        hidden_size: int = 64,
        depth: int = 2,
        heads: int = 4,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.wte = nn.Embedding(vocab_size, hidden_size, padding_idx=0)  # token embeddings
        self.wpe = nn.Embedding(max_length, hidden_size)  # position embeddings
        layer = nn.TransformerEncoderLayer(
            hidden_size,
            heads,
            dim_feedforward=2 * hidden_size,
            dropout=dropout,
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.out = nn.Linear(hidden_size, n_outputs)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        tokens = X.long()  # (B, T) token ids, 0 = padding
        pad = tokens == 0  # (B, T) True where there is no token
        positions = torch.arange(tokens.shape[1], device=tokens.device)  # (T,)
        x = self.wte(tokens) + self.wpe(positions)  # (B, T, H)
        x = self.encoder(x, src_key_padding_mask=pad)  # (B, T, H)
        keep = (~pad).unsqueeze(-1).float()  # (B, T, 1)
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)  # (B, H) mean of real tokens
        out: torch.Tensor = self.out(pooled)  # (B, K)
        return out
