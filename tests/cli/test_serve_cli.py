"""The ship commands end to end: run --save, save, serve (refusals), predict, monitor, demo."""

from __future__ import annotations

import json

import pytest

from tinkerlab.serve import ServeConfig, create_app, load_artifact
from tinkerlab.serve._server import BackgroundServer


@pytest.mark.parametrize(
    "command", [["save"], ["serve"], ["predict"], ["monitor"], ["demo", "drift"]]
)
def test_every_ship_command_has_help_with_an_example(cli, command):
    result = cli(*command, "--help")
    assert result.code == 0
    assert "Example" in result.out


def test_run_save_then_serve_checks_then_predict_and_monitor(cli, tmp_path):
    path = tmp_path / "titanic"
    result = cli(
        "run", "titanic", "--set", "n_estimators=20", "--cv", "2", "--save", str(path), "--json"
    )
    assert result.code == 0, result.err
    assert str(path) in json.loads(result.out)["written"]
    artifact = load_artifact(path)
    assert artifact.model_id == "titanic-random_forest"

    again = cli("run", "titanic", "--save", str(path))
    assert again.code == 2  # refused before training: the directory holds an artifact
    assert "already holds an artifact" in again.message

    refused = cli("serve", str(path), "--host", "0.0.0.0")
    assert refused.code == 2
    assert "Refusing to serve on '0.0.0.0' without a token" in refused.message
    assert "Traceback" not in refused.err

    rows = tmp_path / "new.csv"
    rows.write_text("name,sex,age,passengerClass\nAnna,female,29,1st\nBob,male,,3rd\n")
    config = ServeConfig(monitor_dir=tmp_path / "monitor", access_log=False)
    with BackgroundServer(create_app(artifact, config)) as url:
        table = cli("predict", url, "--file", str(rows))
        as_json = cli("predict", url, "--json", '{"sex": "female", "age": 29}', "--output", "json")
        out = tmp_path / "predictions.csv"
        saved = cli("predict", url, "--file", str(rows), "--out", str(out), "--output", "csv")
        bad = cli("predict", url, "--json", '{"sex": "robot"}')
        monitored = cli("monitor", url, "--json")
        shown = cli("monitor", url)
    assert table.code == 0, table.err
    assert "2 predictions" in table.out
    assert "Not sent (the model does not use them): name" in table.out
    assert json.loads(as_json.out)[0]["prediction"] in ("yes", "no")
    assert out.read_text().splitlines()[0] == "prediction,probability_no,probability_yes"
    assert saved.out.splitlines()[0] == "prediction,probability_no,probability_yes"
    assert bad.code == 2
    assert "field 'sex' got 'robot'; allowed: 'female', 'male'" in bad.message
    report = json.loads(monitored.out)
    assert report["rows"] == 5  # 2 + 1 + 2 rows were served (the bad one was not)
    assert not report["enough_rows"]
    assert "Only 5 rows logged" in shown.out


def test_save_a_journal_run(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'j.sqlite'}"
    run = cli("run", "iris", "--model", "knn", "--cv", "2", "--db", db, "--json")
    run_id = json.loads(run.out)["id"]
    saved = cli("save", str(run_id), str(tmp_path / "iris"), "--db", db, "--json")
    assert saved.code == 0, saved.err
    assert json.loads(saved.out)["notices"] == []
    assert load_artifact(tmp_path / "iris").meta["run_id"] == run_id
    missing = cli("save", "999", str(tmp_path / "x"), "--db", db)
    assert missing.code == 2


def test_serve_refuses_an_untrusted_artifact_and_names_the_trust_flag(cli, tmp_path):
    import hashlib

    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    path = tmp_path / "m"
    assert (
        cli("run", "iris", "--model", "knn", "--cv", "2", "--no-record", "--save", str(path)).code
        == 0
    )
    sio.dump(FunctionTransformer(func=print), path / "model.skops")
    meta = json.loads((path / "meta.json").read_text())
    meta["model_sha256"] = hashlib.sha256((path / "model.skops").read_bytes()).hexdigest()
    (path / "meta.json").write_text(json.dumps(meta))
    result = cli("serve", str(path))
    assert result.code == 2
    assert "builtins.print" in result.message
    assert "--trust builtins.print" in result.message


def test_token_file_must_be_strong(cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("abc")
    result = cli("serve", str(tmp_path), "--host", "0.0.0.0", "--token-file", str(secret))
    assert result.code == 2
    assert "too short" in result.message


def test_demo_drift_raises_the_alarm_only_for_shifted_traffic(cli):
    result = cli("demo", "drift", "--rows", "120", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert not report["normal"]["alarm"]
    assert report["shifted"]["alarm"]
    assert set(report["shifted"]["drifted"]) >= {"sex"}
    assert report["url"].startswith("http://127.0.0.1:")
