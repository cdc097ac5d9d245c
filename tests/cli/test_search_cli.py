"""``tinkerlab search``: bad input exits 2 with the fix; a search prints, writes and records."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["iris", "--model", "svm"], "needs --knob"),
        (["iris", "--model", "svm", "--knob", "C"], "--knob option of tinkerlab search"),
        (["iris", "--model", "svm", "--knob", "Cx=1:3"], "Fix: --knob C=0.01:100"),
        (["iris", "--model", "svm", "--knob", "C=100:1"], "Fix: --knob C=1:100"),
        (["iris", "--model", "svm", "--knob", "C=1:9", "--strategy", "best"], "--strategy"),
        (["iris", "--model", "svm", "--knob", "C=1:9", "--candidates", "5"], "--strategy random"),
        (["iris", "--knob", "C=1:9", "--model", "svm", "--cv", "1"], "Fix: --cv 5"),
    ],
)
def test_bad_input_exits_2_with_the_fix(cli, args, words):
    result = cli("search", *args)
    assert result.code == 2, result.err
    assert words in result.message
    assert "Traceback" not in result.err


def test_a_search_prints_json_writes_the_script_and_records_it(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(
        "search", "iris", "--model", "knn", "--knob", "n_neighbors=1,5,15",
        "--knob", "weights=uniform,distance", "--jobs", "1", "--script", "best.py",
        "--html", "search.html", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    found = json.loads(result.out)
    assert found["knobs"] == ["n_neighbors", "weights"]
    assert len(found["candidates"]) == 6
    assert set(found["best_params"]) == {"n_neighbors", "weights"}
    assert found["id"] is not None
    script = (tmp_path / "best.py").read_text()
    assert f"n_neighbors={found['best_params']['n_neighbors']}" in script
    assert "vegaEmbed" in (tmp_path / "search.html").read_text()
    again = cli("search", "iris", "--model", "knn", "--knob", "n_neighbors=1,5", "--script",
                "best.py")  # fmt: skip
    assert again.code == 2
    assert "--force" in again.message
    listed = cli("journal", "experiments", "--json")
    assert any(e["id"] == found["id"] for e in json.loads(listed.out))
