"""The look's numbers, checked against pandas, scikit-learn and SciPy on the same data."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from look_frames import alerting_frame
from scipy import stats
from sklearn.metrics import mutual_info_score

import tinkerlab as tl
from tinkerlab.data import infer_schema
from tinkerlab.options import speaking
from tinkerlab.report import _relations as rel
from tinkerlab.report import look
from tinkerlab.report._columns import profile_column

#: Sums of squares over a few thousand values: agree with pandas to this relative error.
RTOL = 1e-9


def test_a_number_column_matches_pandas():
    rng = np.random.default_rng(1)
    x = pd.Series(np.append(rng.gamma(2.0, 3.0, 997), [np.nan, np.nan, 80.0]), name="x")
    p = profile_column(x, infer_schema(x.to_frame())["x"])
    present = x.dropna()
    assert (p.count, p.missing, p.distinct) == (998, 2, present.nunique())
    np.testing.assert_allclose(
        [p.mean, p.std, p.min, p.max, p.skew],
        [present.mean(), present.std(), present.min(), present.max(), present.skew()],
        rtol=RTOL,
    )
    for name, q in {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}.items():
        assert p.quantiles[name] == pytest.approx(present.quantile(q), rel=RTOL)
    q1, q3 = present.quantile([0.25, 0.75])
    fences = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
    assert p.outliers == int(((present < fences[0]) | (present > fences[1])).sum())
    assert p.zeros == 0
    edges, counts = p.histogram
    assert sum(counts) == 998
    assert len(edges) == len(counts) + 1
    assert np.histogram(present, bins=edges)[0].tolist() == counts


def test_a_category_column_counts_its_commonest_values():
    s = pd.Series(["b", "a", "b", None, "c", "b", "a"], name="s")
    p = profile_column(s, infer_schema(pd.DataFrame({"s": s, "n": range(7)}))["s"])
    assert p.top == [("b", 3), ("a", 2), ("c", 1)]
    assert (p.missing, p.distinct, p.mean) == (1, 3, None)


def test_dependence_is_mutual_information_over_the_targets_entropy():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 5000)
    x = np.where(rng.random(5000) < 0.7, y, rng.integers(0, 3, 5000))  # 70 % a copy of y
    u = rel.dependence(x, y, 3, 3)
    mi = mutual_info_score(x, y) - (3 - 1) * (3 - 1) / (2 * 5000)  # Miller–Madow
    assert u == pytest.approx(mi / stats.entropy(np.bincount(y)), rel=1e-9)
    assert rel.dependence(y, y, 3, 3) == pytest.approx(1.0, abs=1e-3)
    noise = rel.dependence(rng.integers(0, 10, 5000), y, 10, 3)
    assert noise < 0.005  # the bias correction keeps noise near 0


def test_cramers_v_matches_scipy_on_a_large_table():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 4, 20000)
    b = np.where(rng.random(20000) < 0.5, a, rng.integers(0, 4, 20000))
    table = pd.crosstab(a, b).to_numpy()
    expected = stats.contingency.association(table, method="cramer")
    # Ours is bias-corrected (Bergsma 2013): the correction is below 0.001 at n = 20000.
    assert rel.cramers_v(a, b, 4, 4) == pytest.approx(expected, abs=1e-3)


def test_correlations_match_pandas():
    frame = alerting_frame()[["lot area", "rooms", "income"]].fillna({"income": 50.0})
    pearson, spearman = rel.correlations(frame)
    expected_p, expected_s = frame.corr(), frame.corr(method="spearman")
    for a in frame.columns:
        for b in frame.columns:
            assert pearson[a][b] == pytest.approx(expected_p.at[a, b], rel=1e-9)
            assert spearman[a][b] == pytest.approx(expected_s.at[a, b], rel=1e-9)


def test_duplicates_and_missing_patterns_are_counted_exactly():
    frame = alerting_frame()
    result = look(frame, target="churned")
    assert result.duplicate_rows == int(frame.duplicated().sum()) == 5
    isna = frame.isna()
    counts = isna[["income"]].value_counts()
    by_pattern = {tuple(p["missing"]): p["rows"] for p in result.missing_patterns}
    assert by_pattern[("income",)] == counts[True]
    assert by_pattern[()] == counts[False]


def test_the_look_of_a_frame_has_every_section_and_is_json():
    result = look(alerting_frame(), target="churned")
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["rows"] == 400
    assert data["target"] == "churned"
    assert data["roles"]["datetime"] == ["sold on"]
    assert data["roles"]["text"] == ["review"]
    assert set(data["correlations"]) == {"pearson", "spearman", "cramers_v"}
    assert result.sampling is None  # 400 rows: every number counts every row
    assert result.target_counts[0][0] == "no"
    leak = result.column("status code")
    assert leak.dependence is not None
    assert leak.dependence > 0.95
    assert result.column("rooms").dependence < 0.05  # unrelated to the target


def test_a_large_table_samples_its_relations_and_says_so(monkeypatch):
    from tinkerlab.report import _profile

    monkeypatch.setattr(_profile, "RELATION_ROWS", 150)
    result = look(alerting_frame(), target="churned")
    assert result.sampling is not None
    assert (result.sampling.rows, result.sampling.of) == (150, 400)
    assert "correlations" in result.sampling.what
    assert "150 of the 400 rows" in result.sampling.sentence()
    assert result.column("income").missing == int(alerting_frame()["income"].isna().sum())


def test_without_a_target_the_look_describes_the_table_only(tmp_path):
    path = tmp_path / "t.csv"
    alerting_frame().to_csv(path, index=False)
    result = look(path)
    assert result.target is None
    assert result.task is None
    assert [a.kind for a in result.alerts] == ["duplicates"]
    assert all(c.dependence is None for c in result.columns)
    assert any("Pass target='COLUMN' for the class balance" in n for n in result.notices)
    with speaking("web", "look"):
        notices = look(path).notices
    assert any("Pass Target: COLUMN for the class balance" in n for n in notices)


def test_html_escapes_user_text_and_embeds_the_charts():
    frame = alerting_frame()
    frame = frame.rename(columns={"rooms": "<script>alert(1)</script>"})
    page = look(frame, target="churned").html()
    assert "<script>alert(1)</script>" not in page
    assert page.count('class="tl-chart"') >= 10
    fragment = look(frame, target="churned")._repr_html_()
    assert fragment.startswith('<div class="tl-look">')
    assert "vegaEmbed" in fragment
    assert "body{" not in fragment  # leaves the notebook's own styles alone


@pytest.mark.slow
@pytest.mark.parametrize("name", [d.name for d in tl.datasets()])
def test_every_builtin_dataset_can_be_looked_at(name):
    result = look(name)
    json.dumps(result.to_dict(), allow_nan=False)
    assert result.rows == len(tl.load(name).frame)
    assert result.html().count('class="tl-chart"') >= 2
    for alert in result.alerts:
        assert alert.commands
        assert alert.card
        assert any(ch.isdigit() for ch in alert.message)  # a sentence with its number
    assert not any(math.isnan(c.dependence) for c in result.columns if c.dependence is not None)
