"""Training batches of texts of alike lengths, so that a GRU computes little padding.

A GRU reads a batch one step at a time for as many steps as the batch's longest text. In
a batch drawn at random one long review makes the other 127 rows wait through its steps;
in a batch of alike lengths every row is busy at almost every step. So each epoch:

1. shuffle the rows (torch's generator: the net's seed decides, as for plain shuffling);
2. sort them by length, stably (rows of one length keep their shuffled order);
3. cut the sorted rows into batches of ``batch_size``;
4. shuffle the order of the batches (so short and long texts alternate over the epoch).

Every row is in exactly one batch per epoch, as with plain shuffling; only which rows
share a batch changes. skorch takes :func:`length_batches` as its ``iterator_train``.

>>> import torch; _ = torch.manual_seed(0)
>>> sorted(sorted(b) for b in LengthBuckets(np.array([5, 1, 4, 2, 6, 3]), batch_size=2))
[[0, 4], [1, 3], [2, 5]]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler, Subset


class LengthBuckets(Sampler[list[int]]):
    """Batches of row positions, rows of alike lengths together, drawn anew every epoch."""

    def __init__(self, lengths: np.ndarray, batch_size: int, shuffle: bool = True) -> None:
        self.lengths = torch.as_tensor(np.asarray(lengths))  # (n,) tokens per row
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self) -> int:
        return -(-len(self.lengths) // self.batch_size)  # batches per epoch, rounded up

    def __iter__(self) -> Iterator[list[int]]:
        n = len(self.lengths)
        order = torch.randperm(n) if self.shuffle else torch.arange(n)  # (n,)
        by_length = torch.sort(self.lengths[order], stable=True).indices  # (n,)
        rows = order[by_length]  # (n,) shuffled, then sorted by length
        batches = list(torch.split(rows, self.batch_size))  # each (≤ batch_size,)
        if self.shuffle:
            batches = [batches[i] for i in torch.randperm(len(batches)).tolist()]
        for batch in batches:
            yield batch.tolist()


def length_batches(
    dataset: Dataset[Any], batch_size: int, shuffle: bool = False, **_: Any
) -> DataLoader[Any]:
    """skorch's ``iterator_train`` for rows of token ids (0 = padding): a loader whose
    batches hold texts of alike lengths (:class:`LengthBuckets`)."""
    lengths = (token_ids(dataset) != 0).sum(axis=1)  # (n,) real tokens per row
    return DataLoader(dataset, batch_sampler=LengthBuckets(lengths, batch_size, shuffle))


def token_ids(dataset: Any) -> np.ndarray:
    """The (n, T) ids behind a skorch dataset, or behind the training part of its split."""
    if isinstance(dataset, Subset):
        ids: np.ndarray = token_ids(dataset.dataset)[np.asarray(dataset.indices)]  # (n', T)
        return ids
    return np.asarray(dataset.X)  # (n, T)
