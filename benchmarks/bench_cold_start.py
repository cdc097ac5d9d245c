"""Cold start: `tinkerlab --help`, and `tinkerlab run iris` against plain scikit-learn scripts.

Every figure is a fresh process (Python start-up and imports included), and the
processes are timed in interleaved rounds so that machine noise hits them all alike:

* ``tinkerlab --help`` (the console script), beside ``python -c pass`` (the floor of any
  Python command) and ``tinkerlab models --help`` (one command's own help: Typer and
  rich loaded for it). Target: ``--help`` under 0.2 s;
* ``tinkerlab run iris --json`` (a random forest, 5-fold CV, a test score, a dummy
  baseline, permutation importances, plots, the journal) against two plain scripts:
  a **hand-written** one (below: read the CSV, split, ``cross_validate`` a random
  forest, fit, score the test split, the same for a dummy, print) and the script
  ``tinkerlab run iris --script`` generates (same numbers as the run). Target: ratio to
  the hand-written script <= 1.15.

Wall time is the median over the rounds; CPU time (user + system of the child) is
printed beside it, because on a shared machine the wall time mostly measures the
neighbours.

Run:  python benchmarks/bench_cold_start.py [--repeats 7]
"""

# %%
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: What a developer would write by hand for the same job (no tinkerlab anywhere).
PLAIN = """
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split

frame = pd.read_csv({path!r})
X, y = frame.drop(columns=["species"]), frame["species"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=0, stratify=y
)
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
for name, model in [("random_forest", RandomForestClassifier(random_state=0)),
                    ("baseline", DummyClassifier())]:
    cv = cross_validate(model, X_train, y_train, cv=folds, scoring="accuracy")
    model.fit(X_train, y_train)
    test = model.score(X_test, y_test)
    print(f"{{name}}: cv {{cv['test_score'].mean():.4f}} ± {{cv['test_score'].std():.4f}}"
          f"  test {{test:.4f}}")
"""

HELP_TARGET_S = 0.2
RUN_TARGET = 1.15


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh process; fail loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    tick = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - tick
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def report(name: str, runs: list[tuple[float, float]]) -> float:
    walls = [w for w, _ in runs]
    wall, cpu = statistics.median(walls), statistics.median(c for _, c in runs)
    shown = ", ".join(f"{w:.2f}" for w in walls)
    print(f"  {name:<34} wall {wall:7.3f} s   cpu {cpu:7.3f} s   (runs: {shown})")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="tinkerlab-bench-"))
    env = {**os.environ, "TINKERLAB_HOME": str(home), "OMP_NUM_THREADS": "1"}
    tinkerlab = shutil.which("tinkerlab") or sys.exit(
        "tinkerlab is not installed: pip install -e ."
    )
    from tinkerlab.data import dataset_info

    hand = home / "plain_by_hand.py"
    hand.write_text(PLAIN.format(path=str(dataset_info("iris").path)), encoding="utf-8")
    generated = home / "plain_generated.py"
    # Write the generated script (and warm the file cache and the journal's schema once).
    subprocess.run([tinkerlab, "run", "iris", "--script", str(generated), "--json"],
                   env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([sys.executable, str(hand)], env=env, check=True, stdout=subprocess.DEVNULL)

    commands = {
        "python -c pass (the floor)": [sys.executable, "-c", "pass"],
        "tinkerlab --help": [tinkerlab, "--help"],
        "tinkerlab models --help": [tinkerlab, "models", "--help"],
        "tinkerlab run iris --json": [tinkerlab, "run", "iris", "--json"],
        "plain script, hand-written": [sys.executable, str(hand)],
        "plain script, generated": [sys.executable, str(generated)],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeats):  # interleaved: the same noise for everyone
        for name, command in commands.items():
            runs[name].append(timed(command, env))
    shutil.rmtree(home, ignore_errors=True)

    load = os.getloadavg()[0]
    print(f"Cold start, {args.repeats} interleaved rounds, load average {load:.1f} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    medians = {name: report(name, r) for name, r in runs.items()}
    help_s = medians["tinkerlab --help"]
    ours, by_hand = medians["tinkerlab run iris --json"], medians["plain script, hand-written"]
    ratio = ours / by_hand
    ratio_generated = ours / medians["plain script, generated"]
    print(f"--help: {help_s:.3f} s (target < {HELP_TARGET_S} s: "
          f"{'met' if help_s < HELP_TARGET_S else 'NOT met'})")  # fmt: skip
    print(f"run iris / hand-written plain script: {ratio:.2f}x (target <= {RUN_TARGET}x: "
          f"{'met' if ratio <= RUN_TARGET else 'NOT met'})")  # fmt: skip
    print(f"run iris / generated plain script:    {ratio_generated:.2f}x")


if __name__ == "__main__":
    main()
