"""Labs as data: every shipped file parses, links to real labs, checks and commands."""

from __future__ import annotations

import re
import shlex

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
            words = shlex.split(command.split(";")[0].split("&&")[0])
            if words[0] != "tinkerlab":
                continue
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
