"""Alerts: what a learner should act on, each a sentence with its number and a next step.

The rules are plain data (:data:`RULES`: the kind, its threshold, the theory card that
explains it); each ``_kind`` function reads the look's numbers and writes the sentence
and the commands. Commands are quoted with :func:`shlex.quote` so a column called
``lot area`` or ``price($)`` still runs as printed; the same step is also written as a
Python call for notebooks. Card ids are plain strings (``insight`` sits above this
package): ``tinkerlab theory CARD`` opens one, and recording a look unlocks them.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinkerlab.report._look import Alert

if TYPE_CHECKING:
    from tinkerlab.report._columns import ColumnProfile


@dataclass(frozen=True)
class Rule:
    """One kind of alert: when it fires and which card explains it."""

    kind: str
    threshold: float  # the number it fires at (its meaning is the kind's)
    card: str  # a theory card id (src/tinkerlab/insight/cards/CARD.md)
    help: str  # the rule in words, for docs/look.md and the report's legend


#: Every kind of alert, most urgent first (the order alerts are listed in).
RULES: dict[str, Rule] = {
    rule.kind: rule
    for rule in [
        Rule(
            "leakage", 0.8, "data_leakage", "a feature removes ≥ 80 % of the target's uncertainty"
        ),
        Rule(
            "imbalance", 4, "class_imbalance", "the commonest class has ≥ 4× the rows of the rarest"
        ),
        Rule("duplicates", 1, "data_leakage", "at least one row repeats another exactly"),
        Rule("missing", 0.05, "categorical_encoding", "a feature is empty in ≥ 5 % of the rows"),
        Rule("correlated", 0.9, "feature_selection", "two features correlate ≥ 0.9 (or V ≥ 0.9)"),
        Rule("skewed", 1.0, "feature_scaling", "a number's skewness is beyond ±1"),
        Rule("high_cardinality", 30, "categorical_encoding", "a category has > 30 values"),
        Rule("dates", 1, "underfitting", "a column of dates is not used by models"),
        Rule("text", 1, "underfitting", "a free-text column: its length can be a feature"),
    ]
}
#: At most this many alerts of one kind (the most striking ones); the report's tables
#: show every column's numbers.
PER_KIND = 3


@dataclass(frozen=True)
class DataRef:
    """How the next steps name the data: on a command line and in Python."""

    shell: str | None  # "titanic" or the file's path as given; None for an in-memory table
    python: str  # '"titanic"', '"data/sales.csv"', or "data" (the variable holding the frame)
    target: str | None  # the --target to pass (None: the built-in's own target is meant)

    def tinker(self, knob: str, values: Sequence[str], *extra: str) -> tuple[str | None, str]:
        """``tinkerlab tinker DATA --knob KNOB --values A,B`` and the same ``tl.tinker`` call."""
        words = ["--knob", knob, "--values", ",".join(values), *extra]
        python_extra = [f"{_py_name(k)}={json.dumps(v)}" for k, v in _pairs(extra)]
        return self._command("tinker", words), self._call(
            "tinker", [json.dumps(knob), json.dumps(list(values)), *python_extra]
        )

    def _command(self, verb: str, words: list[str]) -> str | None:
        if self.shell is None:
            return None
        target = ["--target", self.target] if self.target else []
        return " ".join(shlex.quote(w) for w in ["tinkerlab", verb, self.shell, *words, *target])

    def _call(self, verb: str, args: list[str]) -> str:
        target = [f"target={json.dumps(self.target)}"] if self.target else []
        return f"tl.{verb}({', '.join([self.python, *args, *target])})"


def _pairs(words: Sequence[str]) -> Iterable[tuple[str, str]]:
    return zip(words[0::2], words[1::2], strict=True)


def _py_name(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _theory(card: str) -> str:
    return f"tinkerlab theory {card}"


def _alert(
    kind: str,
    columns: Sequence[str],
    message: str,
    value: float,
    step: tuple[str | None, str] | None = None,
    *more: str,
) -> Alert:
    """An alert of *kind*: the step (command, code) first, then the card to read."""
    card = RULES[kind].card
    commands = [c for c in ([step[0]] if step else []) if c is not None]
    commands += [*more, _theory(card)]
    code = step[1] if step else f"tl.theory({json.dumps(card)})"
    return Alert(kind, tuple(columns), message, float(value), tuple(commands), code, card)


def _usable(name: str) -> bool:
    """A column can be named in ``--values`` (which splits on commas)."""
    return "," not in name


# --- the rules -------------------------------------------------------------------------------


def _leakage(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    target = parts["target"]
    found = [
        c
        for c in parts["features"]
        if c.dependence is not None and c.dependence >= RULES["leakage"].threshold
    ]
    found.sort(key=lambda c: -(c.dependence or 0.0))
    return [
        _alert(
            "leakage",
            [c.name],
            f"{c.name!r} almost decides the target: knowing it removes {c.dependence:.0%} of "
            f"the uncertainty about {target!r}. If it is only known after the outcome, it "
            "leaks the answer; see how much the model leans on it by leaving it out.",
            c.dependence or 0.0,
            ref.tinker("features", [c.name]) if _usable(c.name) else None,
        )
        for c in found[:PER_KIND]
    ]


def _imbalance(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    counts: list[tuple[str, int]] = parts["target_counts"]
    if parts["task"] != "classification" or len(counts) < 2:
        return []
    total = sum(n for _, n in counts)
    rare, n_rare = counts[-1]
    share = n_rare / total
    common_share = counts[0][1] / total
    if counts[0][1] < RULES["imbalance"].threshold * n_rare:
        return []
    step = ref.tinker("class_weight", ["none", "balanced"], "--model", "logistic_regression")
    return [
        _alert(
            "imbalance",
            [parts["target"]],
            f"The classes are imbalanced: {rare!r} is {share:.1%} of the rows ({n_rare:,} of "
            f"{total:,}), and always answering {counts[0][0]!r} already scores "
            f"{common_share:.1%} accuracy. Weigh the rare class up and compare.",
            share,
            step,
        )
    ]


def _duplicates(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    n, rows = parts["duplicate_rows"], parts["rows"]
    if n < RULES["duplicates"].threshold:
        return []
    return [
        _alert(
            "duplicates",
            [],
            f"{n:,} rows ({n / rows:.1%}) repeat another row exactly. A copy in the training "
            "split and its twin in the test split make the test score too kind.",
            n,
        )
    ]


def _missing(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    found = [c for c in parts["features"] if c.missing_share >= RULES["missing"].threshold]
    found.sort(key=lambda c: -c.missing_share)
    alerts = []
    for c in found[:PER_KIND]:
        fill = "median" if c.role == "numeric" else "commonest value"
        alerts.append(
            _alert(
                "missing",
                [c.name],
                f"{c.name!r} is empty in {c.missing:,} of {c.count + c.missing:,} rows "
                f"({c.missing_share:.1%}). The pipeline fills them with the training rows' "
                f"{fill}; check the column earns its place by leaving it out.",
                c.missing_share,
                ref.tinker("features", [c.name]) if _usable(c.name) else None,
            )
        )
    return alerts


def _correlated(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    threshold = RULES["correlated"].threshold
    features = {c.name for c in parts["features"]}
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for method, label in (
        ("pearson", "correlated"),
        ("spearman", "rank-correlated"),
        ("cramers_v", "associated (Cramér's V)"),
    ):
        matrix = parts["correlations"].get(method, {})
        names = [n for n in matrix if n in features]
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                value = matrix[a].get(b)
                if value is not None and abs(value) >= threshold:
                    key = (a, b)
                    if key not in pairs or abs(value) > abs(pairs[key][0]):
                        pairs[key] = (value, label)
    ranked = sorted(pairs.items(), key=lambda kv: -abs(kv[1][0]))
    alerts = []
    for (a, b), (value, label) in ranked[:PER_KIND]:
        dependence = {c.name: c.dependence or 0.0 for c in parts["features"]}
        drop = b if dependence.get(b, 0.0) <= dependence.get(a, 0.0) else a
        alerts.append(
            _alert(
                "correlated",
                [a, b],
                f"{a!r} and {b!r} are {label} {value:.2f}: they carry nearly the same "
                f"information. Try dropping one ({drop!r}, the less related to the target).",
                value,
                ref.tinker("features", [drop]) if _usable(drop) else None,
            )
        )
    return alerts


def _skewed(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    threshold = RULES["skewed"].threshold
    found = [
        c
        for c in parts["features"]
        if c.role == "numeric"
        and c.skew is not None
        and abs(c.skew) >= threshold
        and c.histogram is not None
    ]
    found.sort(key=lambda c: -abs(c.skew or 0.0))
    alerts = []
    for c in found[:PER_KIND]:
        positive = c.min is not None and c.min >= 0 and (c.skew or 0.0) > 0
        step = f"log:{c.name}" if positive else f"bins:{c.name}=5"
        how = (
            "a log feature squeezes the long tail"
            if positive
            else "bins turn it into a few ranges (a log needs values ≥ 0 and a long right tail)"
        )
        alerts.append(
            _alert(
                "skewed",
                [c.name],
                f"{c.name!r} is skewed (skewness {c.skew:.2f}): a few extreme values stretch "
                f"its scale, which hurts linear and distance-based models; {how}.",
                c.skew or 0.0,
                ref.tinker("add_feature", ["none", step]) if _usable(c.name) else None,
            )
        )
    return alerts


def _high_cardinality(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    limit = RULES["high_cardinality"].threshold
    found = [
        c
        for c in parts["features"]
        if c.role == "categorical" and c.distinct is not None and c.distinct > limit
    ]
    found.sort(key=lambda c: -(c.distinct or 0))
    return [
        _alert(
            "high_cardinality",
            [c.name],
            f"{c.name!r} has {c.distinct:,} distinct values; one-hot encoding keeps the "
            f"{int(limit)} commonest and pools the rest into one 'infrequent' column. Try the "
            "model without it; or read its values as words (tinkerlab run --text).",
            c.distinct or 0,
            ref.tinker("features", [c.name]) if _usable(c.name) else None,
        )
        for c in found[:PER_KIND]
    ]


def _dates(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    found = [c for c in parts["all_columns"] if c.role == "datetime"]
    return [
        _alert(
            "dates",
            [c.name],
            f"{c.name!r} holds dates ({c.first} to {c.last}), which models cannot use as they "
            "are. Its parts (year, month, day, weekday) can be features.",
            c.count,
            ref.tinker("add_feature", ["none", f"date:{c.name}"]) if _usable(c.name) else None,
        )
        for c in found[:PER_KIND]
        if c.first is not None
    ]


def _text(parts: dict[str, Any], ref: DataRef) -> list[Alert]:
    found = [c for c in parts["features"] if c.role == "text"]
    return [
        _alert(
            "text",
            [c.name],
            f"{c.name!r} is free text ({c.mean_length or 0:.0f} characters on average); "
            "besides its words, its length can say something about the target.",
            c.mean_length or 0.0,
            ref.tinker("add_feature", ["none", f"len:{c.name}"]) if _usable(c.name) else None,
        )
        for c in found[: PER_KIND - 1]
    ]


#: The rule functions, by kind (in the order of RULES).
_FINDERS: dict[str, Callable[[dict[str, Any], DataRef], list[Alert]]] = {
    "leakage": _leakage,
    "imbalance": _imbalance,
    "duplicates": _duplicates,
    "missing": _missing,
    "correlated": _correlated,
    "skewed": _skewed,
    "high_cardinality": _high_cardinality,
    "dates": _dates,
    "text": _text,
}

#: Kinds whose next step needs a target to compare against (a tinker experiment).
_NEED_TARGET = frozenset(
    {"leakage", "imbalance", "missing", "correlated", "skewed", "high_cardinality", "dates", "text"}
)


def find_alerts(
    *,
    columns: list[ColumnProfile],
    target: str | None,
    task: str | None,
    rows: int,
    duplicate_rows: int,
    target_counts: list[tuple[str, int]],
    correlations: dict[str, Any],
    ref: DataRef,
) -> list[Alert]:
    """Every alert the look's numbers raise, most urgent kind first.

    Without a target there is nothing to tinker against: only the alerts about the
    table itself (duplicates) are raised, and the report says to pass ``--target``.
    """
    features = [c for c in columns if c.role in ("numeric", "categorical", "text")]
    parts = {
        "all_columns": columns,
        "features": features,
        "target": target,
        "task": task,
        "rows": rows,
        "duplicate_rows": duplicate_rows,
        "target_counts": target_counts,
        "correlations": correlations,
    }
    alerts: list[Alert] = []
    for kind, finder in _FINDERS.items():
        if target is None and kind in _NEED_TARGET:
            continue
        alerts.extend(finder(parts, ref))
    return alerts
