"""``why``: find the theory cards that answer a question, offline (BM25, no model, no network).

Each card is a bag of word stems drawn from its fields, each field weighted by how much
it says about the card: the title counts three times, the concepts (the words learners
use for it) twice, the idea and the try-this note once, the math half. A question is
reduced to stems the same way (lower case, stop words out, a light suffix stemmer that
also folds British spellings), and cards are ranked by Okapi BM25 (Robertson & Zaragoza,
2009), the ranking function of most search engines before neural ones:

    score(card) = Σ over query stems t of idf(t) · tf(t)·(k1 + 1) / (tf(t) + k1·(1 − b + b·L/L̄))

with ``tf`` the weighted count of ``t`` in the card, ``L`` its weighted length, ``L̄`` the
average length, ``idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))``, ``k1 = 1.2`` and ``b = 0.75``.
The snippet is the card's sentence that holds the most of the question's rare words.

>>> hits = search("why does accuracy go down when the tree gets deeper?")
>>> hits[0].card.id
'overfitting'
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from tinkerlab.exceptions import InputError
from tinkerlab.insight._cards import Card, cards
from tinkerlab.insight._latex import latex_to_unicode

#: BM25's term-frequency saturation and length normalisation (the usual values).
K1, B = 1.2, 0.75
#: How much a word in each field counts.
FIELD_WEIGHTS = {"title": 3.0, "concepts": 2.0, "idea": 1.0, "try_note": 1.0, "math": 0.5}
#: Longest snippet, in characters.
SNIPPET_CHARS = 220

_STOP_WORDS = """
a about above after again against all am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don
down during each few for from further get gets getting got had has have having he her
here hers herself him himself his how i if in into is isn it its itself just let like me
more most my myself no nor not now of off on once only or other ought our ours ourselves
out over own really same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself
yourselves also one thing things something make makes made go goes going went use used
using mean means happen happens happened keep keeps kept see seen show shows shown still
even much many tinkerlab
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# "down", "up", "more" and "over" are stop words in questions ("go down", "over time");
# the cards' own words carry the meaning instead.

#: British spellings folded into American ones before stemming (the same stem either way).
_SPELLINGS = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"),
              ("ise", "ize"), ("yse", "yze"), ("tre", "ter"))  # fmt: skip
#: Plurals: (suffix, replacement), the first that matches applies.
_PLURALS = (("sses", "ss"), ("trices", "trix"), ("ies", "y"), ("ss", "ss"), ("us", "us"),
            ("is", "is"), ("ias", "ias"), ("s", ""))  # fmt: skip
#: Derivational suffixes: (suffix, replacement, shortest stem left); applied at most twice.
_SUFFIXES = (("ication", "y", 3), ("ization", "ize", 3), ("ational", "", 3), ("ation", "", 3),
             ("ate", "", 3), ("izing", "ize", 3), ("ized", "ize", 3), ("ingly", "", 3),
             ("edly", "", 3), ("ness", "", 3), ("ment", "", 3), ("ing", "", 3), ("ed", "", 3),
             ("ity", "", 3), ("ly", "", 3), ("er", "", 4), ("est", "", 4))  # fmt: skip


def stem(word: str) -> str:
    """Reduce *word* to a stem shared by its forms: scaling, scaled, scales -> ``scal``.

    A light cousin of Porter's stemmer: British spellings folded, then the plural, then
    up to two derivational suffixes, then a final ``e`` or ``ize``, a ``y`` and a doubled
    consonant. Both the cards and the question pass through it, so the stems only need
    to agree, not to be words.

    >>> [stem(w) for w in ["overfitting", "overfits", "deeper", "neighbours", "regularisation"]]
    ['overfit', 'overfit', 'deep', 'neighbor', 'regular']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if "our" in word[2:]:
        word = word.replace("our", "or")  # neighbour, behaviour, colour
    for british, american in _SPELLINGS:
        if word.endswith(british) and len(word) - len(british) >= 3:
            word = word[: -len(british)] + american
            break
    for suffix, replacement in _PLURALS:
        if word.endswith(suffix):
            word = word[: len(word) - len(suffix)] + replacement
            break
    for _ in range(2):
        for suffix, replacement, shortest in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
                word = word[: len(word) - len(suffix)] + replacement
                break
        else:
            break
    if word.endswith("ize") and len(word) > 6:
        word = word[:-3]
    elif word.endswith("iz") and len(word) > 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if word.endswith("y") and len(word) > 4:
        word = word[:-1] + "i"
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeioulsz":
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The stems of *text*'s words, stop words left out (``max_depth`` gives max, depth)."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return [stem(w) for w in words if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


@dataclass(frozen=True)
class SearchHit:
    """One card that answers a question: how well, and the sentence that shows why."""

    card: Card
    score: float  # BM25 score; comparable between cards of one question only
    snippet: str  # the card's sentence holding most of the question's rare words
    matched: tuple[str, ...]  # the question's stems found in the card


@dataclass(frozen=True)
class _Index:
    cards: tuple[Card, ...]
    frequencies: tuple[dict[str, float], ...]  # per card: stem -> weighted count
    lengths: tuple[float, ...]  # per card: weighted number of stems
    document_frequency: Counter[str]  # stem -> number of cards holding it
    average_length: float


def _plain(markdown: str) -> str:
    """Markdown with math to plain text: LaTeX read as Unicode, markup characters gone."""
    from tinkerlab.insight._render import split_math

    out = []
    for kind, content in split_math(markdown):
        out.append(content if kind == "text" else f" {latex_to_unicode(content)} ")
    return re.sub(r"[*_`#>]+", "", "".join(out))


def _fields(card: Card) -> dict[str, str]:
    return {
        "title": card.title,
        "concepts": " ".join(card.concepts),
        "idea": _plain(card.idea.replace("{evidence}", card.example)),
        "try_note": _plain(card.try_note),
        "math": _plain(card.math),
    }


@functools.cache
def _index() -> _Index:
    every = cards()
    frequencies: list[dict[str, float]] = []
    lengths: list[float] = []
    document_frequency: Counter[str] = Counter()
    for card in every:
        counts: dict[str, float] = {}
        for name, text in _fields(card).items():
            for token in tokens(text):
                counts[token] = counts.get(token, 0.0) + FIELD_WEIGHTS[name]
        frequencies.append(counts)
        lengths.append(sum(counts.values()))
        document_frequency.update(counts.keys())
    return _Index(
        every, tuple(frequencies), tuple(lengths), document_frequency, sum(lengths) / len(lengths)
    )


def search(question: str, limit: int = 3) -> list[SearchHit]:
    """The theory cards that best answer *question*, best first (at most *limit*).

    Parameters
    ----------
    question : str
        In the learner's own words: "why does my tree get worse when it gets deeper?".
    limit : int, default=3
        How many cards at most; only cards sharing a word with the question are returned.

    Raises
    ------
    InputError
        If the question is empty, or *limit* is below 1.

    Examples
    --------
    >>> [hit.card.id for hit in search("what does the learning rate do?", limit=1)]
    ['gradient_descent']
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError(
            f"A question needs some words; got {question!r}. Ask it in your own words, e.g. "
            'tinkerlab why "why does accuracy fall when the tree gets deeper?"'
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit must be a whole number of 1 or more; got {limit!r}.")
    index = _index()
    query = list(dict.fromkeys(tokens(question)))  # each stem once, in order
    n = len(index.cards)
    idf = {
        t: math.log(
            1 + (n - index.document_frequency[t] + 0.5) / (index.document_frequency[t] + 0.5)
        )
        for t in query
    }
    scored = []
    for card, counts, length in zip(index.cards, index.frequencies, index.lengths, strict=True):
        score = 0.0
        for t in query:
            tf = counts.get(t, 0.0)
            if tf:
                norm = K1 * (1 - B + B * length / index.average_length)
                score += idf[t] * tf * (K1 + 1) / (tf + norm)
        if score > 0:
            scored.append((score, card, tuple(t for t in query if t in counts)))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    return [
        SearchHit(card, round(score, 4), _snippet(card, matched, idf), matched)
        for score, card, matched in scored[:limit]
    ]


def _snippet(card: Card, matched: tuple[str, ...], idf: dict[str, float]) -> str:
    """The sentence of the card's idea (or note, or math) that holds most of the question."""
    sentences: list[str] = []
    for text in (_plain(card.idea.replace("{evidence}", "")), _plain(card.try_note)):
        for paragraph in text.split("\n\n"):
            flat = " ".join(paragraph.split())
            sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", flat) if s)
    if not sentences:
        return ""
    wanted = set(matched)

    def weight(sentence: str) -> float:
        return sum(idf.get(t, 0.0) for t in set(tokens(sentence)) & wanted)

    best = max(sentences, key=lambda s: (weight(s), -sentences.index(s)))
    if len(best) > SNIPPET_CHARS:
        best = best[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return best


__all__ = ["SearchHit", "search", "stem", "tokens"]
