"""The GRU reads only a text's real tokens; its batches hold texts of alike lengths."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from tinkerlab.nets import GRUTextClassifier, TextGRU
from tinkerlab.nets._batches import LengthBuckets, length_batches
from tinkerlab.nets._modules import left_to_right

#: float32 sums over up to 40 steps of a GRU, in another order than the reference's.
TOLERANCE = 1e-5


def _left_padded(rng: np.random.Generator, n: int, T: int) -> torch.Tensor:
    """n rows of T ids, each a text of 1..T ids from 2..49, padded with 0 on the left."""
    ids = np.zeros((n, T), dtype=np.int64)  # (n, T)
    for row, length in enumerate(rng.integers(1, T + 1, size=n)):
        ids[row, T - length :] = rng.integers(2, 50, size=length)
    return torch.from_numpy(ids)


@pytest.mark.parametrize("depth", [1, 2])
def test_a_padded_batch_reads_as_each_text_alone(depth):
    torch.manual_seed(0)
    gru = TextGRU(vocab_size=50, n_outputs=3, embedding_size=8, hidden_size=16, depth=depth)
    gru.eval()
    batch = _left_padded(np.random.default_rng(0), n=12, T=40)  # (12, 40)
    with torch.no_grad():
        together = gru(batch)  # (12, 3)
        alone = torch.cat([gru(row[row != 0][None, :]) for row in batch])  # (12, 3), no padding
    torch.testing.assert_close(together, alone, rtol=TOLERANCE, atol=TOLERANCE)


def test_the_state_read_out_is_the_one_pack_padded_sequence_gives():
    torch.manual_seed(1)
    gru = TextGRU(vocab_size=50, n_outputs=2, embedding_size=8, hidden_size=16).eval()
    batch = _left_padded(np.random.default_rng(1), n=20, T=30)  # (20, 30)
    tokens, lengths = left_to_right(batch)  # (20, T'), (20,)
    with torch.no_grad():
        packed = pack_padded_sequence(
            gru.embed(tokens), lengths, batch_first=True, enforce_sorted=False
        )
        _, h = gru.gru(packed)  # (1, 20, 16): the state after each row's last token
        expected = gru.out(h[-1])  # (20, 2)
        got = gru(batch)  # (20, 2)
    torch.testing.assert_close(got, expected, rtol=TOLERANCE, atol=TOLERANCE)


def test_left_to_right_moves_the_padding_and_cuts_the_batch():
    tokens, lengths = left_to_right(torch.tensor([[0, 0, 5, 2], [0, 7, 3, 4], [0, 0, 0, 0]]))
    assert tokens.tolist() == [[5, 2, 0], [7, 3, 4], [0, 0, 0]]
    assert lengths.tolist() == [2, 3, 1]  # an all-padding row reads as one padding token


def test_length_buckets_cover_every_row_once_with_alike_lengths():
    lengths = np.random.default_rng(0).integers(1, 65, size=1000)  # (1000,)
    torch.manual_seed(0)
    batches = list(LengthBuckets(lengths, batch_size=64))
    assert len(batches) == len(LengthBuckets(lengths, batch_size=64)) == 16
    rows = np.concatenate(batches)
    assert sorted(rows.tolist()) == list(range(1000))
    spread = np.mean([np.ptp(lengths[b]) for b in batches])  # longest - shortest per batch
    assert spread <= 6  # drawn at random, a batch of 64 spans about 60
    torch.manual_seed(0)
    assert list(LengthBuckets(lengths, batch_size=64)) == batches  # the seed decides
    torch.manual_seed(1)
    assert list(LengthBuckets(lengths, batch_size=64)) != batches


def test_the_gru_trains_on_length_batches_and_stays_reproducible():
    from skorch.dataset import Dataset

    X = _left_padded(np.random.default_rng(2), n=50, T=10).numpy()
    loader = length_batches(Dataset(X, np.zeros(50)), batch_size=8, shuffle=True)
    assert isinstance(loader.batch_sampler, LengthBuckets)
    assert len(loader) == 7  # 50 rows in batches of 8
    y = np.where(X[:, -1] % 2 == 0, "even", "odd")
    a = GRUTextClassifier(epochs=2, batch_size=8, random_state=0).fit(X, y)
    b = GRUTextClassifier(epochs=2, batch_size=8, random_state=0).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=0, atol=1e-6)
