"""Theory cards: short explanations stored as data, one markdown file per card.

A card is ``cards/<id>.md``: a front matter block between ``---`` lines, then four
sections in this order::

    ---
    id: overfitting                      # snake_case, the file's name
    title: Overfitting and the train/test gap
    concepts: [overfitting, generalisation, deeper tree]
    unlocked_by: [overfitting, max_depth]   # phenomenon ids, knob names, model names, first_run
    shows: overfitting                   # the phenomenon its "try this" command brings out
    math_level: 1                        # 0 none, 1 algebra, 2 sums and functions, 3 calculus
    prerequisites: [train_test_split]
    related: [underfitting, bias_variance]
    example: past max_depth=4 the training score keeps rising (0.78 → 1.00) while ...
    ---
    ## The idea
    ... one line holding only {evidence} ...
    ## The math
    ... LaTeX in $...$ and $$...$$ ...
    ## In code
    ```python
    ... 5 to 15 runnable lines ...
    ```
    ## Try this
    ```bash
    tinkerlab tinker credit --model decision_tree --knob max_depth --range 1:20
    ```
    ... what to look for ...

The ``{evidence}`` line is where the numbers of the learner's own experiment go
(:meth:`Card.with_evidence`); without them the card shows its ``example`` instead.
The front matter is a small YAML subset (``key: value`` and ``key: [a, b]``), read here
so cards need no YAML library.

>>> card = theory("overfitting")
>>> card.title
'Overfitting and the train/test gap'
>>> "overfitting" in card.unlocked_by
True
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from tinkerlab.exceptions import InputError, NotFoundError
from tinkerlab.insight._phenomena import PHENOMENA

#: The placeholder line filled with the learner's numbers.
EVIDENCE = "{evidence}"
#: The sections of a card's body, in order: (heading, attribute).
SECTIONS = (
    ("The idea", "idea"),
    ("The math", "math"),
    ("In code", "code"),
    ("Try this", "try_this"),
)
#: What each math level means, for listings.
MATH_LEVELS = {
    0: "no math",
    1: "arithmetic and algebra",
    2: "sums, functions and probabilities",
    3: "derivatives and matrices",
}
#: Triggers that are neither a phenomenon, a knob nor a model.
EVENTS = {"first_run": "your first recorded run"}

_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>$|~#")
_LISTS = ("concepts", "unlocked_by", "prerequisites", "related")
_SCALARS = ("id", "title", "shows", "math_level", "example")


@dataclass(frozen=True, repr=False)
class Card:
    """One theory card: the idea tied to what the learner saw, the math, code, an experiment.

    Build one with :func:`theory` (a shipped card by id) or :func:`parse_card` (any text).
    In Jupyter a card renders as HTML with MathML; ``rich.print(card)`` renders it for the
    terminal, with the math in Unicode.
    """

    id: str  # snake_case, unique, the file's name: "overfitting"
    title: str  # "Overfitting and the train/test gap"
    concepts: tuple[str, ...]  # words and phrases a learner might use for it (search reads them)
    unlocked_by: tuple[str, ...]  # phenomenon ids, knob names, model names or "first_run"
    shows: str  # the phenomenon id its "try this" command demonstrates
    math_level: int  # 0 no math ... 3 derivatives and matrices (MATH_LEVELS)
    prerequisites: tuple[str, ...]  # card ids worth reading first
    related: tuple[str, ...]  # card ids that go well with it
    example: str  # a typical observation, shown where the learner's own numbers would go
    idea: str  # markdown with one {evidence} line
    math: str  # markdown with LaTeX between $...$ (inline) or $$...$$ (display)
    code: str  # Python source, 5 to 15 lines, runnable offline
    try_this: str  # one tinkerlab command
    try_note: str  # markdown: what to look for when running it
    evidence: str | None = field(default=None, compare=False)  # the learner's numbers, if given

    def with_evidence(self, evidence: str | None) -> Card:
        """The same card, its ``{evidence}`` line filled with *evidence* (the learner's numbers).

        >>> card = theory("overfitting").with_evidence("train 0.99 but CV 0.71 at depth 20")
        >>> "train 0.99 but CV 0.71" in card.idea_markdown()
        True
        """
        return replace(self, evidence=evidence)

    def idea_markdown(self) -> str:
        """The idea section, its ``{evidence}`` line filled (the example when none is given)."""
        if self.evidence:
            line = f"**In your results:** {escape_markdown(self.evidence)}"
        else:
            line = f"**A typical case:** {self.example}"
        return self.idea.replace(EVIDENCE, line)

    def to_markdown(self) -> str:
        """The whole card as markdown (LaTeX left as it is)."""
        return (
            f"# {self.title}\n\n## The idea\n\n{self.idea_markdown()}\n\n"
            f"## The math\n\n{self.math}\n\n## In code\n\n```python\n{self.code}\n```\n\n"
            f"## Try this\n\n```bash\n{self.try_this}\n```\n\n{self.try_note}\n"
        )

    def to_html(self, *, standalone: bool = False) -> str:
        """The card as HTML, math as MathML (no script, no network); a page if *standalone*."""
        from tinkerlab.insight._render import render_html

        return render_html(self, standalone=standalone)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __rich__(self) -> Any:
        from tinkerlab.insight._render import render_terminal

        return render_terminal(self)

    def __repr__(self) -> str:
        return f"Card({self.id!r}, title={self.title!r})"


def escape_markdown(text: str) -> str:
    """Backslash-escape what a markdown parser would read as markup or math (``*_$``...)."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def parse_card(text: str, source: str = "<card>") -> Card:
    """Read a card from its markdown text (front matter, then the four sections).

    Raises
    ------
    InputError
        If the front matter or a section is missing or malformed; the message names
        *source* and the line.
    """
    meta, body = _split_front_matter(text, source)
    sections = _sections(body, source)
    code = _fenced(sections["code"], source, "In code", language="python")
    try_block = sections["try_this"]
    command = _fenced(try_block, source, "Try this", language="bash")
    note = re.sub(r"```[a-z]*\n.*?```", "", try_block, count=1, flags=re.DOTALL).strip()
    if "\n" in command:
        raise InputError(f"{source}: 'Try this' must hold exactly one command; got {command!r}.")
    idea = sections["idea"]
    if sum(line.strip() == EVIDENCE for line in idea.splitlines()) != 1:
        raise InputError(
            f"{source}: 'The idea' needs exactly one line holding only {EVIDENCE}, where "
            "the learner's numbers go."
        )
    try:
        level = int(meta["math_level"])
    except ValueError:
        raise InputError(
            f"{source}: math_level must be 0, 1, 2 or 3; got {meta['math_level']!r}."
        ) from None
    if level not in MATH_LEVELS:
        raise InputError(f"{source}: math_level must be 0, 1, 2 or 3; got {level}.")
    card = Card(
        id=str(meta["id"]),
        title=str(meta["title"]),
        concepts=tuple(meta["concepts"]),
        unlocked_by=tuple(meta["unlocked_by"]),
        shows=str(meta["shows"]),
        math_level=level,
        prerequisites=tuple(meta["prerequisites"]),
        related=tuple(meta["related"]),
        example=str(meta["example"]),
        idea=idea,
        math=sections["math"],
        code=code,
        try_this=command,
        try_note=note,
    )
    if not _ID.match(card.id):
        raise InputError(
            f"{source}: id must be snake_case, like 'feature_scaling'; got {card.id!r}."
        )
    if card.shows not in PHENOMENA:
        raise InputError(
            f"{source}: shows must be a phenomenon id; got {card.shows!r}. "
            f"Known: {', '.join(PHENOMENA)}."
        )
    return card


def _split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise InputError(f"{source}: a card starts with a front matter block between '---' lines.")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise InputError(f"{source}: the front matter's closing '---' line is missing.") from None
    meta: dict[str, Any] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in (*_LISTS, *_SCALARS):
            raise InputError(
                f"{source}, line {number}: expected 'key: value' with a key among "
                f"{', '.join((*_SCALARS, *_LISTS))}; got {line!r}."
            )
        if key in meta:
            raise InputError(f"{source}, line {number}: {key!r} is given twice.")
        if key in _LISTS:
            if not (value.startswith("[") and value.endswith("]")):
                raise InputError(
                    f"{source}, line {number}: {key} is a list, written [a, b]; got {value!r}."
                )
            meta[key] = [_unquote(item) for item in value[1:-1].split(",") if item.strip()]
        else:
            meta[key] = _unquote(value)
    missing = [key for key in (*_SCALARS, *_LISTS) if key not in meta]
    if missing:
        raise InputError(f"{source}: the front matter lacks {', '.join(missing)}.")
    return meta, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _sections(body: str, source: str) -> dict[str, str]:
    """Split the body at its ``## `` headings (outside code fences), checking names and order."""
    found: list[tuple[str, list[str]]] = []
    fenced = False
    for line in body.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            found.append((line[3:].strip(), []))
        elif found:
            found[-1][1].append(line)
        elif line.strip():
            raise InputError(f"{source}: text before the first section: {line!r}.")
    headings = [heading for heading, _ in found]
    expected = [heading for heading, _ in SECTIONS]
    if headings != expected:
        raise InputError(
            f"{source}: the sections must be {', '.join(expected)} (as '## ' headings, in "
            f"this order); got {', '.join(headings) or 'none'}."
        )
    return {
        attribute: "\n".join(lines).strip()
        for (_, attribute), (_, lines) in zip(SECTIONS, found, strict=True)
    }


def _fenced(section: str, source: str, heading: str, *, language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)
    if match is None:
        raise InputError(f"{source}: '{heading}' needs a ```{language} code block.")
    return match.group(1).strip("\n")


@functools.cache
def _shipped() -> dict[str, Card]:
    """Every card shipped in ``tinkerlab/insight/cards/``, by id (read once)."""
    folder = resources.files("tinkerlab.insight") / "cards"
    found: dict[str, Card] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".md"):
            continue
        card = parse_card(entry.read_text(encoding="utf-8"), source=f"cards/{entry.name}")
        if entry.name != f"{card.id}.md":
            raise InputError(
                f"cards/{entry.name}: the file must be named after its id, {card.id}.md."
            )
        found[card.id] = card
    return found


def cards() -> tuple[Card, ...]:
    """Every theory card, ordered by math level, then title.

    >>> len(cards()) >= 28
    True
    """
    return tuple(sorted(_shipped().values(), key=lambda c: (c.math_level, c.title.lower())))


def theory(card_id: str) -> Card:
    """The theory card *card_id* (``"overfitting"``); an unknown id suggests close ones.

    Parameters
    ----------
    card_id : str
        A card's id, as ``tinkerlab theory`` lists them. Case, spaces and hyphens are
        forgiven: ``"Feature scaling"`` finds ``feature_scaling``.

    Raises
    ------
    NotFoundError
        If no card has that id; the message suggests the closest ones.

    Examples
    --------
    >>> theory("gradient-descent").id
    'gradient_descent'
    """
    shipped = _shipped()
    key = re.sub(r"[\s\-]+", "_", str(card_id).strip().lower())
    if key in shipped:
        return shipped[key]
    by_title = {card.title.lower(): card for card in shipped.values()}
    if str(card_id).strip().lower() in by_title:
        return by_title[str(card_id).strip().lower()]
    close = difflib.get_close_matches(key, shipped, n=3, cutoff=0.5)
    close += [
        by_title[t].id
        for t in difflib.get_close_matches(str(card_id).lower(), by_title, n=2, cutoff=0.5)
        if by_title[t].id not in close
    ]
    close += [c.id for c in shipped.values() if key and key in c.id and c.id not in close]
    hint = f" Did you mean {', '.join(repr(c) for c in close[:3])}?" if close else ""
    raise NotFoundError(f"No theory card {card_id!r}.{hint} List every card with: tinkerlab theory")


__all__ = ["EVENTS", "EVIDENCE", "MATH_LEVELS", "SECTIONS", "Card", "cards", "parse_card", "theory"]
