"""Text features side by side: TF-IDF, MiniLM embeddings and VADER on the reviews test set.

The bundled ``reviews`` keep modeldata's own split (column ``split``): 4,000 training
reviews and 1,000 test reviews. Each featuriser feeds the same logistic regression
(``max_iter=1000``), fitted on the training reviews and scored once on the test reviews,
beside the majority class. Times, per featuriser, in one run:

- **fit + predict, cold**: from raw texts, with an empty embedding cache (for MiniLM this
  is encoding all 5,000 reviews once, on CPU);
- **fit + predict, warm**: the same again, as the next fold or sweep value would run it
  (MiniLM reads every embedding from the on-disk cache; TF-IDF and VADER have no cache,
  so they repeat their work).

The baseline the ratios divide by is TF-IDF's own time (the default featuriser), measured
in the same run.

Run:  python benchmarks/bench_text_features.py [--rows N] (N training reviews; default all)
Needs: pip install -e '.[text]'
"""

# %%
from __future__ import annotations

import argparse
import os
import tempfile
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def fit_and_score(featuriser: Any, train: Any, test: Any) -> tuple[float, float]:
    """(test accuracy, seconds) of featuriser + logistic regression, fitted from raw text."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    tick = time.perf_counter()
    model = make_pipeline(featuriser, LogisticRegression(max_iter=1000))
    model.fit(train["review"], train["score"])
    accuracy = float((model.predict(test["review"]) == test["score"]).mean())
    return accuracy, time.perf_counter() - tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="training reviews (default all)")
    args = parser.parse_args()
    os.environ["TINKERLAB_HOME"] = tempfile.mkdtemp(prefix="tinkerlab-bench-")  # cold cache

    from sklearn.feature_extraction.text import TfidfVectorizer

    from tinkerlab.data import load
    from tinkerlab.pretrained import MiniLMEmbedder, VaderScores, load_sentence_encoder

    frame = load("reviews").frame
    train, test = frame[frame["split"] == "train"], frame[frame["split"] == "test"]
    if args.rows:
        train = train.head(args.rows)
    majority = float((test["score"] == train["score"].mode()[0]).mean())
    load_sentence_encoder("minilm")  # loading the model is not what is measured
    featurisers = {
        "tfidf": lambda: TfidfVectorizer(sublinear_tf=True, max_features=20_000),
        "minilm": MiniLMEmbedder,
        "vader": VaderScores,
    }
    print(
        f"reviews: {len(train)} training, {len(test)} test; logistic regression on each "
        f"featuriser; majority class {majority:.3f}\n"
    )
    print(f"{'features':<9} {'test acc':>9} {'cold s':>9} {'warm s':>9} {'cold/tfidf':>11}")
    results = {}
    for name, make in featurisers.items():
        accuracy, cold = fit_and_score(make(), train, test)
        again, warm = fit_and_score(make(), train, test)
        assert again == accuracy, "a second fit should score the same"
        results[name] = (accuracy, cold, warm)
    base = results["tfidf"][1]
    for name, (accuracy, cold, warm) in results.items():
        print(f"{name:<9} {accuracy:>9.3f} {cold:>9.2f} {warm:>9.2f} {cold / base:>10.1f}x")


if __name__ == "__main__":
    main()
