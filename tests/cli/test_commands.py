"""The commands of the Run foundation, end to end: datasets, models, run, quickstart, journal."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tinkerlab.data import list_datasets
from tinkerlab.journal import Journal


def test_help_lists_commands_without_importing_sklearn_or_pandas():
    code = (
        "import sys\n"
        "from tinkerlab.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "names = ('sklearn', 'pandas', 'matplotlib', 'sqlalchemy')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "quickstart" in out.stdout
    assert "journal" in out.stdout
    assert "HEAVY []" in out.stdout


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "tinkerlab", "models", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {m["name"] for m in json.loads(out.stdout)} >= {"knn", "random_forest", "dummy"}


@pytest.mark.parametrize("command", ["quickstart", "datasets", "models", "run", "journal"])
def test_every_command_has_help_with_an_example(cli, command):
    result = cli(command, "--help")
    assert result.code == 0
    assert "Example" in result.out
    assert "--json" in result.out


def test_datasets_json_lists_every_builtin_with_provenance(cli):
    result = cli("datasets", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert [r["name"] for r in rows] == [d.name for d in list_datasets()]
    for row in rows:
        for field in ("description", "rows", "columns", "task", "target", "licence"):
            assert row[field], (row["name"], field)
        assert row["source"]["item"]
        assert row["source"]["package"]


def test_datasets_table(cli):
    result = cli("datasets")
    assert result.code == 0
    for name in ("titanic", "faces", "reviews", "house_prices"):
        assert name in result.out


def test_models_shows_knobs(cli):
    result = cli("models", "decision_tree")
    assert result.code == 0
    assert "max_depth" in result.out
    assert "min_samples_leaf" in result.out


def test_run_records_and_reports(cli, tinkerlab_home):
    result = cli("run", "iris", "--model", "knn", "--set", "n_neighbors=7")
    assert result.code == 0, result.err
    assert "Run #1" in result.out
    assert "accuracy" in result.out
    assert "baseline" in result.out
    with Journal() as journal:
        entry = journal.get_run(1)
    assert entry.model == "knn"
    assert entry.recipe["params"] == {"n_neighbors": 7}
    assert {p.name for p in entry.plot_paths} >= {"confusion_matrix.png"}
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in entry.plot_paths)


def test_run_json_is_parseable_and_complete(cli):
    result = cli("run", "diabetes", "--model", "ridge", "--set", "alpha=0.5", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["task"] == "regression"
    assert set(data["metrics"]) == {"mae", "rmse", "r2"}
    assert data["metrics"]["rmse"]["test"] < data["baseline"]["rmse"]["test"]
    assert data["recipe"]["params"] == {"alpha": 0.5}
    assert data["id"] == 1


def test_run_writes_script_notebook_and_recipe(cli, tmp_path):
    script, notebook, recipe = tmp_path / "t.py", tmp_path / "t.ipynb", tmp_path / "r.toml"
    result = cli(
        "run",
        "iris",
        "--model",
        "knn",
        "--script",
        str(script),
        "--notebook",
        str(notebook),
        "--recipe-out",
        str(recipe),
        "--no-record",
    )
    assert result.code == 0, result.err
    compile(script.read_text(), str(script), "exec")
    import nbformat

    nbformat.validate(nbformat.reads(notebook.read_text(), as_version=4))
    from tinkerlab.recipe import Recipe

    assert Recipe.from_toml(recipe.read_text()).model == "knn"
    with Journal() as journal:
        assert journal.count_runs() == 0  # --no-record


def test_quickstart_trains_on_titanic_and_suggests_next_steps(cli):
    result = cli("quickstart")
    assert result.code == 0, result.err
    assert "random_forest on titanic" in result.out
    assert "What next?" in result.out
    assert "tinkerlab journal show 1" in result.out


def test_journal_list_show_note_ask(cli):
    assert cli("run", "iris", "--model", "knn").code == 0
    listed = cli("journal", "--json")
    assert [e["id"] for e in json.loads(listed.out)] == [1]
    assert "knn" in cli("journal", "list").out
    note = cli("journal", "note", "1", "petal width separates the classes")
    assert note.code == 0
    assert "Note #1" in note.out
    ask = cli("journal", "ask", "why is the test score higher than CV?", "--run", "1")
    assert ask.code == 0
    assert "Question #1" in ask.out
    shown = json.loads(cli("journal", "show", "1", "--json").out)
    assert shown["notes"][0]["text"] == "petal width separates the classes"
    assert shown["questions"][0]["text"] == "why is the test score higher than CV?"
    assert "petal width" in cli("journal", "show", "1").out


def test_journal_note_and_show_an_experiment(cli):
    tinkered = cli(
        "tinker",
        "iris",
        "--model",
        "knn",
        "--knob",
        "n_neighbors",
        "--values",
        "1,15",
        "--repeats",
        "1",
        "--predict",
        "flat",
    )
    assert tinkered.code == 0, tinkered.err
    note = cli("journal", "note", "e1", "one neighbour memorises the training rows")
    assert note.code == 0, note.err
    assert "Note #1 added to experiment #1." in note.out
    ask = cli("why", "why does k=1 overfit?", "--experiment", "1")
    assert ask.code == 0, ask.err

    shown = json.loads(cli("journal", "show", "e1", "--json").out)
    assert shown["id"] == 1
    assert shown["knob"] == "n_neighbors"
    assert [n["text"] for n in shown["notes"]] == ["one neighbour memorises the training rows"]
    assert [q["text"] for q in shown["questions"]] == ["why does k=1 overfit?"]
    text = cli("journal", "show", "experiment:1").out
    assert "Experiment #1" in text
    assert "one neighbour memorises" in text
    assert "your prediction: flat" in text
    # The note is the experiment's, not run 1's (there is no run 1).
    assert cli("journal", "show", "1").code == 2


def test_journal_note_on_a_record_it_cannot_name_is_bad_input(cli):
    for record, fix in (("three", "journal note e2"), ("e99", "99")):
        result = cli("journal", "note", record, "a note")
        assert result.code == 2, result.out
        assert fix in result.message
        assert "Traceback" not in result.err


def test_journal_show_unknown_id_is_bad_input(cli):
    result = cli("journal", "show", "42")
    assert result.code == 2
    assert "42" in result.message
    assert "Traceback" not in result.err


def test_journal_empty_note_is_bad_input(cli):
    assert cli("run", "iris", "--model", "knn").code == 0
    result = cli("journal", "note", "1", "  ")
    assert result.code == 2


def test_journal_db_option_selects_another_database(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    assert cli("run", "iris", "--model", "knn", "--db", url).code == 0
    assert json.loads(cli("journal", "--json").out) == []
    assert len(json.loads(cli("journal", "--json", "--db", url).out)) == 1


def test_a_recipe_file_runs_again_to_the_same_numbers(cli, tmp_path):
    recipe = tmp_path / "recipe.toml"
    first = cli(
        "run",
        "titanic",
        "--model",
        "decision_tree",
        "--set",
        "max_depth=3",
        "--recipe-out",
        str(recipe),
        "--json",
    )
    assert first.code == 0, first.err
    again = cli("run", "--recipe", str(recipe), "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["metrics"] == json.loads(first.out)["metrics"]
    assert json.loads(again.out)["id"] == 2


def test_a_recipe_on_a_changed_file_says_so(cli, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n" + "".join(f"{i % 7},{'a' if i % 3 else 'b'}\n" for i in range(60)))
    recipe = tmp_path / "r.json"
    assert (
        cli(
            "run",
            str(data),
            "--target",
            "y",
            "--model",
            "knn",
            "--recipe-out",
            str(recipe),
            "--no-record",
        ).code
        == 0
    )
    with data.open("a") as f:
        f.write("".join(f"{i % 5},{'a' if i % 2 else 'b'}\n" for i in range(60, 90)))
    again = cli("run", "--recipe", str(recipe), "--no-record", "--json")
    assert again.code == 0, again.err
    assert any("data changed" in n for n in json.loads(again.out)["notices"])


def test_dataset_and_recipe_together_is_bad_input(cli, tmp_path):
    result = cli("run", "iris", "--recipe", str(tmp_path / "r.toml"))
    assert result.code == 2
    assert "--recipe and DATASET cannot go together" in result.message
    assert "Fix: keep one of --recipe" in result.message


def test_plots_live_beside_a_sqlite_journal(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'class' / 'j.sqlite'}"
    (tmp_path / "class").mkdir()
    data = json.loads(cli("run", "iris", "--model", "knn", "--db", url, "--json").out)
    assert data["plots"]
    assert all(p.startswith(str(tmp_path / "class" / "runs")) for p in data["plots"])
