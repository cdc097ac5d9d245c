"""How far the phenomenon detectors can be trusted: precision and recall on a labelled suite.

The suite (``tests/insight/findings_suite.py``) holds sweeps and runs whose truth is known
by construction: synthetic tables with a stated mechanism (a copied status column, a
parabola, flipped labels, a column in other units...) and bundled tables whose behaviour is
textbook. Each scenario lists the phenomena present; every other detector must stay
silent, except where the construction leaves the answer open (ambiguous, not counted).

For every detector the script prints the true and false positives, the misses, precision
and recall, and which scenarios went wrong; then the micro-averaged figures and the time.

``--heldout`` runs the held-out set instead (``tests/insight/findings_heldout.py``):
scenarios written blind, without reading the detectors' code, and never used to tune
them. Its table is the honest one; the tuning suite's is reported separately.

Run:  python benchmarks/bench_findings.py [--heldout] [--only TEXT]
Targets (tuning suite): precision and recall >= 0.95 overall, no detector below 0.9.
"""

# %%
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "insight"))

import findings_heldout as heldout
import findings_suite as suite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument(
        "--heldout", action="store_true", help="run the blind held-out set, not the tuning suite"
    )
    args = parser.parse_args()
    labelled = heldout if args.heldout else suite
    chosen = [s for s in labelled.SCENARIOS if not args.only or args.only in s.name]

    # %% Run every scenario as a learner would (tinker or run, detectors included).
    results: dict[str, set[str]] = {}
    started = time.perf_counter()
    for scenario in chosen:
        tick = time.perf_counter()
        seen = labelled.found(scenario)
        results[scenario.name] = seen
        wrong = (seen - scenario.present - scenario.ambiguous) | (scenario.present - seen)
        mark = "ok " if not wrong else "BAD"
        print(
            f"{time.perf_counter() - tick:6.1f} s  {mark} {scenario.name}: "
            f"{', '.join(sorted(seen)) or '(nothing)'}"
            + (f"   <- wrong: {', '.join(sorted(wrong))}" if wrong else ""),
            flush=True,
        )
    elapsed = time.perf_counter() - started

    # %% The per-detector table.
    counts = labelled.tally(results)
    head = ("detector", "TP", "FP", "FN", "TN", "precision", "recall")
    print("\n{:<24} {:>3} {:>3} {:>3} {:>4} {:>9} {:>7}".format(*head))
    for detector, t in counts.items():
        print(
            f"{detector:<24} {t.tp:>3} {t.fp:>3} {t.fn:>3} {t.tn:>4} "
            f"{t.precision:>9.2f} {t.recall:>7.2f}"
        )
        for name in t.false:
            print(f"    false positive: {name}")
        for name in t.misses:
            print(f"    missed: {name}")
    precision, recall = suite.overall(counts)
    lowest = min(min(t.precision, t.recall) for t in counts.values())
    which = "held-out" if args.heldout else "tuning-suite"
    print(
        f"\n{len(results)} {which} scenarios, {elapsed:.0f} s. Overall precision "
        f"{precision:.3f}, recall {recall:.3f} (target 0.95); lowest detector figure "
        f"{lowest:.2f} (target 0.9)"
    )


if __name__ == "__main__":
    main()
