"""The model card: the artifact described for people, in Markdown (``model-card.md``).

What the model predicts and from what, how well (cross-validation, test, baseline), its
inputs, intended use, limits, the recipe and the library versions. Written next to the
model when it is saved; rendered again from ``meta.json`` when the file is missing.
"""

from __future__ import annotations

import json
from typing import Any

from tinkerlab.serve._schema import InputSchema


def render_card(meta: dict[str, Any]) -> str:
    """The model card, in Markdown: what it predicts, from what, how well, its limits."""
    from tinkerlab.recipe import get_model

    schema = InputSchema.from_dict(meta["schema"])
    spec = get_model(meta["model"])
    impl = " (tinkerlab's from-scratch twin)" if meta.get("impl") == "scratch" else ""
    run = f" from journal run #{meta['run_id']}" if meta.get("run_id") is not None else ""
    lines = [
        f"# Model card: {meta['name']}",
        "",
        f"**Predicts** `{meta['target']}` ({meta['task']}) from {len(schema.columns)} input "
        f"columns of the dataset `{meta['dataset']}`, with a {spec.title}{impl}: "
        f"{spec.summary}",
        "",
        f"Saved {meta['created_at']} by tinkerlab {meta['versions'].get('tinkerlab')}{run}.",
        *_data(meta),
        *_scores(meta),
        *_inputs(meta, schema),
        *_use_and_limits(meta),
        "",
        "## Recipe",
        "",
        "```json",
        json.dumps(meta["recipe"], indent=2),
        "```",
        "",
        "## Versions",
        "",
        ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        "",
    ]
    return "\n".join(lines)


def _data(meta: dict[str, Any]) -> list[str]:
    data, recipe = meta["data"], meta["recipe"]
    lines = [
        "",
        "## Data",
        "",
        f"- {data.get('rows')} rows: {data.get('train_rows')} for training (and "
        f"{recipe['cv_folds']}-fold cross-validation), {data.get('test_rows')} held out for the "
        f"test score; split with seed {recipe['seed']}.",
        f"- Data fingerprint (SHA-256): `{data.get('sha256')}`",
    ]
    if data.get("classes"):
        balance = ", ".join(f"{k}: {v}" for k, v in data["classes"].items())
        lines.append(f"- Classes (rows): {balance}")
    if data.get("target_stats"):
        s = data["target_stats"]
        lines.append(
            f"- Target: mean {s['mean']:.4g}, std {s['std']:.4g}, from {s['min']:.4g} to "
            f"{s['max']:.4g}"
        )
    return lines


def _scores(meta: dict[str, Any]) -> list[str]:
    from tinkerlab.recipe import PRECISION

    lines = [
        "",
        "## How well it does",
        "",
        "| metric | cross-validation (mean ± std) | test | baseline test |",
        "|---|---|---|---|",
    ]
    for metric, s in meta["metrics"].items():
        base = meta["baseline"].get(metric, {}).get("test")
        lines.append(
            f"| {metric} | {_fmt(s.get('cv_mean'), PRECISION)} ± {_fmt(s.get('cv_std'), PRECISION)}"
            f" | {_fmt(s.get('test'), PRECISION)} | {_fmt(base, PRECISION)} |"
        )
    lines += [
        "",
        "The baseline ignores the inputs (it predicts the most frequent class, or the mean).",
    ]
    return lines


def _inputs(meta: dict[str, Any], schema: InputSchema) -> list[str]:
    lines = ["", "## Inputs", "", "| column | kind | what is accepted |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.kind} | {c.describe()} |" for c in schema.columns]
    if meta.get("importances"):
        top = ", ".join(f"`{r['feature']}`" for r in meta["importances"][:5])
        lines += ["", f"Most important inputs (largest first): {top}."]
    return lines


def _use_and_limits(meta: dict[str, Any]) -> list[str]:
    return [
        "",
        "## Intended use",
        "",
        f"Predicting `{meta['target']}` for new rows like the training data, for learning and "
        "experiments. It was built in a code-first ML lab; it has not been checked for "
        "fairness, robustness or for decisions about people.",
        "",
        "## Limits",
        "",
        "- Rows unlike the training data (numbers outside the ranges above, a population that "
        "changed) get predictions with no guarantee; the service's `/drift` endpoint and "
        "`tinkerlab monitor` compare live inputs with the training data.",
        "- A category not seen in training is refused (HTTP 422).",
        "- Optional inputs left empty are filled in by the pipeline (median or most frequent "
        "value), which makes the prediction less informed.",
        f"- Scores come from {meta['data'].get('test_rows')} held-out rows; the ± is the spread "
        "across cross-validation folds, not a guarantee for new data.",
    ]


def _fmt(value: Any, precision: int) -> str:
    return "n/a" if value is None else f"{value:.{precision}f}"
