"""Theory cards read and unlocked: ``tinkerlab theory ID`` and the cards the work opened.

Every read is a row (``card_reads``), so a question can tell which of its cards were read
after it was asked. An unlock is recorded once per card: the first trigger that met it
(a phenomenon, a knob, a model, a first run) and where.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tinkerlab.journal import _checks as check
from tinkerlab.journal._database import Database
from tinkerlab.journal._entries import UnlockEntry, to_entry
from tinkerlab.journal._tables import CardReadRow, UnlockRow


def record_card_read(db: Database, card_id: str) -> None:
    """Note that the learner opened card *card_id*."""
    row = CardReadRow(card_id=check.words(card_id, "card id"), read_at=datetime.now(UTC))
    with db.writing("record a card read in") as session:
        session.add(row)
        session.commit()


def cards_read(db: Database) -> dict[str, int]:
    """How many times each card has been read."""
    query = select(CardReadRow.card_id, func.count()).group_by(CardReadRow.card_id)
    with db.reading() as session:
        return {card: int(n) for card, n in session.execute(query).all()}


def last_reads(session: Session) -> dict[str, datetime]:
    """When each card was last read, in an open session (for the questions' state)."""
    query = select(CardReadRow.card_id, func.max(CardReadRow.read_at))
    return dict(session.execute(query.group_by(CardReadRow.card_id)).all())


def record_unlocks(db: Database, unlocks: Sequence[tuple[str, str, str]]) -> list[UnlockEntry]:
    """Record ``(card_id, trigger, source)`` for each card not unlocked yet; the new ones."""
    now = datetime.now(UTC)
    with db.writing("record unlocked cards in") as session:
        known = set(session.scalars(select(UnlockRow.card_id)).all())
        fresh = []
        for card_id, trigger, source in unlocks:
            if card_id in known:
                continue  # a card keeps its first unlock
            known.add(card_id)
            fresh.append(
                UnlockRow(card_id=card_id, trigger=trigger, source=source, unlocked_at=now)
            )
        session.add_all(fresh)
        session.commit()
    return [to_entry(UnlockEntry, row) for row in fresh]


def unlocks(db: Database) -> list[UnlockEntry]:
    """Every card unlocked so far, in the order they were unlocked."""
    query = select(UnlockRow).order_by(UnlockRow.unlocked_at, UnlockRow.id)
    with db.reading() as session:
        return [to_entry(UnlockEntry, row) for row in session.scalars(query).all()]
