"""Which theory cards the learner's own work has unlocked, read from the journal.

A card's ``unlocked_by`` names **triggers**: a phenomenon id (``overfitting``), a knob
(``max_depth``, ``train_size``), a model (``knn``) or an event (``first_run``). The
journal shows which triggers the learner has met: the models they ran, the knobs they
set or swept, and the phenomena found in their experiments. A card is unlocked once one
of its triggers has been met. Every card can be read at any time; unlocking decides
what ``tinkerlab theory`` offers first.

:func:`journal_triggers` is the one place that reads the journal for this; extend it
when the journal records more (the phenomena of a run or an experiment are read from its
``summary["phenomena"]``, where the detectors put them).

>>> from tinkerlab.journal import open_journal
>>> with open_journal("sqlite://") as journal:
...     unlocked_cards(journal)
{}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from tinkerlab.insight._cards import EVENTS, Card, cards
from tinkerlab.insight._phenomena import PHENOMENA, READ_NEXT, phenomenon_title
from tinkerlab.options import spell, suggest


class _RunLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def model(self) -> str: ...
    @property
    def recipe(self) -> dict[str, Any]: ...
    @property
    def summary(self) -> dict[str, Any]: ...


class _ExperimentLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def model(self) -> str: ...
    @property
    def knob(self) -> str: ...
    @property
    def summary(self) -> dict[str, Any]: ...


class JournalLike(Protocol):
    """What unlocking reads: :class:`tinkerlab.journal.Journal` has both methods."""

    def list_runs(self, limit: int | None = ..., dataset: str | None = ...) -> Any: ...
    def list_experiments(self, limit: int | None = ...) -> Any: ...


#: The trigger of a card named by an alert of a recorded look (``tinkerlab look``).
LOOK_TRIGGER = "look"


def look_cards(journal: JournalLike) -> dict[str, str]:
    """Cards named by the alerts of recorded looks, with the first look that named each
    (``"look #4"``). A look's summary lists its alerts, each with a ``card`` id."""
    analyses = getattr(journal, "analyses", None)
    if analyses is None:
        return {}
    found: dict[str, str] = {}
    for entry in sorted(analyses(LOOK_TRIGGER, limit=None), key=lambda a: a.id):
        alerts = entry.summary.get("alerts") if isinstance(entry.summary, Mapping) else None
        for alert in alerts if isinstance(alerts, list) else ():
            card = alert.get("card") if isinstance(alert, Mapping) else None
            if isinstance(card, str):
                found.setdefault(card, f"look #{entry.id}")
    return found


def journal_triggers(journal: JournalLike) -> dict[str, str]:
    """Every trigger the journal shows, with where it was first met (``"experiment #3"``).

    Runs give ``first_run``, their model, the knobs set with ``--set`` and the phenomena
    found in them; experiments
    give their knob, their model and the phenomena found in them (if recorded).
    """
    met: dict[str, str] = {}

    def meet(trigger: str, where: str) -> None:
        met.setdefault(trigger, where)

    runs: Iterable[_RunLike] = sorted(journal.list_runs(limit=None), key=lambda r: r.id)
    for run in runs:
        where = f"run #{run.id}"
        meet("first_run", where)
        meet(run.model, where)
        params = run.recipe.get("params") or {}
        for knob in params if isinstance(params, Mapping) else ():
            meet(str(knob), where)
        for phenomenon in _phenomena(run.summary):
            meet(phenomenon, where)
    experiments: Iterable[_ExperimentLike] = sorted(
        journal.list_experiments(limit=None), key=lambda e: e.id
    )
    for experiment in experiments:
        where = f"experiment #{experiment.id}"
        meet(experiment.knob, where)
        meet(experiment.model, where)
        for phenomenon in _phenomena(experiment.summary):
            meet(phenomenon, where)
    return met


def _phenomena(summary: Mapping[str, Any]) -> list[str]:
    """Phenomenon ids in an experiment's summary: ``["overfitting"]`` or ``[{"id": ...}]``."""
    found = summary.get("phenomena") if isinstance(summary, Mapping) else None
    ids = []
    for item in found if isinstance(found, list) else ():
        pid = item.get("id") if isinstance(item, Mapping) else item
        if isinstance(pid, str) and pid in PHENOMENA:
            ids.append(pid)
    return ids


def unlocked_cards(
    journal: JournalLike, every: Iterable[Card] | None = None
) -> dict[str, tuple[str, str]]:
    """The cards the journal's work has unlocked: card id -> (trigger, where it was met).

    Parameters
    ----------
    journal : Journal
        An open journal (``tinkerlab.journal.open_journal()``).
    every : iterable of Card, optional
        The cards to consider; default every shipped card.
    """
    met = journal_triggers(journal)
    looked = look_cards(journal)
    unlocked: dict[str, tuple[str, str]] = {}
    for card in cards() if every is None else every:
        for trigger in card.unlocked_by:
            if trigger in met and _opens(trigger, card.id):
                unlocked[card.id] = (trigger, met[trigger])
                break
        else:
            if card.id in looked:
                unlocked[card.id] = (LOOK_TRIGGER, looked[card.id])
    return unlocked


def _opens(trigger: str, card: str) -> bool:
    """Whether meeting *trigger* unlocks *card*. A phenomenon unlocks only the card that
    explains it (``READ_NEXT``): overfitting spotted in a classification forest opens the
    overfitting card, not mean squared error's or SVM kernels' (which list overfitting
    among their topics but are about another model or task). Those cards open when the
    learner meets their model or knob."""
    return trigger not in PHENOMENA or READ_NEXT[trigger] == card


def describe_trigger(trigger: str, *, short: bool = False) -> str:
    """A trigger in plain words, with the option that meets it (*short*: without it),
    written for the surface in use (:func:`tinkerlab.options.speaking`).

    >>> describe_trigger("scaling")
    "sweeping scaling on and off (tl.tinker('DATA', knob='scaling'))"
    >>> describe_trigger("max_depth", short=True)
    'sweeping max_depth'
    """
    if trigger in EVENTS:
        return EVENTS[trigger]
    if trigger == LOOK_TRIGGER:
        return "an alert of tinkerlab look"
    if trigger in PHENOMENA:
        where = "" if short else " in one of your sweeps or runs"
        return f"seeing {phenomenon_title(trigger)}{where}"
    from tinkerlab.experiment import SPECIAL_KNOBS
    from tinkerlab.recipe import MODELS

    if trigger in MODELS:
        if short:
            return f"running {trigger}"
        return f"running the {MODELS[trigger].title.lower()} model ({spell('model', trigger)})"
    if trigger in SPECIAL_KNOBS:
        what = _SPECIAL_WORDS.get(trigger, f"sweeping {trigger}")
        return what if short else f"{what} ({suggest('tinker', 'DATA', ('knob', trigger))})"
    if short:
        return f"sweeping {trigger}"
    setting = spell("params", {trigger: "..."}).replace("'...'", "...")  # a value to choose
    return f"setting or sweeping the {trigger} parameter ({setting} or {spell('knob', trigger)})"


#: The special knobs in words, for "unlock it by ...".
_SPECIAL_WORDS = {
    "train_size": "drawing a learning curve",
    "features": "leaving features out one at a time",
    "model": "comparing models",
    "seed": "changing only the random seed",
    "label_noise": "flipping some training labels",
    "feature_noise": "adding noise to the features",
    "scaling": "sweeping scaling on and off",
    "test_size": "changing the test share",
    "text_features": "comparing text features",
}


def known_triggers() -> frozenset[str]:
    """Every name ``unlocked_by`` may use: phenomena, knobs, models and events."""
    from tinkerlab.experiment import SPECIAL_KNOBS
    from tinkerlab.recipe import MODELS

    knobs = {k.name for m in MODELS.values() for k in (*m.knobs, *m.scratch_knobs)}
    return frozenset({*PHENOMENA, *EVENTS, *MODELS, *knobs, *SPECIAL_KNOBS})


__all__ = [
    "LOOK_TRIGGER",
    "JournalLike",
    "describe_trigger",
    "journal_triggers",
    "known_triggers",
    "look_cards",
    "unlocked_cards",
]
