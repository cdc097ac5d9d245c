"""The chart builders write valid Vega-Lite, and pages embed it offline and safely."""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess

import altair as alt
import pytest

from tinkerlab import charts
from tinkerlab.charts import _builders, _embed

BUILT = {
    "histogram": lambda: charts.histogram([0, 1, 2, 3], [4, 0, 2], title="x"),
    "bar": lambda: charts.bar(["a", "b"], [3, 1], highlight=["b"]),
    "box": lambda: charts.box_by_group(
        [{"group": "yes", "low": 1, "q1": 2, "median": 3, "q3": 4, "high": 5, "count": 9}]
    ),
    "shares": lambda: charts.shares_by_group(
        [
            {"group": "a", "part": "no", "share": 0.75, "count": 4},
            {"group": "a", "part": "yes", "share": 0.25, "count": 4},
        ]
    ),
    "heatmap": lambda: charts.heatmap({"a": {"a": 1.0, "b": None}, "b": {"a": None, "b": 1.0}}),
    "scatter": lambda: charts.scatter_matrix(
        [{"a.b": 1, "c": 2, "y": "no"}, {"a.b": 2, "c": 1, "y": "yes"}], ["a.b", "c"], color="y"
    ),
    "missing": lambda: charts.missing_pattern(
        [{"age": True, "fare": False}, {"age": False, "fare": False}], [263, 1046]
    ),
}


@pytest.mark.parametrize("name", BUILT)
def test_every_builder_writes_a_spec_that_validates_against_vega_lite(name):
    chart = BUILT[name]()
    chart.to_dict(validate=True)  # raises on a spec Vega-Lite would reject
    spec = charts.as_spec(chart)
    assert spec["$schema"].endswith(f"v{alt.VEGALITE_VERSION}.json")
    json.dumps(spec, allow_nan=False)  # plain JSON: no NaN, no NumPy scalars


def test_as_spec_puts_the_data_in_datasets_and_leaves_the_chart_unchanged():
    chart = charts.bar(["x", "y"], [1, 2])
    spec = charts.as_spec(chart)
    (values,) = spec["datasets"].values()
    assert [v["label"] for v in values] == ["x", "y"]
    assert chart.data.values[0]["label"] == "x"  # the chart still holds its own data
    assert charts.as_spec(chart) == spec


def test_nan_becomes_null_and_numpy_scalars_plain_numbers():
    import numpy as np

    spec = charts.as_spec(charts.bar(["a", "b"], [np.float64("nan"), np.int64(3)]))
    (values,) = spec["datasets"].values()
    assert [v["value"] for v in values] == [None, 3]


def test_a_page_is_self_contained_and_offline():
    page = charts.to_html({"Ages": BUILT["histogram"]()}, title="T", intro="<b>hi</b>")
    for version in charts.VENDORED_VERSIONS.values():
        assert f'"{version}"' in page  # each build, inlined, says its version
    assert "&lt;b&gt;hi&lt;/b&gt;" in page
    sources = re.findall(r"<script[^>]*\bsrc=", page) + re.findall(r"<link[^>]*href=", page)
    assert sources == []  # nothing loaded from elsewhere
    assert "cdn.jsdelivr" not in page
    assert "unpkg.com" not in page
    assert "sourceMappingURL" not in page


def test_a_label_cannot_close_the_script_it_sits_in():
    evil = "</script><script>alert(1)</script>"
    snippet = charts.chart_html(charts.bar([evil], [1], title=evil), "c1")
    assert snippet.count("</script>") == 1  # only the one that ends the embedding script
    assert evil.replace("</", "<\\/") in snippet


def test_element_ids_are_escaped():
    assert 'id="a&quot;b"' in charts.chart_html({"mark": "point"}, 'a"b')


def test_vendored_files_are_there_match_altair_and_hold_no_script_end():
    files = charts.vendor_files()
    assert list(files) == ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"]
    for path in files.values():
        text = path.read_text(encoding="utf-8")
        assert "</script" not in text.lower()
    assert charts.VENDORED_VERSIONS["vega-lite"] == alt.VEGALITE_VERSION
    assert charts.VENDORED_VERSIONS["vega"].split(".")[0] == alt.VEGA_VERSION.split(".")[0]
    lite = files["vega-lite.min.js"].read_text(encoding="utf-8")
    assert f'"{alt.VEGALITE_VERSION}"' in lite[:400]  # the build says its own version
    folder = charts.vendor_dir()
    for name in ("LICENSE-vega", "LICENSE-vega-lite", "LICENSE-vega-embed", "VENDORED.md"):
        assert (folder / name).is_file()


def test_vendored_md_lists_the_versions_and_checksums():
    import hashlib

    text = (charts.vendor_dir() / "VENDORED.md").read_text(encoding="utf-8")
    for name, version in charts.VENDORED_VERSIONS.items():
        assert f"{name}](" in text
        assert version in text
    for path in charts.vendor_files().values():
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text


@pytest.mark.parametrize("module", [_builders, _embed])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.browser
def test_a_real_browser_draws_every_chart(tmp_path):
    """Chromium, offline, draws one SVG per chart from the inlined scripts."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed")
    page = tmp_path / "charts.html"
    page.write_text(charts.to_html([make() for make in BUILT.values()], title="all"))
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=8000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    drawn = re.findall(r'<div id="chart-\d+" class="tl-chart[^"]*"[^>]*>\s*<svg', dom)
    assert len(drawn) == len(BUILT), dom[-2000:]
