"""Labs as data: every shipped file parses, links to real labs, checks and commands."""

from __future__ import annotations

import re
import shlex
import sys
from itertools import pairwise

import pytest

from tinkerlab.path import CHECKS, PHASES, labs, parse_lab
from tinkerlab.path import lab as get_lab


def test_every_lab_parses_with_a_known_check_and_unique_id():
    found = labs()
    assert len(found) >= 18
    ids = [lab.id for lab in found]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("."))))
    for lab in found:
        assert lab.check["kind"] in CHECKS, lab.id
        assert all((lab.hints, lab.goal, lab.why, lab.solution)), lab.id
        assert set(lab.unlocks) <= set(ids), lab.id


def test_the_path_covers_every_phase_in_day_order():
    found = labs()
    assert {lab.phase for lab in found} == set(PHASES)
    starts = [lab.days[0] for lab in found]
    assert starts == sorted(starts)
    assert get_lab("1.1").days == (1, 1)
    assert get_lab("2.1").days[0] == 4
    assert get_lab("3.1").days[0] == 15


def test_phase_two_has_one_lab_per_kind_of_change_each_needing_a_prediction():
    kinds = {}
    for lab in labs():
        if lab.phase == 2 and lab.check["kind"] == "experiment":
            assert lab.check["predicted"] is True
            for knob in lab.check["knobs"]:
                kinds[knob] = lab.id
    for knob in ("param", "train_size", "features", "model", "seed", "label_noise"):
        assert knob in kinds


def test_every_command_names_a_real_tinkerlab_command():
    from typer.main import get_command

    from tinkerlab.cli import app

    root = get_command(app)  # the commands are imported lazily: ask the click group
    commands = set(root.list_commands(None))  # type: ignore[attr-defined]
    for lab in labs():
        for command in lab.cli:
            if not command.startswith("tinkerlab "):  # python -c "...", cd FOLDER && ...
                continue
            words = shlex.split(command.split(";")[0].split("&&")[0])
            assert words[1] in commands, (lab.id, command)
            sub = root.get_command(None, words[1])  # type: ignore[attr-defined]
            if hasattr(sub, "list_commands") and len(words) > 2 and not words[2].startswith("-"):
                names = set(sub.list_commands(None))
                assert words[2] in names or words[1] == "path", (lab.id, command)


def test_every_python_block_compiles():
    for lab in labs():
        compile("\n".join(lab.python), f"lab {lab.id}", "exec")


def test_a_lab_file_missing_a_field_is_refused_with_its_name():
    with pytest.raises(ValueError, match=r"bad.toml: the lab lacks .*check"):
        parse_lab('id = "9.9"\nphase = 1\ndays = [1, 1]\ntitle = "t"\n', "bad.toml")


def test_an_unknown_lab_says_which_there_are():
    from tinkerlab.exceptions import NotFoundError

    with pytest.raises(NotFoundError, match=r"no lab '9.9'.*1\.1, 1\.2"):
        get_lab("9.9")


#: A command inside a lab's prose (a hint, the solution): "tinkerlab", its words, up to the
#: end of the clause. Only its --options are checked, so the prose after it does no harm.
PROSE_COMMAND = re.compile(r"tinkerlab\s+[a-z]+(?:\s+(?:\"[^\"]*\"|[^\s,;()\"]+))*")


def _options_of(root, words):
    """The option names the (sub)command *words* names accepts, e.g. {"--model", "--set"}."""
    command, ctx = root, None
    for word in words[1:]:
        if word.startswith("-") or not hasattr(command, "get_command"):
            break
        sub = command.get_command(ctx, word)
        if sub is None:
            break
        command = sub
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    return options | {"--help"}


def test_every_option_a_lab_shows_exists_on_its_command():
    from typer.main import get_command

    from tinkerlab.cli import app

    root = get_command(app)
    for lab in labs():
        texts = [*lab.cli, *lab.hints, lab.solution]
        for found in (m[0] for text in texts for m in PROSE_COMMAND.finditer(text)):
            try:
                words = shlex.split(found)
            except ValueError:  # an apostrophe in the prose after it ("the run's")
                words = found.split()
            accepted = _options_of(root, words)
            for word in words:
                if word.startswith("--"):
                    assert word.split("=")[0] in accepted, (lab.id, found, word)


# --- what a newcomer pastes and reads ---------------------------------------------------------


def test_days_read_as_days_and_no_two_labs_share_one():
    from tinkerlab.path._labs import day_range

    assert day_range(3, 3) == "day 3"
    assert day_range(4, 5) == "days 4–5"
    found = labs()
    for before, after in pairwise(found):
        assert after.days[0] > before.days[1], (before.id, before.days, after.id, after.days)


def test_every_predict_best_of_a_features_sweep_names_a_column_of_its_dataset():
    from tinkerlab.data import load

    texts = [text for lab in labs() for text in (*lab.cli, *lab.hints, lab.solution)]
    named = [
        (m[1], m[2])
        for text in texts
        for m in re.finditer(r"tinkerlab tinker (\w+) .*--predict-best \"without (\w+)\"", text)
    ]
    assert named  # lab 2.3 shows one
    for dataset, column in named:
        assert column in load(dataset).features(), (dataset, column)


def test_a_hint_on_predict_score_says_it_is_the_best_score():
    # --predict-score is "the best score you expect", not the score at the end of the curve
    for lab in labs():
        for text in (*lab.hints, lab.solution):
            if "--predict-score" in text:
                assert "best score" in text, (lab.id, text)


def test_the_math_labs_hint_names_what_really_unlocks_each_topic():
    from tinkerlab.insight import MATH_TIMELINE, theory

    hints = " ".join(get_lab("3.3").hints)
    for card, _ in MATH_TIMELINE:
        triggers = set(theory(card).unlocked_by)
        named = {t for t in triggers if t.replace("_", " ") in hints or t in hints}
        assert named, (card, sorted(triggers))
    assert "sweep of C" not in hints  # C unlocks no math topic


@pytest.mark.slow
def test_the_math_labs_quick_commands_pass_its_check(tmp_path, monkeypatch):
    import subprocess

    import tinkerlab as tl

    monkeypatch.setenv("TINKERLAB_HOME", str(tmp_path))
    hint = get_lab("3.3").hints[-1]
    commands = re.findall(r"tinkerlab (?:run|tinker|theory) [^;()]+?(?= \(|;|$)", hint)
    assert len(commands) == 4, commands
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "tinkerlab", *shlex.split(command)[1:]],
            capture_output=True, text=True, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, (command, done.stderr[-2000:])
    assert tl.path.check("3.3").passed


@pytest.mark.slow
def test_lab_1_2s_failing_check_suggests_a_command_that_passes_it(tmp_path, monkeypatch):
    import subprocess

    import tinkerlab as tl

    monkeypatch.setenv("TINKERLAB_HOME", str(tmp_path))
    failed = tl.path.check("1.2")
    assert not failed.passed
    command = failed.next_command.replace("python -c", f"{sys.executable} -c").replace(
        "&& tinkerlab ", f"&& {sys.executable} -m tinkerlab "
    )
    done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert tl.path.check("1.2").passed
