"""Texts as a person reads them: HTML remnants out, whitespace tidied, words worth counting.

Scraped reviews carry markup (the bundled ``reviews`` have ``<br />`` in one review out of
four). Left in, ``br`` becomes the most frequent "word" of every theme, and an encoder
spends tokens on ``<``, ``br``, ``/``. So every step of the analysis reads
:func:`clean_text`'s output; the report shows it too.
"""

from __future__ import annotations

import html
import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: An HTML tag: ``<`` then a letter or ``/`` (so "5 < 6" is left alone), up to ``>``.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
_SPACE = re.compile(r"\s+")

#: Words of two letters or more; digits and underscores are not letters. "don't" gives
#: "don" (dropped below), "k-cups" gives "cups".
WORD_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"

#: scikit-learn's English stop words, plus what is left of contractions once the
#: apostrophe splits them, and the filler every review uses ("really like it").
STOP_WORDS: frozenset[str] = ENGLISH_STOP_WORDS | {
    "aren",
    "couldn",
    "didn",
    "doesn",
    "don",
    "hadn",
    "hasn",
    "haven",
    "isn",
    "ll",
    "re",
    "shouldn",
    "ve",
    "wasn",
    "weren",
    "won",
    "wouldn",
    "br",
    "href",
    "http",
    "https",
    "www",
    "com",
    "just",
    "really",
    "got",
    "get",
    "did",
    "does",
    "use",
    "used",
    "using",
    "tried",
    "try",
}


def clean_text(text: str) -> str:
    """Return *text* without HTML tags and entities, with single spaces.

    >>> clean_text("Great tea.<br /><br />Would buy &amp; buy again.")
    'Great tea. Would buy & buy again.'
    """
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def normalise(text: str) -> str:
    """The form two texts share when they are the same apart from case and spacing.

    >>> normalise("  Great TEA!<br/>") == normalise("great tea!")
    True
    """
    return clean_text(text).casefold()


def snippet(text: str, limit: int = 240) -> str:
    """*text* cut to at most *limit* characters, at a word boundary, with an ellipsis.

    >>> snippet("one two three four", limit=10)
    'one two…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + "…"


__all__ = ["STOP_WORDS", "WORD_PATTERN", "clean_text", "normalise", "snippet"]
