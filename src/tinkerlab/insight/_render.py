"""Theory cards on screen: the terminal (rich, math in Unicode) and HTML (math as MathML).

Both renderers first split a section's markdown into prose and math
(:func:`split_math`: ``$...$`` inline, ``$$...$$`` display, never inside code), then
render the math their own way: :func:`~tinkerlab.insight._latex.latex_to_unicode` for the
terminal, ``latex2mathml`` for HTML. The HTML needs no script and no network: browsers and
Jupyter draw MathML themselves.

>>> split_math("Loss $L = e^2$, so $$\\\\hat{y}$$ `$HOME`")  # doctest: +NORMALIZE_WHITESPACE
[('text', 'Loss '), ('inline', 'L = e^2'), ('text', ', so '), ('display', '\\\\hat{y}'),
 ('text', ' `$HOME`')]
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Literal

from tinkerlab.insight._cards import MATH_LEVELS, escape_markdown
from tinkerlab.insight._latex import latex_to_unicode

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from tinkerlab.insight._cards import Card

Part = tuple[Literal["text", "inline", "display"], str]


def split_math(markdown: str) -> list[Part]:
    """Split *markdown* into prose and math, leaving code (fenced or inline) untouched.

    An inline ``$`` opens math only when a non-space follows it, and closes it only
    after a non-space and before a non-digit (so "costs $5 and $6" stays prose); ``\\$``
    is a literal dollar.
    """
    parts: list[Part] = []
    text: list[str] = []
    i, n = 0, len(markdown)

    def flush() -> None:
        if text:
            parts.append(("text", "".join(text)))
            text.clear()

    while i < n:
        at_line_start = i == 0 or markdown[i - 1] == "\n"
        if at_line_start and markdown.startswith("```", i):
            close = markdown.find("\n```", i + 3)
            end = n if close < 0 else markdown.find("\n", close + 4)
            end = n if end < 0 else end
            text.append(markdown[i:end])
            i = end
        elif markdown[i] == "`":
            run = re.match(r"`+", markdown[i:])
            assert run is not None
            ticks = run.group()
            close = markdown.find(ticks, i + len(ticks))
            end = n if close < 0 else close + len(ticks)
            text.append(markdown[i:end])
            i = end
        elif markdown.startswith("\\$", i):
            text.append("\\$")
            i += 2
        elif markdown.startswith("$$", i):
            close = markdown.find("$$", i + 2)
            if close < 0:
                text.append(markdown[i:])
                break
            flush()
            parts.append(("display", markdown[i + 2 : close].strip()))
            i = close + 2
        elif markdown[i] == "$":
            inline_end = _inline_close(markdown, i)
            if inline_end is None:
                text.append("$")
                i += 1
            else:
                flush()
                parts.append(("inline", markdown[i + 1 : inline_end]))
                i = inline_end + 1
        else:
            text.append(markdown[i])
            i += 1
    flush()
    return parts


def _inline_close(markdown: str, start: int) -> int | None:
    """Where the inline math opened at *start* closes, or None if this ``$`` is prose."""
    if start + 1 >= len(markdown) or markdown[start + 1].isspace():
        return None
    j = start + 1
    while True:
        j = markdown.find("$", j)
        if j < 0 or markdown[start:j].count("\n\n"):
            return None
        after = markdown[j + 1 : j + 2]
        if markdown[j - 1] != "\\" and not markdown[j - 1].isspace() and not after.isdigit():
            return j
        j += 1


# --- the terminal ------------------------------------------------------------------------------


def render_terminal(card: Card) -> RenderableType:
    """The card as a rich renderable: headings, prose, Unicode math, the code, the command."""
    from rich.console import Group
    from rich.markup import escape
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.syntax import Syntax
    from rich.text import Text

    pieces: list[RenderableType] = [
        Rule(Text(card.title, style="bold"), align="left"),
        Text(
            f"{', '.join(card.concepts[:6])} · math: {MATH_LEVELS[card.math_level]}",
            style="dim",
        ),
    ]
    for heading, body in (("The idea", card.idea_markdown()), ("The math", card.math)):
        pieces.append(Text(f"\n{heading}", style="bold underline"))
        pieces.extend(_terminal_blocks(body))
    pieces.append(Text("\nIn code", style="bold underline"))
    pieces.append(
        Padding(
            Syntax(
                card.code, "python", theme="ansi_dark", background_color="default", word_wrap=True
            ),
            (0, 0, 0, 2),
        )
    )
    pieces.append(Text("\nTry this", style="bold underline"))
    pieces.append(Panel(_Command(card.try_this), expand=False))
    pieces.extend(_terminal_blocks(card.try_note))
    links = []
    if card.prerequisites:
        links.append("Read first: " + ", ".join(card.prerequisites))
    if card.related:
        links.append("Related: " + ", ".join(card.related))
    if links:
        pieces.append(
            Text.from_markup(
                f"\n[dim]{escape(' · '.join(links))} — open one with: tinkerlab theory ID[/]"
            )
        )
    return Group(*pieces)


class _Command:
    """A shell command, broken before an option with `` \\`` where the terminal is too narrow,
    so that it still pastes as one command."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        yield Text(
            "\n".join(shell_lines(self.command, options.max_width)),
            style="bold cyan",
            no_wrap=True,
            overflow="ignore",
        )


def shell_lines(command: str, width: int) -> list[str]:
    r"""Split *command* into lines of at most *width* characters, each but the last ending in
    `` \`` and breaking only before an ``--option`` (with its value kept beside it).

    >>> shell_lines("tinkerlab tinker wine --model knn --knob scaling", 34)
    ['tinkerlab tinker wine \\', '    --model knn --knob scaling']
    """
    chunks: list[str] = []
    for word in command.split():
        if chunks and not word.startswith("-") and chunks[-1].split()[-1].startswith("--"):
            chunks[-1] += " " + word  # an option's value stays with it
        elif chunks and not word.startswith("-") and not chunks[-1].startswith("-"):
            chunks[-1] += " " + word  # the program, its command and arguments
        else:
            chunks.append(word)
    lines = [chunks[0]]
    for chunk in chunks[1:]:
        if len(lines[-1]) + 1 + len(chunk) + 2 <= width:
            lines[-1] += " " + chunk
        else:
            lines.append("    " + chunk)
    return [line + " \\" for line in lines[:-1]] + lines[-1:]


def _terminal_blocks(markdown: str) -> list[RenderableType]:
    """Prose as rich Markdown with inline math in Unicode; display math on its own lines."""
    from rich.markdown import Markdown
    from rich.padding import Padding
    from rich.text import Text

    blocks: list[RenderableType] = []
    prose: list[str] = []
    for kind, content in split_math(markdown):
        if kind == "text":
            prose.append(content)
        elif kind == "inline":
            prose.append(escape_markdown(latex_to_unicode(content)))
        else:
            if "".join(prose).strip():
                blocks.append(Markdown("".join(prose).strip()))
            prose.clear()
            blocks.append(Padding(Text(latex_to_unicode(content), style="bold"), (1, 0, 1, 4)))
    if "".join(prose).strip():
        blocks.append(Markdown("".join(prose).strip()))
    return blocks


# --- HTML and Jupyter --------------------------------------------------------------------------

_STYLE = """
.tl-card { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 46em; }
.tl-card h2 { margin: 0.2em 0; }
.tl-card h3 { margin: 1em 0 0.3em; font-size: 1.05em; }
.tl-card .tl-meta { color: #666; margin: 0; font-size: 0.9em; }
.tl-card pre { background: #f6f8fa; padding: 0.6em 0.8em; border-radius: 6px; overflow-x: auto; }
.tl-card .tl-math-display { margin: 0.6em 0; overflow-x: auto; overflow-y: hidden; }
.tl-card math { font-size: 1.1em; }
.tl-card footer { color: #666; font-size: 0.9em; margin-top: 1em; }
"""


def render_html(card: Card, *, standalone: bool = False) -> str:
    """The card as HTML, every formula as MathML: a fragment, or a whole page.

    No script, stylesheet or font is fetched: the page reads the same offline.
    """
    e = html.escape
    meta = f"{', '.join(card.concepts[:6])} · math: {MATH_LEVELS[card.math_level]}"
    links = []
    if card.prerequisites:
        links.append("Read first: " + ", ".join(_card_link(c) for c in card.prerequisites))
    if card.related:
        links.append("Related: " + ", ".join(_card_link(c) for c in card.related))
    footer = f"<footer>{' · '.join(links)}</footer>" if links else ""
    article = (
        f'<article class="tl-card" id="tl-card-{e(card.id)}">'
        f"<style>{_STYLE}</style>"
        f'<header><h2>{e(card.title)}</h2><p class="tl-meta">{e(meta)}</p></header>'
        f'<section class="tl-idea"><h3>The idea</h3>{markdown_html(card.idea_markdown())}'
        "</section>"
        f'<section class="tl-math"><h3>The math</h3>{markdown_html(card.math)}</section>'
        f'<section class="tl-code"><h3>In code</h3>'
        f'<pre><code class="language-python">{e(card.code)}</code></pre></section>'
        f'<section class="tl-try"><h3>Try this</h3>'
        f'<pre><code class="language-bash">{e(card.try_this)}</code></pre>'
        f"{markdown_html(card.try_note)}</section>"
        f"{footer}</article>"
    )
    if not standalone:
        return article
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(card.title)} · tinkerlab theory</title></head>"
        f"<body>{article}</body></html>\n"
    )


def _card_link(card_id: str) -> str:
    return f'<a href="#tl-card-{html.escape(card_id)}"><code>{html.escape(card_id)}</code></a>'


def markdown_html(markdown: str) -> str:
    """Markdown to HTML with MathML for the math; raw HTML in the source is escaped."""
    from markdown_it import MarkdownIt

    formulas: dict[str, str] = {}
    source: list[str] = []
    for kind, content in split_math(markdown):
        if kind == "text":
            source.append(content)
            continue
        token = f"TLMATH{len(formulas)}X"
        formulas[token] = math_to_mathml(content, display=kind == "display")
        source.append(f"\n\n{token}\n\n" if kind == "display" else token)
    rendered: str = MarkdownIt("commonmark", {"html": False}).render("".join(source))
    for token, mathml in formulas.items():
        rendered = rendered.replace(
            f"<p>{token}</p>", f'<div class="tl-math-display">{mathml}</div>'
        ).replace(token, mathml)
    return rendered


def math_to_mathml(latex: str, *, display: bool = False) -> str:
    """One formula as MathML (``latex2mathml``); LaTeX it cannot read shows as code."""
    from latex2mathml.converter import convert

    try:
        mathml: str = convert(latex, display="block" if display else "inline")
        return mathml
    except Exception:  # the library raises assorted errors on LaTeX it does not support
        return f"<code>{html.escape(latex)}</code>"


__all__ = [
    "escape_markdown",
    "markdown_html",
    "math_to_mathml",
    "render_html",
    "render_terminal",
    "split_math",
]
