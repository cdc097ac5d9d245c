"""`tinkerlab path`, `project` and `export` from the command line: output, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import tinkerlab as tl


def test_path_and_project_help_import_no_sklearn():
    code = (
        "import sys\nfrom tinkerlab.cli import main\n"
        "for args in (['path', '--help'], ['project', '--help'], ['export', '--help']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "print('HEAVY', [m for m in ('sklearn', 'pandas') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "checklist" in out.stdout
    assert "HEAVY []" in out.stdout


def test_path_shows_where_you_are_and_the_next_lab(cli):
    result = cli("path")
    assert result.code == 0
    assert "The path: 0 of" in result.out
    assert "Next: lab 1.1" in result.out
    assert "tinkerlab path check 1.1" in result.out
    data = json.loads(cli("path", "--json").out)
    assert data["next"]["id"] == "1.1"
    assert data["test"]["answers"] == 0


def test_path_math_still_works(cli):
    result = cli("path", "math")
    assert result.code == 0
    assert "The math timeline" in result.out


def test_show_hint_and_solution(cli):
    shown = cli("path", "show", "2.3", "--solution")
    assert shown.code == 0
    assert "Which features matter?" in shown.out
    assert "Solution" in shown.out
    assert "tinkerlab lab, then /tinker" in shown.out
    assert "Hint 2 of" in cli("path", "hint", "2.3", "2").out
    assert json.loads(cli("path", "show", "1.1", "--json").out)["check"]["kind"] == "run"


def test_an_unknown_lab_is_bad_input(cli):
    result = cli("path", "show", "9.9")
    assert result.code == 2
    assert "There is no lab '9.9'" in result.message


def test_a_failed_check_exits_1_and_says_what_to_type(cli):
    result = cli("path", "check", "1.1")
    assert result.code == 1
    assert "not yet" in result.out
    assert "next: tinkerlab run titanic" in result.out
    data = json.loads(cli("path", "check", "1.2", "--json").out)
    assert data["passed"] is False
    assert data["next"].endswith("&& tinkerlab run mine.csv --target species")


def test_a_passed_check_exits_0_and_is_shown_on_the_path(cli):
    tl.run("iris", model="knn")
    result = cli("path", "check", "1.1")
    assert result.code == 0
    assert "Lab 1.1: passed" in result.out
    assert "next: tinkerlab path show 1.2" in result.out
    assert "→ 1.2" in cli("path").out


def test_test_show_asks_without_answering(cli):
    result = cli("path", "test", "--show")
    assert result.code == 0
    assert "Predict" in result.out
    assert "No finding in your experiments yet" in result.out
    data = json.loads(cli("path", "test", "--show", "--json").out)
    assert data["predict"]["choices"] == ["up", "down", "peak", "valley", "flat"]
    with tl.open_journal() as journal:
        assert journal.answers() == []
        assert journal.list_experiments() == []


def test_a_bad_shape_is_bad_input(cli):
    result = cli("path", "test", "--part", "predict", "--predict", "sideways")
    assert result.code == 2
    assert "got 'sideways'" in result.message


@pytest.mark.slow
def test_the_test_answers_from_flags_and_keeps_the_score(cli):
    tl.tinker("iris", "n_neighbors", [1, 5, 25], model="knn", repeats=1, predict="down")
    result = cli("path", "test", "--predict", "down", "--explain", "1", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["predict"]["result"]["answer"] == "down"
    assert data["explain"]["result"]["kind"] == "explain"
    assert data["score"]["answers"] == 2


def test_checklist_lists_every_item(cli):
    items = json.loads(cli("path", "checklist", "--json").out)
    assert len(items) >= 10
    assert not any(i["met"] for i in items)
    assert "I predict before I look" in cli("path", "checklist").out


def test_project_new_and_status(cli, tmp_path):
    data = tmp_path / "customers.csv"
    tl.load("penguins").frame.to_csv(data, index=False)
    made = cli("project", "new", "pengu", "--data", str(data), "--target", "species",
               "--where", str(tmp_path))  # fmt: skip
    assert made.code == 0
    assert "Project pengu" in made.out
    status = cli("project", "status", str(tmp_path / "pengu"))
    assert status.code == 0
    assert "1 of 11 steps done" in status.out
    assert "Next: edit problem.md" in status.out
    steps = json.loads(cli("project", "status", str(tmp_path / "pengu"), "--json").out)["steps"]
    assert [s["step"] for s in steps if s["done"]] == ["data"]


def test_project_bad_input_exits_2(cli, tmp_path):
    missing = cli("project", "new", "x", "--data", str(tmp_path / "no.csv"), "--target", "y")
    assert missing.code == 2
    assert "no data file" in missing.message
    nowhere = cli("project", "status", str(tmp_path))
    assert nowhere.code == 2
    assert "is not a tinkerlab project" in nowhere.message


def test_export_of_a_missing_run_is_bad_input(cli, tmp_path):
    result = cli("export", "42", "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert "42" in result.message


def test_path_show_says_day_1_not_days_1_1(cli):
    out = cli("path", "show", "1.1").out
    assert "phase 1 (Run), day 1" in out
    assert "days 1–1" not in out
