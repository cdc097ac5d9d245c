"""Bad input: exit 2, one paragraph naming the problem, the value and the fix, no traceback,
and the journal exactly as it was (same runs, same files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tinkerlab.journal import Journal


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tinkerlab home holding one real recorded run, made once and copied per test."""
    home = tmp_path_factory.mktemp("seeded") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(home))
        import tinkerlab as tl

        tl.run("iris", model="knn")
    return home


@pytest.fixture
def bad(cli, seeded_home, tinkerlab_home):
    """``bad(args...)`` runs the CLI, asserts the bad-input contract, returns the message."""
    shutil.copytree(seeded_home, tinkerlab_home)

    def snapshot() -> tuple[int, list[str]]:
        with Journal() as journal:
            runs = journal.count_runs()
        files = sorted(
            str(p.relative_to(tinkerlab_home))
            for p in tinkerlab_home.rglob("*")
            if "journal.sqlite" not in p.name
        )
        return runs, files

    def invoke(*args: str) -> str:
        before = snapshot()
        result = cli(*args)
        assert result.code == 2, f"exit {result.code}: {result.err}{result.out}"
        assert "Traceback" not in result.err + result.out
        assert result.message.startswith("Error:")
        assert snapshot() == before, "bad input must leave the journal untouched"
        return result.message

    return invoke


def write(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_text(text, encoding=encoding)
    return str(path)


def table(n: int = 40) -> str:
    """A small valid CSV: two numeric features and a two-class target."""
    rows = [f"{i},{(i * 7) % 13},{'yes' if i % 3 else 'no'}" for i in range(n)]
    return "size,weight,label\n" + "\n".join(rows) + "\n"


def test_missing_file(bad, tmp_path):
    message = bad("run", str(tmp_path / "nope.csv"), "--target", "y")
    assert "nope.csv" in message


def test_empty_file(bad, tmp_path):
    message = bad("run", write(tmp_path / "empty.csv", ""), "--target", "y")
    assert "empty" in message.lower()


def test_header_only(bad, tmp_path):
    message = bad("run", write(tmp_path / "h.csv", "a,b,y\n"), "--target", "y")
    assert "no data rows" in message


def test_unknown_delimiter(bad, tmp_path):
    text = "a#b#y\n" + "".join(f"{i}#{i * 2}#{i % 2}\n" for i in range(30))
    message = bad("run", write(tmp_path / "odd.csv", text), "--target", "y")
    assert "--sep" in message


def test_non_utf8_bytes(bad, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b,y\n" + bytes(range(256)) * 4)
    message = bad("run", str(path), "--target", "y")
    assert "binary.csv" in message


def test_cp1252_file_loads_with_a_notice(cli, tmp_path):
    text = "city,size,label\n" + "".join(
        f"{'Zürich' if i % 2 else 'Málaga'},{i},{'a' if i % 3 else 'b'}\n" for i in range(60)
    )
    result = cli(
        "run", write(tmp_path / "latin.csv", text, "cp1252"), "--target", "label", "--model", "knn"
    )
    assert result.code == 0, result.err
    assert "cp1252" in result.out


def test_duplicate_column_names(bad, tmp_path):
    text = "a,b,a,y\n" + "".join(f"{i},{i},{i},{i % 2}\n" for i in range(30))
    message = bad("run", write(tmp_path / "dup.csv", text), "--target", "y")
    assert "'a'" in message


def test_target_not_found_suggests_the_closest(bad, tmp_path):
    message = bad("run", write(tmp_path / "t.csv", table()), "--target", "lable")
    assert "'label'" in message
    assert "size" in message


def test_target_with_trailing_space(bad, tmp_path):
    message = bad("run", "titanic", "--target", "survived ")
    assert "'survived'" in message


def test_target_all_missing(bad, tmp_path):
    text = "a,b,y\n" + "".join(f"{i},{i * 3 % 7},\n" for i in range(30))
    message = bad("run", write(tmp_path / "m.csv", text), "--target", "y")
    assert ("'y'" in message and "missing" in message.lower()) or "empty" in message.lower()


def test_single_class(bad, tmp_path):
    text = "a,b,y\n" + "".join(f"{i},{i * 3 % 7},yes\n" for i in range(30))
    message = bad("run", write(tmp_path / "one.csv", text), "--target", "y")
    assert "'yes'" in message


def test_float_target_as_classification(bad):
    message = bad("run", "diabetes", "--task", "classification")
    assert "regression" in message


def test_more_classes_than_rows_allow_for_cv(bad, tmp_path):
    labels = ["a"] * 20 + ["b"] * 20 + ["c"] * 3
    text = "x,z,y\n" + "".join(f"{i},{i % 5},{label}\n" for i, label in enumerate(labels))
    message = bad("run", write(tmp_path / "rare.csv", text), "--target", "y", "--model", "knn")
    assert "'c'" in message
    assert "--cv" in message


def test_id_like_column_is_dropped_with_a_notice(cli, tmp_path):
    text = "customer_id,size,label\n" + "".join(
        f"{1000 + i},{(i * 7) % 13},{'yes' if i % 3 else 'no'}\n" for i in range(60)
    )
    result = cli(
        "run", write(tmp_path / "ids.csv", text), "--target", "label", "--model", "knn", "--json"
    )
    assert result.code == 0, result.err
    import json

    data = json.loads(result.out)
    assert "customer_id" in data["recipe"]["unused"]
    assert any("customer_id" in n for n in data["notices"])


def test_only_an_id_column_left_is_bad_input(bad, tmp_path):
    text = "customer_id,label\n" + "".join(
        f"{1000 + i},{'yes' if i % 3 else 'no'}\n" for i in range(60)
    )
    message = bad("run", write(tmp_path / "only_ids.csv", text), "--target", "label")
    assert "customer_id" in message


def test_constant_column_is_dropped_with_a_notice(cli, tmp_path):
    text = "shop,size,label\n" + "".join(
        f"main,{(i * 7) % 13},{'yes' if i % 3 else 'no'}\n" for i in range(60)
    )
    result = cli(
        "run", write(tmp_path / "const.csv", text), "--target", "label", "--model", "knn", "--json"
    )
    assert result.code == 0, result.err
    import json

    data = json.loads(result.out)
    assert "shop" in data["recipe"]["unused"]
    assert any("shop" in n for n in data["notices"])


def test_infinite_values(bad, tmp_path):
    text = "a,b,y\n" + "".join(f"{'inf' if i == 4 else i},{i % 7},{i % 2}\n" for i in range(30))
    message = bad("run", write(tmp_path / "inf.csv", text), "--target", "y")
    assert "'a'" in message
    assert "inf" in message.lower()


def test_mixed_types_in_a_column(bad, tmp_path):
    text = "a,b,y\n" + "".join(
        f"{'n/a?' if i in (3, 9) else i},{i % 7},{i % 2}\n" for i in range(40)
    )
    message = bad("run", write(tmp_path / "mixed.csv", text), "--target", "y")
    assert "'a'" in message
    assert "--categorical" in message


def test_file_too_large_is_sampled_with_a_notice(cli, tmp_path):
    path = write(tmp_path / "big.csv", table(3000))
    result = cli(
        "run", path, "--target", "label", "--model", "knn", "--max-bytes", "20000", "--json"
    )
    assert result.code == 0, result.err
    import json

    data = json.loads(result.out)
    assert data["summary"]["inputs"]["rows"] < 3000
    assert any("sample" in n for n in data["notices"])


def test_unknown_model(bad):
    message = bad("run", "iris", "--model", "random_forrest")
    assert "Did you mean 'random_forest'" in message


def test_unknown_parameter(bad):
    message = bad("run", "iris", "--model", "knn", "--set", "k=3")
    assert "n_neighbors" in message


def test_parameter_out_of_range(bad):
    message = bad("run", "iris", "--model", "knn", "--set", "n_neighbors=0")
    assert "n_neighbors" in message
    assert "Got 0" in message


def test_bad_task(bad):
    message = bad("run", "iris", "--task", "clustering")
    assert "'clustering'" in message


def test_unknown_builtin_name(bad):
    message = bad("run", "titanik")
    assert "titanic" in message


def test_script_into_missing_folder_fails_before_running(bad, tmp_path):
    message = bad("run", "iris", "--script", str(tmp_path / "no" / "such" / "train.py"))
    assert "does not exist" in message


def test_scratch_impl_for_a_model_without_a_twin(bad):
    message = bad("run", "iris", "--model", "svm", "--impl", "scratch")
    assert "no from-scratch twin" in message
    assert "knn" in message


def test_scratch_only_knob_on_sklearn_impl(bad):
    message = bad("run", "iris", "--model", "logistic_regression", "--set", "learning_rate=1")
    assert "learning_rate" in message
    assert "Valid parameters" in message


def test_rich_markup_in_user_text_is_printed_literally(bad):
    message = bad("run", "iris", "--target", "[/]")
    assert "'[/]'" in message


def test_markup_in_a_note_does_not_break_show(cli):
    assert cli("run", "iris", "--model", "knn").code == 0
    assert cli("journal", "note", "1", "[/] [bold]oops").code == 0
    shown = cli("journal", "show", "1")
    assert shown.code == 0
    assert "[/] [bold]oops" in shown.out


def test_script_may_not_overwrite_the_data_file(bad, tmp_path):
    path = write(tmp_path / "q.csv", table(60))
    message = bad("run", path, "--target", "label", "--script", path)
    assert "destroy your data" in message
    assert (tmp_path / "q.csv").read_text().startswith("size,weight,label")


def test_group_options_before_a_subcommand_are_refused(bad):
    message = bad("journal", "--db", "sqlite:////tmp/other.sqlite", "show", "1")
    assert "after it" in message


def test_class_missing_from_the_test_split(bad, tmp_path):
    labels = ["a"] * 60 + ["b"] * 60 + ["c", "d", "e", "f"] * 3
    text = "x,z,y\n" + "".join(f"{i},{i % 5},{label}\n" for i, label in enumerate(labels))
    message = bad("run", write(tmp_path / "rare2.csv", text), "--target", "y", "--cv", "2")
    assert "test split has no row of class" in message
    assert "--test-size" in message


def test_seed_out_of_range(bad):
    message = bad("run", "iris", "--seed", "-1")
    assert "Got -1" in message


def test_max_bytes_accepts_human_sizes(cli, tmp_path):
    path = write(tmp_path / "big.csv", table(3000))
    result = cli(
        "run",
        path,
        "--target",
        "label",
        "--model",
        "knn",
        "--max-bytes",
        "20K",
        "--no-record",
        "--json",
    )
    assert result.code == 0, result.err


# --- options declared once (tinkerlab.options): fixes written for the command in use ---------


def test_a_knob_of_another_model_names_that_model_before_any_fit(bad, monkeypatch):
    from tinkerlab.experiment import _experiment

    def no_fits(*args, **kwargs):
        raise AssertionError("the knob must be refused before the sweep starts")

    monkeypatch.setattr(_experiment, "run_sweep", no_fits)
    message = bad("tinker", "iris", "--knob", "n_neighbours", "--values", "1,3")
    assert "not a knob of random_forest, the default model for classification" in message
    assert "'n_neighbors' is a knob of knn" in message
    assert message.endswith("Fix: --model knn --knob n_neighbors")


def test_a_bad_sweep_value_is_fixed_with_values_not_set(bad):
    message = bad(
        "tinker", "iris", "--model", "knn", "--knob", "n_neighbors", "--values", "1,3,abc"
    )
    assert "Got 'abc' instead" in message
    assert message.endswith("Fix: --values 1,3,5")
    assert "--set" not in message  # tinker's values are not --set


@pytest.mark.parametrize(
    ("given", "fix"),
    [
        (["--values", "0,5"], "Fix: --values 1,5"),  # moved to the nearest allowed, not 5,5
        (["--range", "0:500"], "Fix: --range 1:96"),  # a range is fixed with a range ...
        (["--range", "2:500"], "Fix: --range 2:96"),  # ... capped by a training fold's rows
    ],
)
def test_an_out_of_range_sweep_is_fixed_with_the_nearest_allowed_values(bad, given, fix):
    message = bad("tinker", "iris", "--model", "knn", "--knob", "n_neighbors", *given)
    assert message.endswith(fix)
    assert "--set" not in message


def test_a_word_for_a_number_knob_suggests_a_number(bad):
    message = bad("run", "iris", "--set", "max_depth=eight")
    assert message.endswith("Fix: --set max_depth=8")


def test_outputs_are_not_overwritten_without_force(bad, cli, tmp_path):
    script = tmp_path / "train.py"
    script.write_text("# mine\n")
    message = bad("run", "iris", "--model", "knn", "--script", str(script))
    assert "Refusing to overwrite" in message
    assert "--force" in message
    assert script.read_text() == "# mine\n"
    result = cli("run", "iris", "--model", "knn", "--script", str(script), "--force")
    assert result.code == 0, result.err
    assert "import" in script.read_text()


def test_force_without_outputs_or_resume_is_harmless_for_run(cli):
    assert cli("run", "iris", "--model", "knn", "--force", "--no-record").code == 0
