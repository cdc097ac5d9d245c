"""Labs as data: every shipped file parses, links to real labs, checks and commands."""

from __future__ import annotations

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
    from tinkerlab.cli import app

    groups = {g.name: g.typer_instance for g in app.registered_groups}
    commands = {c.name for c in app.registered_commands}
    for lab in labs():
        for command in lab.cli:
            words = shlex.split(command.split(";")[0].split("&&")[0])
            if words[0] != "tinkerlab":
                continue
            assert words[1] in commands | set(groups), (lab.id, command)
            if words[1] in groups and len(words) > 2 and not words[2].startswith("-"):
                sub = groups[words[1]]
                names = {c.name for c in sub.registered_commands}
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
