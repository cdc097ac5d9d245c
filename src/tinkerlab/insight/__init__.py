"""Understand: theory cards that answer the questions a learner's own results raise.

Cards are data (``cards/*.md``: front matter, the idea, the math, code, a "try this"
experiment), rendered for the terminal (rich, math in Unicode), as HTML with MathML, and
in Jupyter. :func:`search` finds the cards that answer a question, offline (BM25).
:func:`unlocked_cards` reads the journal to tell which cards the learner's work has
unlocked. See ``docs/theory.md``.

>>> from tinkerlab.insight import theory, search
>>> theory("feature_scaling").shows
'scaling_sensitive'
>>> search("why scale features for knn?")[0].card.id
'feature_scaling'
"""

from __future__ import annotations

from tinkerlab.insight._cards import (
    EVIDENCE,
    MATH_LEVELS,
    Card,
    cards,
    parse_card,
    theory,
)
from tinkerlab.insight._detect import DETECTORS, Finding, SweepResults, detect, detect_run
from tinkerlab.insight._latex import LatexError, latex_to_unicode
from tinkerlab.insight._phenomena import PHENOMENA, READ_NEXT
from tinkerlab.insight._render import markdown_html, math_to_mathml, render_html, render_terminal
from tinkerlab.insight._search import SearchHit, search
from tinkerlab.insight._timeline import MATH_TIMELINE, TimelineStep, math_timeline
from tinkerlab.insight._unlock import (
    describe_trigger,
    journal_triggers,
    known_triggers,
    unlocked_cards,
)

__all__ = [
    "DETECTORS",
    "EVIDENCE",
    "MATH_LEVELS",
    "MATH_TIMELINE",
    "PHENOMENA",
    "READ_NEXT",
    "Card",
    "Finding",
    "LatexError",
    "SearchHit",
    "SweepResults",
    "TimelineStep",
    "cards",
    "describe_trigger",
    "detect",
    "detect_run",
    "journal_triggers",
    "known_triggers",
    "latex_to_unicode",
    "markdown_html",
    "math_timeline",
    "math_to_mathml",
    "parse_card",
    "render_html",
    "render_terminal",
    "search",
    "theory",
    "unlocked_cards",
]
