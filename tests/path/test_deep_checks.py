"""The deep-learning labs' checks (6.2-6.4) and the ladder's (6.5), passing and failing.

Real journals: comparisons and sweeps of the registry's nets made by ``tl.compare`` and
``tl.tinker`` (small data, few epochs), a ladder recorded by ``tinkerlab scratch ladder``.
"""

from __future__ import annotations

import copy

import pytest

import tinkerlab as tl
from tinkerlab.journal import Journal
from tinkerlab.path import _deep

pytest.importorskip("torch", reason="the deep extra: pip install 'tinkerlab[deep]'")
pytest.importorskip("skorch", reason="the deep extra: pip install 'tinkerlab[deep]'")

pytestmark = pytest.mark.slow


def check(lab_id, url):
    return tl.path.check(lab_id, db=url)


@pytest.fixture
def journal_url(tmp_path, monkeypatch):
    monkeypatch.setenv("TINKERLAB_HOME", str(tmp_path / "home"))
    return f"sqlite:///{tmp_path / 'journal.sqlite'}"


def test_6_2_passes_with_the_image_ladder_compared_on_digits(journal_url):
    url = journal_url
    tl.compare("iris", models=["logistic_regression", "mlp_torch"], cv=3, db=url)
    first = check("6.2", url)
    assert not first.passed  # a net, but not on digits
    assert "on digits comparing logistic_regression, mlp_torch, cnn" in first.missing
    assert first.next_command.startswith("tinkerlab compare digits")
    short = tl.compare("digits", models=["logistic_regression", "mlp_torch"], cv=3, db=url)
    second = check("6.2", url)
    assert not second.passed
    assert f"Experiment #{short.id}: it compared logistic_regression, mlp_torch" in second.missing
    assert "without cnn" in second.missing
    board = tl.compare("digits", models=["logistic_regression", "mlp_torch", "cnn"], cv=3, db=url)
    third = check("6.2", url)
    assert third.passed
    assert f"experiment #{board.id}: model on digits" in third.found[0]


def test_6_3_needs_an_epochs_sweep_of_a_net_predicted_first(journal_url):
    url = journal_url
    blind = tl.tinker("iris", "epochs", [1, 5], model="mlp_torch", repeats=1, db=url)
    failed = check("6.3", url)
    assert not failed.passed
    assert f"Experiment #{blind.id}: it had no prediction made first" in failed.missing
    tl.tinker("iris", "max_depth", [1, 4], model="decision_tree", repeats=1, predict="up", db=url)
    assert not check("6.3", url).passed  # a prediction, but not a net's epochs
    good = tl.tinker("iris", "epochs", [1, 5], model="mlp_torch", repeats=1, predict="up", db=url)
    result = check("6.3", url)
    assert result.passed
    assert f"experiment #{good.id}: epochs on iris, predicted up" in result.found[0]


def test_6_4_needs_learning_rates_spanning_three_decades(journal_url):
    url = journal_url
    narrow = tl.tinker(
        "iris", "lr", [0.001, 0.01], model="mlp_torch", repeats=1, predict="up", db=url
    )
    failed = check("6.4", url)
    assert not failed.passed
    assert f"Experiment #{narrow.id}: its values span 0.001 to 0.01" in failed.missing
    assert "less than a factor 1000" in failed.missing
    wide = tl.tinker(
        "iris", "lr", [0.0001, 0.01, 1.0], model="mlp_torch", repeats=1, predict="peak", db=url
    )
    result = check("6.4", url)
    assert result.passed
    assert f"experiment #{wide.id}: lr on iris" in result.found[0]


def test_a_failed_net_check_says_the_pip_command_when_torch_is_missing(journal_url, monkeypatch):
    monkeypatch.setattr(_deep, "find_spec", lambda name: None)  # as without the extra
    result = check("6.3", journal_url)
    assert not result.passed
    assert result.next_command == "pip install 'tinkerlab[deep]'"
    assert "deep extra (torch), which is not installed" in result.missing


# --- the ladder ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def climbed(tmp_path_factory):
    """A journal with one real ladder on digits (3 epochs: enough to beat the baseline)."""
    from tinkerlab.cli import main

    root = tmp_path_factory.mktemp("ladder")
    url = f"sqlite:///{root / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(root / "home"))
        with pytest.raises(SystemExit) as stop:
            main(["scratch", "ladder", "digits", "--epochs", "3", "--db", url, "--json"])
        assert stop.value.code in (0, None)
    with Journal(url) as journal:
        (analysis,) = journal.analyses("ladder")
    return {"url": url, "summary": analysis.summary, "root": root}


def test_6_5_fails_without_a_ladder_and_passes_with_the_recorded_one(climbed, tmp_path):
    empty = check("6.5", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert not empty.passed
    assert "No from-scratch ladder in your journal yet" in empty.missing
    assert empty.next_command == "tinkerlab scratch ladder digits --epochs 50 --plot ladder.png"
    result = check("6.5", climbed["url"])
    assert result.passed
    assert "on digits: CV accuracy by rung 1: 0." in result.found[0]


def _record(url, summary):
    with Journal(url) as journal:
        return journal.record_analysis("ladder", "digits", summary).id


def test_6_5_fails_when_a_numpy_rung_did_not_beat_the_baseline(climbed, tmp_path):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    summary = copy.deepcopy(climbed["summary"])
    summary["steps"][1]["cv_mean"] = summary["baseline"]  # as if it had learned nothing
    number = _record(url, summary)
    result = check("6.5", url)
    assert not result.passed
    assert f"ladder #{number}: rungs 2 (" in result.missing
    assert "--epochs 50" in result.missing


def test_6_5_fails_with_skipped_rungs_and_names_the_extra_when_torch_is_missing(
    climbed, tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    summary = copy.deepcopy(climbed["summary"])
    for step in summary["steps"][3:]:
        step.update(status="skipped", cv_mean=None, note="torch is not installed")
    _record(url, summary)
    result = check("6.5", url)
    assert not result.passed
    assert "3 of the 4 rungs were scored" in result.missing
    monkeypatch.setattr(_deep, "find_spec", lambda name: None)
    without = check("6.5", url)
    assert without.next_command == "pip install 'tinkerlab[deep]'"
