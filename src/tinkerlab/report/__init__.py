"""Reports: the first look at a dataset (``tinkerlab look``), written for learners.

>>> from tinkerlab.report import look
>>> report = look("penguins")
>>> report.target, report.task
('species', 'classification')
>>> report.to_html("look.html")  # doctest: +SKIP

:func:`look` profiles every column (vectorised, exact; big files in one streaming pass
with a sample for what cannot be counted exactly), relates each feature to the target,
and raises :class:`Alert`\\ s: a sentence with its number and a next step that runs
(``tinkerlab tinker ... --knob add_feature --values none,log:fare``). A :class:`Look` is
data (``to_dict``), an offline HTML page with interactive charts (``html``, drawn with
:mod:`tinkerlab.charts`), and renders itself in Jupyter.

This package sits above ``data`` and ``charts`` and below the journal; ``tl.look``
records a look in the journal (kind ``"look"``), which unlocks the theory cards its
alerts name.
"""

from __future__ import annotations

from tinkerlab.report._alerts import RULES, DataRef, Rule
from tinkerlab.report._columns import ColumnProfile
from tinkerlab.report._look import Alert, Look, Sampling
from tinkerlab.report._open import look
from tinkerlab.report._profile import profile_dataset

__all__ = [
    "RULES",
    "Alert",
    "ColumnProfile",
    "DataRef",
    "Look",
    "Rule",
    "Sampling",
    "look",
    "profile_dataset",
]
