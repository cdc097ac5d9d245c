"""The Data page: uploads in every format the lab takes, and the data report (``look``)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from lab_helpers import BASE, csrf_of

from tinkerlab.web import LabConfig, create_app


def _frame() -> Any:
    """A small table whose target a single column nearly decides (a leakage alert) and
    whose 'spend' is strongly skewed (a skewness alert); the target is the last column."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 200
    signal = rng.normal(size=n)
    return pd.DataFrame(
        {
            "signal": signal,
            "spend": rng.lognormal(0.0, 1.5, size=n),
            "leak": np.where(signal > 0, "hi", "lo"),
            "label": np.where(signal > 0, "yes", "no"),
        }
    )


def _as(fmt: str, path: Path) -> bytes:
    frame = _frame()
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    elif fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_excel(path, index=False)
    return path.read_bytes()


def _upload(client: Any, name: str, content: bytes) -> Any:
    token = csrf_of(client, "/data")
    return client.post(
        "/data/upload",
        data={"csrf_token": token},
        files={"file": (name, io.BytesIO(content), "application/octet-stream")},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("csv", "t.csv"), ("parquet", "t.parquet"), ("jsonl", "t.jsonl"), ("excel", "t.xlsx")],
)
def test_every_format_uploads_previews_and_gets_its_report(
    client: Any, tmp_path: Path, fmt: str, name: str
) -> None:
    answer = _upload(client, name, _as(fmt, tmp_path / name))
    assert answer.status_code == 303, answer.text[-500:]
    choice = answer.headers["location"].removeprefix("/data/")
    assert re.fullmatch(r"upload:[0-9a-f]{16}", choice)

    page = client.get(f"/data/{choice}")
    assert page.status_code == 200
    for column in ("signal", "spend", "leak", "label"):
        assert f'<th scope="row">{column}</th>' in page.text
    assert f'data-part="/data/{choice}/look"' in page.text  # the report is fetched after

    form = client.get(f"/run?dataset={choice}")
    assert re.search(r'<option value="label" selected>', form.text)  # the last column

    report = client.get(f"/data/{choice}/look")
    assert report.status_code == 200
    assert "Target: <strong>label</strong> (classification)" in report.text
    assert "leakage" in report.text
    assert "skewed" in report.text
    # Each next step is the command and a link to the same thing in the lab, which
    # names the upload (never the stored path).
    links = re.findall(r'href="(/tinker\?[^"]+)"', report.text)
    assert links
    for link in links:
        query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
        assert query["dataset"] == [choice]
        assert query["target"] == ["label"]
    assert "tinkerlab tinker " in report.text
    specs = _specs(report.text)
    assert {"look-target", "look-dependence"} <= set(specs)
    classes = {row["label"] for row in specs["look-target"]["datasets"]["tinkerlab-data"]}
    assert classes == {"yes", "no"}


def _specs(html: str) -> dict[str, Any]:
    """The chart specs a page embeds, by chart id."""
    found = re.findall(r'<script type="application/json" data-chart="([^"]+)">(.*?)</script>', html)
    return {key: json.loads(text) for key, text in found}


def test_a_built_ins_report_matches_the_library(client: Any) -> None:
    from tinkerlab.report import look

    expected = look("titanic")
    page = client.get("/data/titanic/look")
    assert page.status_code == 200
    for alert in expected.alerts:
        assert alert.message.replace("'", "&#39;") in page.text
        for command in alert.commands:
            assert command in page.text
    assert 'href="/tinker?dataset=titanic&amp;knob=features&amp;values=age"' in page.text
    assert 'href="/theory/categorical_encoding"' in page.text
    specs = _specs(page.text)
    counts = {r["label"]: r["value"] for r in specs["look-target"]["datasets"]["tinkerlab-data"]}
    assert counts == dict(expected.target_counts)
    assert len(specs) >= 4  # target, dependence, columns, against the target, missing

    download = client.get("/data/titanic/look.html")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.text.startswith("<!DOCTYPE html>")
    assert "vegaEmbed" in download.text


def test_a_report_that_cannot_be_made_says_why_in_place(client: Any) -> None:
    page = client.get("/data/titanic/look?target=nope")
    assert page.status_code == 200  # a part of a page: shown where the report would be
    assert "Column &#39;nope&#39; not found" in page.text


def test_an_upload_over_the_cap_is_refused_and_not_kept(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    config = LabConfig(home=tmp_path / "lab", max_upload_bytes=4000)
    with TestClient(create_app(config), base_url=BASE) as client:
        client.headers["accept"] = "text/html"
        big = _as("csv", tmp_path / "big.csv")
        assert len(big) > 4000
        answer = _upload(client, "big.csv", big)
        assert answer.status_code == 413
        assert "larger than this lab accepts" in answer.text
        assert not any(config.folder("uploads").rglob("*.csv"))


def test_read_table_reads_a_file_as_load_does_without_a_target(tmp_path: Path) -> None:
    """The public function the lab reads a file's columns with (no private data module)."""
    from tinkerlab.data import load, read_table
    from tinkerlab.exceptions import DatasetError

    for fmt, name in (("csv", "t.csv"), ("parquet", "t.parquet"), ("jsonl", "t.jsonl")):
        path = tmp_path / name
        _as(fmt, path)
        frame, source, _notices = read_table(path)
        assert list(frame.columns) == ["signal", "spend", "leak", "label"]
        assert source.format == fmt
        assert frame.equals(load(path, target="label").frame)
    empty = tmp_path / "empty.csv"
    empty.write_text("a,b\n")
    with pytest.raises(DatasetError, match="no data rows"):
        read_table(empty)


def test_a_fix_on_the_data_page_names_the_forms_field_not_a_flag(client: Any) -> None:
    """The library's fix for a column it cannot use, worded for the web lab: the field to
    set on the form, never a command-line flag (``Drop: rating``, not ``--drop rating``)."""
    rows = "".join(f"{i % 7},{'inf' if i == 3 else i % 5},{'ab'[i % 2]}\n" for i in range(40))
    answer = _upload(client, "inf.csv", ("size,rating,label\n" + rows).encode())
    assert answer.status_code == 422
    assert "holds 1 infinite value(s)" in answer.text
    assert "Drop: rating" in answer.text
    assert "--drop" not in answer.text
