"""The deep-learning lab's text sweep against its time budget: each lab example under 60 s.

Runs, as a learner would, in a fresh tinkerlab home (an empty journal and cache)::

    tinkerlab tinker reviews --model text_rnn --knob hidden_size --values 16,64,256

and prints its CPU time (user + system of the command and its worker processes), its
wall time, the load average before and after (the machine may be shared: wall time is
CPU time times the queue), the CV accuracy of every value, and the ratio of the CPU
time to the target of :data:`TARGET_S` seconds (under 1 meets it).

Run:  python benchmarks/bench_text_rnn.py [--values 16,64,256] [--jobs N]
"""

# %%
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

#: Issue 18: each lab example runs under 60 s on 2 cores.
TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", default="16,64,256")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    command = [sys.executable, "-m", "tinkerlab", "tinker", "reviews", "--model", "text_rnn"]
    command += ["--knob", "hidden_size", "--values", args.values, "--json"]
    if args.jobs is not None:
        command += ["--jobs", str(args.jobs)]
    env = {**os.environ, "TINKERLAB_HOME": tempfile.mkdtemp(prefix="bench_text_rnn_")}

    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    tick = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - tick
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    if done.returncode != 0:
        sys.exit(f"the sweep failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    result = json.loads(done.stdout)
    for point in result["points"]:
        print(
            f"hidden_size={point['label']:>4}: CV accuracy {point['cv_mean']:.4f} "
            f"± {point['cv_std']:.4f} ({point['n_folds']} folds)"
        )
    for notice in result["notices"]:
        print(f"  note: {notice}")
    print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"sweep: {cpu:.1f} s CPU, {wall:.1f} s wall; target {TARGET_S:.0f} s")
    print(f"ratio CPU / target: {cpu / TARGET_S:.2f}x ({'met' if cpu < TARGET_S else 'not met'})")


if __name__ == "__main__":
    main()
