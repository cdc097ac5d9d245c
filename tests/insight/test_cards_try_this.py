"""Cards cannot claim what the software does not show: every card's "try this" command,
run exactly as printed (plus ``--no-predict --json`` to run unattended), must make the
detector of the card's ``shows`` phenomenon fire."""

from __future__ import annotations

import contextlib
import io
import json
import shlex

import pytest

from tinkerlab.cli import main
from tinkerlab.insight import cards

CARDS = cards()


def try_this_command(card) -> list[str]:
    lines = [line for line in card.try_this.splitlines() if line.startswith("tinkerlab ")]
    assert len(lines) == 1, f"{card.id}: one tinkerlab command in 'Try this'"
    return shlex.split(lines[0])[1:]


@pytest.mark.slow
@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_the_try_this_command_shows_the_cards_phenomenon(card, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    args = try_this_command(card)
    assert args[0] == "tinker"
    out = io.StringIO()
    code: object = 0
    with contextlib.redirect_stdout(out):
        try:
            main([*args, "--no-predict", "--json", "--jobs", "1"])
        except SystemExit as exit_:
            code = exit_.code
    assert not code, f"{card.id}: {shlex.join(args)} exited {code}"
    result = json.loads(out.getvalue())
    found = {p["id"]: p for p in result["phenomena"]}
    assert card.shows in found, (
        f"{card.id}: `tinkerlab {shlex.join(args)}` showed {sorted(found)}, not {card.shows}"
    )
    assert found[card.shows]["evidence"]
