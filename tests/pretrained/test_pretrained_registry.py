"""The registry of pre-trained models: complete rows, cheap install checks, one-line fixes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tinkerlab.exceptions import UsageError
from tinkerlab.pretrained import (
    PRETRAINED,
    MissingExtraError,
    get_pretrained,
    install_command,
    is_installed,
    missing_modules,
    require,
)
from tinkerlab.pretrained import _registry as registry

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def extras() -> dict[str, list[str]]:
    with PYPROJECT.open("rb") as file:
        return tomllib.load(file)["project"]["optional-dependencies"]


def test_the_registry_has_the_models_the_issue_names():
    assert {"minilm", "vader", "gpt2_tiny"} <= set(PRETRAINED)
    cascades = {s.name for s in PRETRAINED.values() if s.task == "object-detection"}
    assert cascades == {"haar_faces", "haar_cat_faces", "haar_eyes", "haar_plates"}


@pytest.mark.parametrize("name", sorted(PRETRAINED))
def test_every_row_is_complete_and_its_extra_installs_its_package(name):
    spec = PRETRAINED[name]
    for field in ("title", "summary", "size", "package", "licence", "source"):
        assert getattr(spec, field).strip(), (name, field)
    assert spec.modules
    # The extra named in the row exists in pyproject.toml and really lists the package.
    requirements = extras()[spec.extra]
    package = spec.package.split("<")[0].split(">")[0].split("=")[0].lower()
    assert any(r.lower().startswith(package) for r in requirements), (spec.extra, requirements)
    assert install_command(name) == f"pip install 'tinkerlab[{spec.extra}]'"


def test_torch_stays_pinned_in_every_extra_that_pulls_it():
    for extra in ("deep", "text", "hf"):
        torch = [r for r in extras()[extra] if r.startswith("torch")]
        assert torch == ["torch==2.13.0"], extra


def test_dev_installs_the_extras_the_tests_need():
    assert any(r.startswith("tinkerlab[") and "text" in r and "vision" in r and "hf" in r
               for r in extras()["dev"])  # fmt: skip


def test_everything_is_installed_in_the_test_environment():
    # CI installs .[dev], which pulls text, vision and hf: nothing may silently skip.
    assert {name: missing_modules(name) for name in PRETRAINED} == dict.fromkeys(PRETRAINED, ())
    assert all(is_installed(name) for name in PRETRAINED)


def test_installed_check_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from tinkerlab.pretrained import PRETRAINED, is_installed\n"
        "print([is_installed(n) for n in PRETRAINED])\n"
        "heavy = ('torch', 'cv2', 'transformers', 'sentence_transformers', 'sklearn')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_a_missing_module_gives_the_exact_pip_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        registry,
        "find_spec",
        lambda name, *a: None if name == "cv2" else real(name, *a),
    )
    assert not is_installed("haar_faces")
    assert missing_modules("haar_faces") == ("cv2",)
    with pytest.raises(MissingExtraError) as caught:
        require("haar_faces")
    error = caught.value
    assert "pip install 'tinkerlab[vision]'" in str(error)
    assert "cv2" in str(error)
    assert error.extra == "vision"
    assert error.modules == ("cv2",)
    # Bad input (the CLI exits 2), and still an ImportError for code that catches those.
    assert isinstance(error, UsageError)
    assert isinstance(error, ImportError)
    assert error.exit_code == 2


def test_unknown_model_suggests_the_closest():
    with pytest.raises(UsageError, match="Did you mean 'minilm'"):
        get_pretrained("minilmm")


def test_the_detectors_use_registry_models():
    from tinkerlab.pretrained import DETECTORS

    assert set(DETECTORS) == {"faces", "cat_faces", "eyes", "plates"}
    for detector in DETECTORS.values():
        assert PRETRAINED[detector.model].task == "object-detection"
