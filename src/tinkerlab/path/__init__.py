"""The learning path: labs as data, checks that run your own work, progress, projects, export.

Phase 1 (days 1–3) run working code and read it; Phase 2 (days 4–14) change one thing at a
time, predicting first; Phase 3 (day 15+) let theory fill the gaps your results opened; then
build, ship, open the black box, and a final project exported as a portfolio. Each lab is a
TOML file in ``labs/``; its check looks for evidence in your journal, your script, your
service or your project folder, and says what is missing and what to type next.

>>> import tinkerlab as tl
>>> tl.path.lab("2.3").title
'Which features matter? Leave one out'
>>> tl.path.hint("2.3").startswith("Hint 1 of 2")
True

Details: ``docs/path.md``.
"""

from __future__ import annotations

from tinkerlab.path._checklist import ChecklistItem
from tinkerlab.path._checks import CHECKS, CheckKind, CheckResult, Where
from tinkerlab.path._export import Exported
from tinkerlab.path._labs import PHASES, Lab, labs, parse_lab
from tinkerlab.path._labs import get_lab as lab
from tinkerlab.path._progress import Progress, hint
from tinkerlab.path._project import Project, StepStatus, new_project, open_project
from tinkerlab.path._understanding import ExplainQuestion, PredictQuestion, Scored
from tinkerlab.path._verbs import (
    answer_explanation,
    answer_prediction,
    check,
    checklist,
    draw_explanation,
    draw_prediction,
    export,
    next_step,
    project_status,
    score,
    status,
)

__all__ = [
    "CHECKS",
    "PHASES",
    "CheckKind",
    "CheckResult",
    "ChecklistItem",
    "ExplainQuestion",
    "Exported",
    "Lab",
    "PredictQuestion",
    "Progress",
    "Project",
    "Scored",
    "StepStatus",
    "Where",
    "answer_explanation",
    "answer_prediction",
    "check",
    "checklist",
    "draw_explanation",
    "draw_prediction",
    "export",
    "hint",
    "lab",
    "labs",
    "new_project",
    "next_step",
    "open_project",
    "parse_lab",
    "project_status",
    "score",
    "status",
]
