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
from tinkerlab.insight._latex import LatexError, latex_to_unicode
from tinkerlab.insight._phenomena import PHENOMENA
from tinkerlab.insight._render import markdown_html, math_to_mathml, render_html, render_terminal
from tinkerlab.insight._search import SearchHit, search
from tinkerlab.insight._unlock import (
    describe_trigger,
    journal_triggers,
    known_triggers,
    unlocked_cards,
)

__all__ = [
    "EVIDENCE",
    "MATH_LEVELS",
    "PHENOMENA",
    "Card",
    "LatexError",
    "SearchHit",
    "cards",
    "describe_trigger",
    "journal_triggers",
    "known_triggers",
    "latex_to_unicode",
    "markdown_html",
    "math_to_mathml",
    "parse_card",
    "render_html",
    "render_terminal",
    "search",
    "theory",
    "unlocked_cards",
]
