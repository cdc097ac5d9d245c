"""Theory: every card, with the learner's own numbers where they have them; the why-search."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

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
    evidence = _evidence(request, card_id, experiment, run)
    shown = card.with_evidence(evidence) if evidence else card
    store.record_card_read(card.id)
    context: dict[str, Any] = {
        "card": card,
        # The card's own links point into a page of every card; here each is its own page.
        "html": trusted_html(shown.to_html().replace('href="#tl-card-', 'href="/theory/')),
        "try_link": form_link(card.try_this),
        "evidence": evidence,
    }
    return render(request, "card.html", **context)


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
