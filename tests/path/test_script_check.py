"""Lab 1.3's check runs the learner's edited script and compares its scores with its run's."""

from __future__ import annotations

import pytest

import tinkerlab as tl
from tinkerlab.path._script import changed_lines, parse_scores


@pytest.fixture(scope="module")
def titanic(tmp_path_factory):
    """A recorded titanic run and the script it wrote (names 'journal run N')."""
    home = tmp_path_factory.mktemp("script-home")
    url = f"sqlite:///{home / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(home))
        run = tl.run("titanic", model="logistic_regression", db=url)
    return {"url": url, "run": run, "script": run.script()}


def write(tmp_path, text):
    path = tmp_path / "train.py"
    path.write_text(text)
    return path


def check(titanic, path):
    return tl.path.check("1.3", script=path, db=titanic["url"], timeout=120)


def test_the_script_names_its_run(titanic):
    assert f"(journal run {titanic['run'].id})" in titanic["script"]


def test_a_missing_script_says_how_to_write_one(titanic, tmp_path):
    result = check(titanic, tmp_path / "nope.py")
    assert not result.passed
    assert "There is no script" in result.missing
    assert result.next_command.endswith("--script train.py")


def test_an_unchanged_script_fails_before_running(titanic, tmp_path):
    result = check(titanic, write(tmp_path, titanic["script"]))
    assert not result.passed
    assert f"exactly as tinkerlab wrote it from run #{titanic['run'].id}" in result.missing


def test_a_script_naming_no_run_fails(titanic, tmp_path):
    result = check(titanic, write(tmp_path, "print('hello')\n"))
    assert not result.passed
    assert "names no run of your journal" in result.missing


@pytest.mark.slow
def test_a_change_that_does_not_beat_the_run_fails_with_both_numbers(titanic, tmp_path):
    worse = titanic["script"].replace("C=1.0,", "C=3.0,")
    assert worse != titanic["script"]
    result = check(titanic, write(tmp_path, worse))
    assert not result.passed
    run_score = titanic["run"].metrics["accuracy"]["cv_mean"]
    assert f"run #{titanic['run'].id}'s {run_score:.4f}" in result.missing
    assert "your script gets 0.7" in result.missing
    # after another edit, the check runs the script again: python train.py alone records nothing
    assert result.next_command == f"tinkerlab path check 1.3 --script {tmp_path / 'train.py'}"


@pytest.mark.slow
def test_a_change_that_beats_the_run_passes_and_is_recorded(titanic, tmp_path):
    better = titanic["script"].replace("C=1.0,", "C=0.1,")
    result = check(titanic, write(tmp_path, better))
    assert result.passed, result.missing
    assert result.details["script"] > result.details["run"] > result.details["baseline"]
    assert "differs from run" in result.found[0]
    assert "in 1 line(s)" in result.found[0]  # C=1.0 -> C=0.1 is one line
    with tl.open_journal(titanic["url"]) as journal:
        assert "1.3" in {e.lab_id for e in journal.labs_done()}


@pytest.mark.slow
def test_a_script_that_crashes_says_its_last_error_line(titanic, tmp_path):
    broken = titanic["script"].replace("C=1.0,", "C=undefined_name,")
    result = check(titanic, write(tmp_path, broken))
    assert not result.passed
    assert "NameError: name 'undefined_name' is not defined" in result.missing


def test_the_scores_a_script_prints_are_read_back():
    out = (
        "logistic_regression\n  accuracy           cv 0.7804 ± 0.0288  test 0.8015\n"
        "  rmse               cv 12.5000 ± 1.0000  test 13.0000\n"
        "baseline\n  accuracy           cv 0.6180 ± 0.0009  test 0.6183\n"
    )
    blocks = parse_scores(out)
    assert blocks["logistic_regression"]["accuracy"] == {
        "cv_mean": 0.7804,
        "cv_std": 0.0288,
        "test": 0.8015,
    }
    assert blocks["logistic_regression"]["rmse"]["cv_mean"] == 12.5
    assert blocks["baseline"]["accuracy"]["test"] == 0.6183


def test_changed_lines_ignores_spacing_and_blank_lines():
    assert changed_lines("a = 1\n\nb = 2\n", "a = 1\nb =  2 \n") == 0
    assert changed_lines("a = 1\nb = 2\n", "a = 1\nb = 3\n") == 1  # edited in place: one


def test_changed_lines_counts_an_edit_once_and_each_added_or_removed_line():
    assert changed_lines("a\nb\nc\n", "a\nB\nc\nd\n") == 2  # b edited, d added
    assert changed_lines("a\nb\nc\n", "a\nc\n") == 1  # b removed
    assert changed_lines("a\nb\n", "x\ny\nz\n") == 3  # two lines replaced by three
