"""Rendering cards: LaTeX to Unicode for the terminal, MathML in HTML, and Jupyter's hook."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from tinkerlab.insight import (
    Card,
    LatexError,
    cards,
    latex_to_unicode,
    markdown_html,
    render_html,
    theory,
)
from tinkerlab.insight._render import split_math

CARDS = cards()


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"\hat{y} = \sigma(w^\top x + b)", "ŷ = σ(wᵀ x + b)"),
        (r"\frac{1}{n}\sum_{i=1}^{n} (y_i - \hat{y}_i)^2", "1/n Σᵢ₌₁ⁿ (yᵢ − ŷᵢ)²"),
        (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e⁻ᶻ)"),
        (r"\frac{\partial L}{\partial w}", "∂L/∂w"),
        (r"\sqrt{\frac{p(1 - p)}{n}}", "√(p(1 − p)/n)"),
        (r"\sqrt[3]{x}", "∛x"),
        (r"\alpha \le \beta \ne \gamma", "α ≤ β ≠ γ"),
        (r"a \cdot b \times c", "a · b × c"),
        (r"x_{ij}", "xᵢⱼ"),
        (r"x_{\text{big}}", "x_(big)"),
        (r"e^{q}", "e^q"),
        (r"\bar{x} \pm 1.96", "x̄ ± 1.96"),
        (r"\mathbb{E}[X] \in \mathbb{R}", "𝔼[X] ∈ ℝ"),
        (r"\mathcal{L}(w)", "ℒ(w)"),
        (r"\text{Gini} = 1 - \sum_k p_k^2", "Gini = 1 − Σₖ pₖ²"),
        (r"\left( \frac{a + b}{2} \right)", "((a + b)/2)"),
        (r"\lVert w \rVert^2", "‖ w ‖²"),
        (r"\log p", "log p"),
        (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "(1 2; 3 4)"),
        (r"\{ 1, 2 \}", "{ 1, 2 }"),
        (r"x'_j", "x′ⱼ"),
    ],
)
def test_latex_to_unicode(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == unicodedata.normalize("NFC", text)


def test_an_unknown_command_is_kept_by_name_or_refused_in_strict_mode() -> None:
    assert latex_to_unicode(r"\foo x") == "foo x"
    with pytest.raises(LatexError, match=r"\\foo"):
        latex_to_unicode(r"\foo x", strict=True)


@given(st.text(alphabet="\\{}^_abcxyz 0123456789+-=()[]&frachatsqrtleft", max_size=40))
def test_any_source_converts_without_crashing(source: str) -> None:
    assert isinstance(latex_to_unicode(source), str)


def test_split_math_finds_inline_and_display_math_but_never_inside_code() -> None:
    text = "Loss $L = e^2$, then\n\n$$\\hat{y}$$\n\nand `$HOME`\n```bash\necho $PATH$x$\n```\n"
    parts = split_math(text)
    assert ("inline", "L = e^2") in parts
    assert ("display", "\\hat{y}") in parts
    prose = "".join(t for kind, t in parts if kind == "text")
    assert "`$HOME`" in prose
    assert "echo $PATH$x$" in prose


@pytest.mark.parametrize("text", ["costs $5 and $6", "a $ b $ c", "\\$x$ and more"])
def test_dollars_in_prose_are_not_math(text: str) -> None:
    assert all(kind == "text" for kind, _ in split_math(text))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.closed: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opened.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_endtag(self, tag: str) -> None:
        self.closed.append(tag)


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_html_has_mathml_no_leftover_latex_and_nothing_fetched(card: Card) -> None:
    page = render_html(card, standalone=True)
    assert page.startswith("<!DOCTYPE html>")
    parser = _Tags()
    parser.feed(page)
    assert parser.opened.count("math") == parser.closed.count("math") > 0
    assert "script" not in parser.opened
    assert "link" not in parser.opened
    assert all(link.startswith("#") for link in parser.links), parser.links
    for latex_only in ("$$", "\\frac", "\\sum", "\\hat"):
        assert latex_only not in page.split("<pre>")[0], latex_only


def test_jupyter_shows_the_html_fragment() -> None:
    card = theory("gradient_descent")
    fragment = card._repr_html_()
    assert fragment == card.to_html()
    assert fragment.startswith('<article class="tl-card"')
    assert 'display="block"' in fragment  # display math is a MathML block


def test_evidence_is_escaped_in_html_and_kept_literal_in_markdown() -> None:
    evidence = "<script>alert(1)</script> column a_b *c* costs $5 | x"
    card = theory("overfitting").with_evidence(evidence)
    page = card.to_html()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "a_b *c* costs $5 | x" in page.replace("&lt;", "<").replace("&gt;", ">")
    assert "<em>" not in markdown_html(card.idea_markdown())


def _terminal(card: Card) -> str:
    console = Console(record=True, width=100, color_system=None, force_terminal=False)
    console.print(card)
    return console.export_text()


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_terminal_shows_every_section_with_unicode_math(card: Card) -> None:
    text = _terminal(card)
    for heading in ("The idea", "The math", "In code", "Try this", card.title):
        assert heading in text
    unbroken = re.sub(r" \\\s", " ", text.replace("│", " "))  # long commands go on with " \"
    command = " ".join(unbroken.split())
    assert card.try_this in command
    for latex_only in ("$", "\\frac", "\\sum", "\\hat", "\\text", "\\left"):
        assert latex_only not in text.replace(card.code, ""), latex_only


def test_terminal_math_reads_as_unicode() -> None:
    text = _terminal(theory("gradient_descent"))
    assert "wₜ₊₁ = wₜ − η ∇L(wₜ)" in text
    assert "0 < η < 2/a" in text


def test_terminal_shows_the_evidence_literally() -> None:
    text = _terminal(theory("overfitting").with_evidence("column a_b fell to 0.71 *twice*"))
    assert "In your results: column a_b fell to 0.71 *twice*" in " ".join(text.split())
