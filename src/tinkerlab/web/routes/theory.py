"""Theory: every card, with the learner's own numbers where they have them; the why-search."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.exceptions import NotFoundError
from tinkerlab.web._app import journal
from tinkerlab.web._render import render, trusted_html
from tinkerlab.web._try import form_link

router = APIRouter()


@router.get("/theory")
def theory_page(request: Request, q: str = "") -> Response:
    """Every card (unlocked ones marked), or the cards that answer question *q*."""
    from tinkerlab.insight import MATH_LEVELS, cards, search

    unlocked = {u.card_id: u for u in journal(request).unlocks()}
    hits = search(q, limit=5) if q.strip() else []
    context: dict[str, Any] = {
        "cards": cards(),
        "unlocked": unlocked,
        "q": q,
        "hits": hits,
        "levels": MATH_LEVELS,
    }
    return render(request, "theory.html", **context)


@router.get("/theory/{card_id}")
def card_page(
    request: Request, card_id: str, experiment: int | None = None, run: int | None = None
) -> Response:
    """One card, its math as MathML, filled with the learner's numbers when opened from
    an experiment or a run; opening it is recorded as a read (``tinkerlab theory ID``)."""
    from tinkerlab.insight import theory

    store = journal(request)
    card = theory(card_id)
    unlock = next((u for u in store.unlocks() if u.card_id == card_id), None)
    source = _source(unlock.source) if unlock is not None else None
    if experiment is None and run is None and source is not None:
        # Opened from the card list (or another card): the work that unlocked it has the
        # learner's own numbers, as a link from that work's page would show them.
        kind, number = source
        try:
            evidence = _evidence(
                request,
                card_id,
                number if kind == "experiment" else None,
                number if kind == "run" else None,
            )
        except NotFoundError:  # that record is gone: the card as written
            evidence = None
    else:
        evidence = _evidence(request, card_id, experiment, run)
    shown = card.with_evidence(evidence) if evidence else card
    store.record_card_read(card.id)
    context: dict[str, Any] = {
        "card": card,
        # The card's own links point into a page of every card; here each is its own page.
        "html": trusted_html(shown.to_html().replace('href="#tl-card-', 'href="/theory/')),
        "try_link": form_link(card.try_this),
        "evidence": evidence,
        "unlocked_by": None if unlock is None else unlock.source,
        "unlocked_url": None if source is None else _source_url(source),
    }
    return render(request, "card.html", **context)


def _source(text: str) -> tuple[str, int] | None:
    """Where an unlock came from, ``"experiment #3"`` → ``("experiment", 3)``."""
    kind, _, number = text.partition(" #")
    if kind in ("experiment", "run") and number.isdigit():
        return kind, int(number)
    return None


def _source_url(source: tuple[str, int]) -> str:
    kind, number = source
    return f"/experiments/{number}" if kind == "experiment" else f"/journal/runs/{number}"


def _evidence(
    request: Request, card_id: str, experiment: int | None, run: int | None
) -> str | None:
    """The learner's numbers for this card: the finding that points to it."""
    store = journal(request)
    findings: list[dict[str, Any]] = []
    if experiment is not None:
        findings = store.get_experiment(experiment).summary.get("phenomena", [])
    elif run is not None:
        findings = store.get_run(run).summary.get("phenomena", [])
    for finding in findings:
        if finding.get("card") == card_id:
            return str(finding.get("evidence"))
    return None
