"""The exported folder reproduces its numbers in a truly fresh virtual environment.

A new venv (``python -m venv``, no system site-packages, not the dev venv), the folder's
own ``requirements.txt`` installed into it with pip, then the folder's ``train.py`` and its
smoke test run there, on a copy of the folder somewhere else. Only the wheels are reused:
they are downloaded once into a wheelhouse (``$TINKERLAB_WHEELHOUSE``, default
``~/.cache/tinkerlab/wheelhouse``) and installed from it with ``--no-index``, so a second
run needs no network. The first run on a new machine downloads the pinned wheels (numpy,
pandas, scikit-learn, scipy, pytest: about 60 MB).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tinkerlab as tl
from tinkerlab.path._script import parse_scores

#: The script prints 4 decimals; the journal holds the full floats.
PRINTED = 0.5e-4 + 1e-9

pytestmark = [pytest.mark.slow, pytest.mark.venv]


def _clean_env() -> dict[str, str]:
    """This process's environment without anything that points at the dev venv."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _wheelhouse() -> Path:
    default = Path.home() / ".cache" / "tinkerlab" / "wheelhouse"
    folder = Path(os.environ.get("TINKERLAB_WHEELHOUSE", default))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _install(python: Path, requirements: Path) -> None:
    """pip install -r *requirements* into the venv of *python*: from the wheelhouse, after
    downloading into it whatever it lacks."""
    wheels = _wheelhouse()
    offline = [str(python), "-m", "pip", "install", "-q", "--no-compile", "--no-index",
               "--find-links", str(wheels), "-r", str(requirements)]  # fmt: skip
    env = _clean_env()
    done = subprocess.run(offline, capture_output=True, text=True, env=env, timeout=600)
    if done.returncode == 0:
        return
    fetch = [str(python), "-m", "pip", "download", "-q", "-d", str(wheels), "-r",
             str(requirements)]  # fmt: skip
    got = subprocess.run(fetch, capture_output=True, text=True, env=env, timeout=900)
    assert got.returncode == 0, f"pip download failed (needs a package index):\n{got.stderr}"
    done = subprocess.run(offline, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr


def test_the_exported_script_reproduces_its_numbers_in_a_fresh_venv(tmp_path, noisy_csv):
    home = tmp_path / "home"
    url = f"sqlite:///{tmp_path / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(home))
        run = tl.run(noisy_csv, target="label", model="logistic_regression", db=url)
        done = tl.path.export(run.id, tmp_path / "portfolio", db=url)
    requirements = (done.folder / "requirements.txt").read_text()
    assert "tinkerlab" not in requirements  # a plain scikit-learn script
    copy = tmp_path / "elsewhere" / "portfolio"
    shutil.copytree(done.folder, copy)

    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)  # not the dev venv's python
    subprocess.run([base, "-m", "venv", str(venv)], check=True, env=_clean_env(), timeout=300)
    python = venv / "bin" / "python"
    _install(python, copy / "requirements.txt")

    env = _clean_env()
    probe = "import sys, importlib.util; print(sys.prefix, importlib.util.find_spec('tinkerlab'))"
    where = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, env=env)
    assert where.stdout.split() == [str(venv), "None"]  # the new venv, and no tinkerlab in it

    script = subprocess.run(
        [str(python), "train.py"], cwd=copy, capture_output=True, text=True, env=env, timeout=600
    )
    assert script.returncode == 0, script.stderr
    printed = parse_scores(script.stdout)
    for metric, scores in run.metrics.items():
        for key in ("cv_mean", "cv_std", "test"):
            want = scores[key]  # type: ignore[literal-required]
            if want is not None:
                got = printed["logistic_regression"][metric][key]
                assert abs(got - want) <= PRINTED, (metric, key, got, want)

    smoke = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_reproduce.py"],
        cwd=copy, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert json.loads((copy / "expected.json").read_text())["logistic_regression"]
