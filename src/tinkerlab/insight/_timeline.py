"""The math timeline: four topics, each unlocked when the learner's work first needs it.

Math comes when it becomes useful, in the order practical work meets it:

1. **matrix operations** when manipulating data (dropping, scaling or adding features;
   a linear model, which is a matrix product);
2. **derivatives and the chain rule** when optimising (a learning-rate or iteration knob);
3. **probability** when classifying with confidence (a probabilistic classifier, or the
   accuracy paradox);
4. **statistics** (variance, confidence intervals) when comparing models (seeds, split
   sizes, models side by side, or differences lost in the noise).

Each topic is a theory card; what unlocks it is the card's ``unlocked_by``, read from the
journal by :func:`~tinkerlab.insight.unlocked_cards`.

>>> from tinkerlab.journal import open_journal
>>> with open_journal("sqlite://") as journal:
...     [step.unlocked for step in math_timeline(journal)]
[None, None, None, None]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tinkerlab.insight._cards import theory
from tinkerlab.insight._unlock import JournalLike, unlocked_cards

#: (card id, when the topic becomes useful), in timeline order.
MATH_TIMELINE: tuple[tuple[str, str], ...] = (
    ("matrix_operations", "when you manipulate data"),
    ("derivatives_chain_rule", "when you optimise"),
    ("probability_basics", "when you classify with confidence"),
    ("variance_confidence_intervals", "when you compare models"),
)


@dataclass(frozen=True)
class TimelineStep:
    """One topic of the timeline, and whether (and by what) the journal has unlocked it."""

    card: str  # the topic's theory card
    when: str  # "when you optimise"
    unlocked: tuple[str, str] | None  # (trigger, where it was met), or None while locked

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, with the card's title and what unlocks it."""
        card = theory(self.card)
        return {
            "card": self.card,
            "title": card.title,
            "when": self.when,
            "unlocked": self.unlocked is not None,
            "trigger": None if self.unlocked is None else self.unlocked[0],
            "where": None if self.unlocked is None else self.unlocked[1],
            "unlocked_by": list(card.unlocked_by),
        }


def math_timeline(journal: JournalLike) -> list[TimelineStep]:
    """The four math topics in order, each with what unlocked it in *journal* (or None)."""
    topics = [theory(card) for card, _ in MATH_TIMELINE]
    unlocked = unlocked_cards(journal, topics)
    return [TimelineStep(card, when, unlocked.get(card)) for card, when in MATH_TIMELINE]


__all__ = ["MATH_TIMELINE", "TimelineStep", "math_timeline"]
