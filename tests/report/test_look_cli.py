"""`tinkerlab look` and `tl.look`: outputs, the journal, bad input, and next steps that run."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from look_frames import alerting_frame

import tinkerlab as tl
from tinkerlab.cli import main


@pytest.fixture
def cli(capsys):
    from tinkerlab.cli import _output

    for console in (_output.console, _output.errors):
        console.width = 200

    def invoke(*args: str) -> tuple[int, str, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_look_prints_a_summary_and_writes_the_report(cli, tmp_path):
    out = tmp_path / "report.html"
    code, printed, err = cli("look", "titanic", "--out", str(out))
    assert code == 0, err
    assert "Look at titanic" in printed
    assert "1,309 rows" in printed
    assert "$ tinkerlab tinker titanic --knob features --values age" in printed
    assert "Recorded as analysis #1" in printed
    assert out.is_file()
    assert "vegaEmbed" in out.read_text(encoding="utf-8")


def test_look_json_is_parseable_and_names_the_report(cli):
    code, printed, _ = cli("look", "iris", "--json", "--no-record")
    assert code == 0
    data = json.loads(printed)
    assert data["rows"] == 150
    assert data["id"] is None
    assert Path(data["report_path"]).is_file()
    assert {a["kind"] for a in data["alerts"]} >= {"correlated"}


def test_a_look_is_recorded_and_unlocks_its_alerts_cards():
    with tl.open_journal() as journal:
        before = {u.card_id for u in journal.unlocks()}
    result = tl.look(alerting_frame(), target="churned")
    assert result.id is not None
    assert result.report_path is not None
    assert result.report_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with tl.open_journal() as journal:
        (entry,) = journal.analyses("look")
        unlocked = {u.card_id: u.trigger for u in journal.unlocks()}
    assert entry.summary["alerts"][0]["kind"] == "leakage"
    assert {a.card for a in result.alerts} <= set(unlocked)
    assert set(result.unlocked) == {a.card for a in result.alerts} - before
    assert unlocked["data_leakage"] == "look"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["look", "no_such_file.csv"], "No file 'no_such_file.csv'"),
        (["look", "titanic", "--target", "Survived"], "Did you mean 'survived'"),
        (["look", "titanix"], "titanic"),
    ],
)
def test_bad_input_is_one_paragraph_and_exit_2(cli, args, said):
    code, _, err = cli(*args)
    assert code == 2
    assert said in " ".join(err.split())
    assert "Traceback" not in err


def test_look_works_on_a_file_without_a_target(cli, tmp_path):
    path = tmp_path / "plain.csv"
    alerting_frame(n=60).to_csv(path, index=False)
    code, printed, err = cli("look", str(path), "--no-record")
    assert code == 0, err
    assert "none given" in printed


def test_commands_quote_awkward_column_names(alerting_csv):
    result = tl.look(alerting_csv, target="churned", record=False)
    by_kind = {a.kind: a for a in result.alerts}
    skewed = shlex.split(by_kind["skewed"].commands[0])
    assert skewed[2] == str(alerting_csv)  # a path with a space stays one word
    assert skewed[skewed.index("--values") + 1].startswith("none,log:lot area")
    assert by_kind["leakage"].code == (
        f'tl.tinker({json.dumps(str(alerting_csv))}, "features", ["status code"], target="churned")'
    )


@pytest.mark.slow
def test_every_suggested_next_step_runs_as_printed(cli, alerting_csv, monkeypatch):
    """Each alert's commands, split as a shell would split them, exit 0; so does each
    alert's Python call."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no prediction prompt
    result = tl.look(alerting_csv, target="churned", record=False)
    kinds = {a.kind for a in result.alerts}
    assert kinds == {
        "leakage",
        "imbalance",
        "duplicates",
        "missing",
        "correlated",
        "skewed",
        "high_cardinality",
        "dates",
        "text",
    }
    seen = set()
    for alert in result.alerts:
        for command in alert.commands:
            if command in seen:
                continue
            seen.add(command)
            argv = shlex.split(command)
            assert argv[0] == "tinkerlab"
            code, _, err = cli(*argv[1:])
            assert code == 0, f"{command}\n{err}"
    data = alerting_frame()
    for alert in result.alerts[:2]:  # the Python form, on the frame itself
        frame_call = alert.code.replace(json.dumps(str(alerting_csv)), "data")
        outcome = eval(frame_call, {"tl": tl, "data": data})
        assert outcome is not None
