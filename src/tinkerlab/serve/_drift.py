"""Drift: are the rows the service sees now still like the rows the model learned from?

At save time, :func:`reference_statistics` summarises the training split per feature
(and the model's predictions on the held-out split); it goes into ``meta.json``. At run
time, :func:`drift_report` compares a recent window of served rows with it:

* **PSI** (population stability index) for every feature: the training values are cut
  into bins (deciles for numbers, one bin per category, one for "missing"), and
  ``PSI = Σ (live% − train%) · ln(live% / train%)`` over the bins. Rules of thumb:
  below 0.1 nothing moved, 0.1–0.25 worth watching, above 0.25 a real shift.
* **KS test** for numbers: the largest gap between the two cumulative distributions
  (``D``, 0 to 1) and the chance of a gap that large if nothing had changed (``p``).
* The same for the **predictions**: the share of each predicted class, or the binned
  predicted values, against the model's predictions on its held-out test split.

>>> import numpy as np
>>> ref = {"kind": "numeric", "edges": [0.0], "shares": [0.5, 0.5], "missing": 0.0}
>>> round(psi(ref, np.array([-1.0, 1.0, 2.0, 3.0])), 3)
0.144
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.serve._schema import InputSchema

#: PSI at or above this: the feature drifted. Between WATCH and DRIFT: worth watching.
PSI_DRIFT = 0.25
PSI_WATCH = 0.1
#: A KS test with p below this *and* a gap D at least KS_MIN_GAP also counts as drift
#: (with thousands of rows a tiny, harmless gap is already "significant").
KS_PVALUE = 0.01
KS_MIN_GAP = 0.1
#: Fewer served rows than this: report the numbers, raise no alarm.
MIN_ROWS = 30
#: Empty bins get this share, so ln() stays finite.
EPSILON = 1e-4
#: Values kept per numeric feature for the KS test (fewer when there are many features,
#: so meta.json stays small: at most about SAMPLE_BUDGET numbers in all).
SAMPLE_SIZE = 500
SAMPLE_BUDGET = 200_000
MISSING = "(missing)"
OTHER = "(other)"


def reference_statistics(
    schema: InputSchema, X_train: pd.DataFrame, predicted: Any, task: str, seed: int = 0
) -> dict[str, Any]:
    """Per-feature summaries of the training split, and of the model's held-out predictions."""
    numeric = [c for c in schema.columns if c.kind == "numeric"]
    size = min(SAMPLE_SIZE, max(50, SAMPLE_BUDGET // max(1, len(numeric))))
    rng = np.random.default_rng(seed)
    features = {}
    for c in schema.columns:
        values = X_train[c.name]
        if c.kind == "categorical":
            features[c.name] = _categorical_reference(values)
        elif c.kind == "text":
            lengths = values.fillna("").astype(str).str.len().to_numpy(dtype=float)  # (n_train,)
            features[c.name] = _numeric_reference(lengths, 0, rng) | {"measure": "length"}
        else:
            features[c.name] = _numeric_reference(values.to_numpy(dtype=float), size, rng)
    predictions = np.asarray(predicted)  # (n_test,)
    if task == "classification":
        import pandas as pd

        prediction = _categorical_reference(pd.Series(predictions.astype(str), dtype=object))
    else:
        prediction = _numeric_reference(predictions.astype(float), SAMPLE_SIZE, rng)
    return {"rows": len(X_train), "features": features, "prediction": prediction}


def _numeric_reference(values: np.ndarray, size: int, rng: np.random.Generator) -> dict[str, Any]:
    present = values[~np.isnan(values)]  # (n_present,)
    deciles = np.quantile(present, np.linspace(0.1, 0.9, 9)) if len(present) else np.array([])
    edges = np.unique(deciles)  # (<= 9,) equal deciles (a column of few values) merge
    reference: dict[str, Any] = {
        "kind": "numeric",
        "edges": [float(e) for e in edges],
        "missing": float(np.isnan(values).mean()) if len(values) else 0.0,
        "mean": float(present.mean()) if len(present) else None,
        "std": float(present.std()) if len(present) else None,
    }
    reference["shares"] = _bin_shares(present, reference["edges"])
    if size and len(present):
        keep = rng.choice(len(present), size=min(size, len(present)), replace=False)
        reference["sample"] = [float(v) for v in np.sort(present[keep])]
    return reference


def _categorical_reference(values: pd.Series[Any]) -> dict[str, Any]:
    present = values.dropna()
    shares = present.astype(str).value_counts(normalize=True)
    return {
        "kind": "categorical",
        "shares": {str(k): float(v) for k, v in shares.items()},
        "missing": float(values.isna().mean()) if len(values) else 0.0,
    }


def _bin_shares(present: np.ndarray, edges: list[float]) -> list[float]:
    """Share of the values in each bin: below the first edge, between edges, above the last."""
    counts = np.bincount(np.searchsorted(edges, present, side="right"), minlength=len(edges) + 1)
    return [float(c) for c in counts / max(1, len(present))]  # (n_edges + 1,)


def check_reference(reference: Any, schema: InputSchema, task: str) -> None:
    """Raise ``ValueError`` (naming what) unless *reference* is what :func:`drift_report` reads.

    ``meta.json`` may come from anywhere: a malformed reference is refused when the
    artifact loads, not answered with a 500 by ``GET /drift`` later.
    """
    if not isinstance(reference, dict) or not isinstance(reference.get("features"), dict):
        raise ValueError("'features' must be an object with one entry per input column")
    if not _number(reference.get("rows")):
        raise ValueError("'rows' must be the number of training rows")
    for c in schema.columns:
        kind = "categorical" if c.kind == "categorical" else "numeric"
        _check_summary(reference["features"].get(c.name), kind, f"feature {c.name!r}")
    kind = "categorical" if task == "classification" else "numeric"
    _check_summary(reference.get("prediction"), kind, "'prediction'")


def _check_summary(summary: Any, kind: str, where: str) -> None:
    if not isinstance(summary, dict) or summary.get("kind") != kind:
        raise ValueError(f"{where} must be an object of kind {kind!r}")
    missing = summary.get("missing", -1.0)
    if not _number(missing) or not 0 <= missing <= 1:
        raise ValueError(f"{where}: 'missing' must be a share in [0, 1]")
    shares = summary.get("shares")
    if kind == "categorical":
        if not isinstance(shares, dict) or not all(map(_number, shares.values())):
            raise ValueError(f"{where}: 'shares' must map each value to a share")
        return
    edges = summary.get("edges")
    if not isinstance(edges, list) or not all(map(_number, edges)) or edges != sorted(edges):
        raise ValueError(f"{where}: 'edges' must be a sorted list of numbers")
    if not isinstance(shares, list) or len(shares) != len(edges) + 1:
        raise ValueError(f"{where}: 'shares' must hold one share per bin ({len(edges) + 1})")
    if not all(map(_number, shares)) or not all(map(_number, summary.get("sample") or [])):
        raise ValueError(f"{where}: 'shares' and 'sample' must hold numbers")
    for key in ("mean", "std"):
        if summary.get(key) is not None and not _number(summary[key]):
            raise ValueError(f"{where}: {key!r} must be a number or null")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --------------------------------------------------------------------------- comparing


def psi(reference: dict[str, Any], live: Any) -> float:
    """Population stability index of *live* values against a feature's *reference*."""
    expected, observed = _distributions(reference, live)
    e = np.maximum(expected, EPSILON)
    o = np.maximum(observed, EPSILON)
    return float(np.sum((o - e) * np.log(o / e)))


def _distributions(reference: dict[str, Any], live: Any) -> tuple[np.ndarray, np.ndarray]:
    """(training shares, live shares) over the same bins, the last bin being "missing"."""
    missing_ref = reference["missing"]
    if reference["kind"] == "numeric":
        values = np.asarray(live, dtype=float)  # (n_live,)
        absent = np.isnan(values)
        shares = _bin_shares(values[~absent], reference["edges"])
        expected = [s * (1 - missing_ref) for s in reference["shares"]]
        observed = [s * (1 - absent.mean()) for s in shares] if len(values) else [0.0] * len(shares)
        return np.array([*expected, missing_ref]), np.array(
            [*observed, absent.mean() if len(values) else 0.0]
        )
    labels = list(reference["shares"])
    counts = dict.fromkeys([*labels, OTHER, MISSING], 0)
    for v in live:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            counts[MISSING] += 1
        else:
            counts[str(v) if str(v) in reference["shares"] else OTHER] += 1
    total = max(1, sum(counts.values()))
    expected = [reference["shares"][k] * (1 - missing_ref) for k in labels] + [0.0, missing_ref]
    return np.array(expected), np.array([counts[k] / total for k in counts])


def compare(reference: dict[str, Any], live: Any) -> dict[str, Any]:
    """PSI (and for numbers the KS test and the means) of one feature; its status."""
    out: dict[str, Any] = {"psi": round(psi(reference, live), 4)}
    if reference["kind"] == "numeric":
        values = np.asarray(live, dtype=float)  # (n_live,)
        present = values[~np.isnan(values)]  # (n_present,)
        out["reference_mean"] = reference.get("mean")
        out["live_mean"] = float(present.mean()) if len(present) else None
        if reference.get("sample") and len(present):
            from scipy.stats import ks_2samp

            test = ks_2samp(np.asarray(reference["sample"]), present)
            out["ks_statistic"] = round(float(test.statistic), 4)
            out["ks_pvalue"] = float(test.pvalue)
    else:
        expected, observed = _distributions(reference, live)
        labels = [*reference["shares"], OTHER, MISSING]
        change = observed - expected  # (n_labels,)
        top = int(np.argmax(np.abs(change)))
        out["largest_change"] = {
            "value": labels[top],
            "reference_share": round(float(expected[top]), 4),
            "live_share": round(float(observed[top]), 4),
        }
    out["status"] = status(out)
    return out


def status(result: dict[str, Any]) -> str:
    """``drift``, ``watch`` or ``ok`` from a comparison's PSI and KS test."""
    ks_p = result.get("ks_pvalue")
    ks_gap = result.get("ks_statistic", 0.0)
    if result["psi"] >= PSI_DRIFT or (
        ks_p is not None and ks_p < KS_PVALUE and ks_gap >= KS_MIN_GAP
    ):
        return "drift"
    if result["psi"] >= PSI_WATCH or (ks_p is not None and ks_p < KS_PVALUE):
        return "watch"
    return "ok"


def drift_report(
    reference: dict[str, Any],
    schema: InputSchema,
    rows: list[dict[str, Any]],
    predictions: list[Any],
) -> dict[str, Any]:
    """Compare served *rows* (and their *predictions*) with the training reference.

    Returns ``{"rows", "alarm", "drifted", "features": [...], "prediction": {...}}``, the
    features sorted by PSI, largest first. ``alarm`` is true when any feature or the
    predictions drifted and there were at least :data:`MIN_ROWS` rows.
    """
    features = []
    for c in schema.columns:
        ref = reference["features"][c.name]
        values = [row.get(c.name) for row in rows]
        if c.kind == "text":
            values = [len(v) if isinstance(v, str) else 0 for v in values]
        elif c.kind == "numeric":
            values = [math.nan if v is None else v for v in values]
        features.append({"name": c.name, "kind": c.kind, **compare(ref, values)})
    features.sort(key=lambda f: -f["psi"])
    pred_ref = reference["prediction"]
    if pred_ref["kind"] == "numeric":
        prediction = compare(pred_ref, [float(p) for p in predictions])
    else:
        prediction = compare(pred_ref, [str(p) for p in predictions])
    enough = len(rows) >= MIN_ROWS
    drifted = [f["name"] for f in features if f["status"] == "drift"]
    return {
        "rows": len(rows),
        "reference_rows": reference["rows"],
        "enough_rows": enough,
        "alarm": enough and (bool(drifted) or prediction["status"] == "drift"),
        "drifted": drifted,
        "watch": [f["name"] for f in features if f["status"] == "watch"],
        "features": features,
        "prediction": prediction,
        "thresholds": {
            "psi_watch": PSI_WATCH,
            "psi_drift": PSI_DRIFT,
            "ks_pvalue": KS_PVALUE,
            "ks_min_gap": KS_MIN_GAP,
            "min_rows": MIN_ROWS,
        },
    }
