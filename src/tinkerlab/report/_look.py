"""The Look: what ``tinkerlab look`` found, as data, JSON, an HTML page and in Jupyter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinkerlab.report._columns import ColumnProfile


@dataclass(frozen=True)
class Alert:
    """One thing worth acting on: a sentence with its number, and a next step that runs."""

    kind: str  # "leakage", "imbalance", "duplicates", "missing", "correlated", "skewed"...
    columns: tuple[str, ...]  # the columns it is about (empty for the whole table)
    message: str  # one sentence with the number, written for a learner
    value: float  # the number itself (a share, a correlation, a skewness...)
    commands: tuple[str, ...]  # shell commands to try, quoted so they run as printed
    code: str  # the first command as a Python call (tl.tinker(...)), for notebooks
    card: str  # the theory card that explains it (tinkerlab theory CARD)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return {
            "kind": self.kind,
            "columns": list(self.columns),
            "message": self.message,
            "value": self.value,
            "commands": list(self.commands),
            "code": self.code,
            "card": self.card,
        }


@dataclass(frozen=True)
class Sampling:
    """Which numbers come from a random sample of the rows, rather than from every row."""

    rows: int  # rows in the sample
    of: int  # rows in the table
    seed: int  # seed of the sample: the same look draws the same rows
    what: tuple[str, ...]  # the statistics computed on the sample ("quantiles", ...)

    def sentence(self) -> str:
        """The sampling in words, for every output."""
        return (
            f"Computed on a random sample of {self.rows:,} of the {self.of:,} rows (seed "
            f"{self.seed}): {', '.join(self.what)}. Every other number counts every row."
        )


@dataclass(repr=False)
class Look:
    """A first look at a dataset: the table, each column, the target, how they relate.

    Build one with :func:`tinkerlab.report.look` (or ``tl.look``). ``to_dict()`` is what
    ``--json`` prints and the journal stores; ``html()`` is the offline report; in
    Jupyter a look shows itself.
    """

    dataset: str  # "titanic", or the file's stem
    target: str | None  # the column to predict, if any
    task: str | None  # classification or regression (None without a target)
    rows: int  # rows in the table (every row, also when statistics were sampled)
    memory_bytes: int  # the table's size in memory (estimated when streamed)
    file_bytes: int | None  # the file's size on disk (None for built-ins... and frames)
    duplicate_rows: int  # rows that repeat an earlier row exactly
    columns: list[ColumnProfile]  # one per column, in table order
    target_counts: list[tuple[str, int]]  # classification: rows per class, commonest first
    correlations: dict[str, dict[str, dict[str, float | None]]]  # pearson/spearman/cramers_v
    vs_target: dict[str, dict[str, Any]]  # feature -> {"kind": "box"|"shares", "rows": [...]}
    scatter: dict[str, Any]  # {"columns": [...], "color": target or None, "rows": [...]}
    missing_patterns: list[dict[str, Any]]  # [{"missing": [columns], "rows": n}], commonest first
    alerts: list[Alert]
    sampling: Sampling | None  # None: every number counts every row
    notices: list[str] = field(default_factory=list)  # decisions the user should know about
    sha256: str = ""  # the data's fingerprint, as every run stores it ("" for a DataFrame)
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds
    id: int | None = None  # the journal's id, once recorded
    report_path: Path | None = None  # where the HTML report was written, if it was
    unlocked: list[str] = field(default_factory=list)  # theory cards this look unlocked

    # --- plain data ------------------------------------------------------------------------

    def column(self, name: str) -> ColumnProfile:
        """The profile of column *name*."""
        for profile in self.columns:
            if profile.name == name:
                return profile
        raise KeyError(name)

    @property
    def roles(self) -> dict[str, list[str]]:
        """Column names by role, in table order."""
        out: dict[str, list[str]] = {}
        for c in self.columns:
            out.setdefault(c.role, []).append(c.name)
        return out

    @property
    def headline(self) -> str:
        """The look in one line, as the journal lists it."""
        kinds = sorted({a.kind for a in self.alerts})
        found = f"{len(self.alerts)} alerts ({', '.join(kinds)})" if kinds else "no alerts"
        return f"{self.rows:,} rows × {len(self.columns)} columns; {found}"

    def to_dict(self) -> dict[str, Any]:
        """Every number the report shows, JSON-able (``--json``; the journal stores it)."""
        return {
            "dataset": self.dataset,
            "headline": self.headline,
            "target": self.target,
            "task": self.task,
            "rows": self.rows,
            "columns": len(self.columns),
            "memory_bytes": self.memory_bytes,
            "file_bytes": self.file_bytes,
            "sha256": self.sha256,
            "duplicate_rows": self.duplicate_rows,
            "roles": self.roles,
            "profiles": [c.to_dict() for c in self.columns],
            "target_counts": [{"value": v, "count": n} for v, n in self.target_counts],
            "correlations": self.correlations,
            "vs_target": self.vs_target,
            "scatter": {k: v for k, v in self.scatter.items() if k != "rows"},
            "missing_patterns": self.missing_patterns,
            "alerts": [a.to_dict() for a in self.alerts],
            "sampling": None
            if self.sampling is None
            else {
                "rows": self.sampling.rows,
                "of": self.sampling.of,
                "seed": self.sampling.seed,
                "what": list(self.sampling.what),
            },
            "notices": list(self.notices),
            "timings": dict(self.timings),
            "id": self.id,
            "report_path": None if self.report_path is None else str(self.report_path),
            "unlocked": list(self.unlocked),
        }

    # --- HTML ----------------------------------------------------------------------------

    def html(self) -> str:
        """The whole report as one self-contained HTML page (interactive charts, offline)."""
        from tinkerlab.report._html import render_page

        return render_page(self)

    def to_html(self, path: str | Path) -> Path:
        """Write :meth:`html` to *path* (UTF-8) and return the path."""
        target = Path(path).expanduser()
        target.write_text(self.html(), encoding="utf-8")
        self.report_path = target
        return target

    def _repr_html_(self) -> str:
        from tinkerlab.report._html import render_fragment

        return render_fragment(self)

    def __repr__(self) -> str:
        return f"Look({self.dataset!r}, {self.headline})"
