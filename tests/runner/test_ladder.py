"""The ladder: five rungs from logistic regression to a deep net, on the same split."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from tinkerlab.exceptions import RecipeError
from tinkerlab.runner._ladder import TORCH_HINT, Ladder, TorchMLPClassifier, ladder
from tinkerlab.runner._twin import count_lines, source_files

EPOCHS = 10  # enough for every rung to beat the baseline on faces; keeps the tests quick
NUMPY_STEPS = (1, 2, 3, 5)  # everything but PyTorch


@pytest.fixture(scope="module")
def faces() -> Ladder:
    return ladder("faces", epochs=EPOCHS)


def test_the_table_has_the_five_rungs_in_order(faces: Ladder) -> None:
    table = faces.table()
    assert [row["step"] for row in table] == [1, 2, 3, 4, 5]
    assert [row["model"] for row in table] == [
        "tinkerlab.scratch.LogisticRegression",
        "tinkerlab.scratch.MLPClassifier (64,)",
        "tinkerlab.scratch.MLPClassifier (64, 64, 64)",
        "torch.nn.Sequential (64, 64, 64)",
        "sklearn.neural_network.MLPClassifier (64, 64, 64)",
    ]
    assert faces.cv_folds == 3
    assert (faces.train_rows, faces.test_rows, faces.features) == (150, 50, 625)
    for row in table:
        if row["status"] == "done":
            assert 0 <= row["cv_mean"] <= 1
            assert row["cv_std"] >= 0
            assert row["fit_seconds"] > 0


def test_scratch_logistic_regression_beats_the_baseline_on_faces(faces: Ladder) -> None:
    logistic = faces.steps[0]
    assert faces.baseline == pytest.approx(0.5)  # 100 faces, 100 non-faces
    assert logistic.test is not None
    assert logistic.cv_mean is not None
    assert logistic.test > faces.baseline + 0.3
    assert logistic.cv_mean > faces.baseline + 0.3


def test_lines_of_code_name_the_files_behind_each_rung(faces: Ladder) -> None:
    lines = [row["lines"] for row in faces.table()]
    assert lines[0] == count_lines(source_files("logistic_regression")[0])
    assert lines[1] == lines[2] == count_lines(source_files("mlp_classifier")[0])
    assert 20 < lines[3] < 80  # the PyTorch class, fit and predict included
    assert lines[4] == "library"


def test_every_net_trains_exactly_the_epochs_asked_for(faces: Ladder) -> None:
    for step in faces.steps[1:]:
        if step.status == "done":
            assert len(step.losses) == EPOCHS
            assert step.losses[-1] < step.losses[0]
    assert len(faces.steps[0].losses) > EPOCHS  # gradient-descent steps, not epochs


def test_the_same_seed_gives_the_same_numbers(faces: Ladder) -> None:
    again = ladder("faces", epochs=EPOCHS)
    for first, second in zip(faces.steps, again.steps, strict=True):
        if first.step in NUMPY_STEPS:
            assert (first.cv_mean, first.cv_std, first.test) == (
                second.cv_mean,
                second.cv_std,
                second.test,
            )
            assert first.losses == second.losses


def test_the_loss_curves_are_a_png(faces: Ladder) -> None:
    png = faces.plots["loss_curves.png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


def test_to_dict_is_json_and_html_shows_the_table(faces: Ladder) -> None:
    data = json.loads(json.dumps(faces.to_dict()))
    assert data["plots"] == ["loss_curves.png"]
    assert len(data["steps"]) == 5
    assert "The ladder on faces" in faces._repr_html_()


def test_without_torch_the_torch_rung_is_skipped_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    ticks: list[tuple[int, str, int, int]] = []
    result = ladder("faces", epochs=2, progress=lambda *tick: ticks.append(tick))
    torch_step = result.steps[3]
    assert torch_step.status == "skipped"
    assert torch_step.test is None
    assert TORCH_HINT == "pip install 'tinkerlab[deep]'"
    assert TORCH_HINT in torch_step.note
    assert [s.status for s in result.steps] == ["done", "done", "done", "skipped", "done"]
    assert (4, "deep MLP (PyTorch)", 0, 0) in ticks
    assert ticks[-1] == (5, "deep MLP (scikit-learn)", 4, 4)  # 3 folds + the final fit


def test_with_torch_the_torch_rung_trains_like_the_others(faces: Ladder) -> None:
    pytest.importorskip("torch")
    torch_step = faces.steps[3]
    assert torch_step.status == "done"
    assert torch_step.test is not None
    assert torch_step.test > faces.baseline + 0.3
    assert len(torch_step.losses) == EPOCHS


def test_torch_net_has_the_layers_of_the_scratch_net() -> None:
    torch = pytest.importorskip("torch")
    from tinkerlab.runner._ladder import NetSettings

    X = np.random.default_rng(0).normal(size=(40, 6))
    y = np.array(["a", "b"] * 20)
    model = TorchMLPClassifier((5, 4), NetSettings(epochs=2)).fit(X, y)
    shapes = [tuple(m.weight.shape) for m in model.net_ if isinstance(m, torch.nn.Linear)]
    assert shapes == [(5, 6), (4, 5), (2, 4)]  # (fan_out, fan_in), as torch stores them
    assert set(model.predict(X)) <= {"a", "b"}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # 3 epochs
def test_on_digits_our_deep_net_and_sklearns_are_the_same_computation() -> None:
    # Ten classes: scikit-learn's output layer is a softmax too, so with the same seed and
    # settings both draw the same weights and batches; their loss curves agree to rounding.
    from sklearn.preprocessing import StandardScaler

    from tinkerlab.data import load
    from tinkerlab.runner._ladder import NetSettings, _rungs

    digits = load("digits")
    X = StandardScaler().fit_transform(digits.X.to_numpy(dtype=float)[:400])
    y = digits.y.to_numpy()[:400]
    rungs = _rungs(NetSettings(epochs=3))
    ours, theirs = rungs[2].make().fit(X, y), rungs[4].make().fit(X, y)
    np.testing.assert_allclose(ours.history_, theirs.loss_curve_, rtol=1e-9)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_other_datasets_and_bad_settings_are_refused() -> None:
    with pytest.raises(RecipeError, match="faces, digits"):
        ladder("iris")
    with pytest.raises(RecipeError, match="epochs=0"):
        ladder("faces", epochs=0)
