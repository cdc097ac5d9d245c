"""LaTeX math to readable Unicode, for the terminal: ``\\frac{1}{n}\\sum_{i=1}^{n} x_i^2``
becomes ``1/n Σᵢ₌₁ⁿ xᵢ²``.

A small recursive-descent reader of the constructs theory cards use: Greek letters,
sub- and superscripts (Unicode where every character has a form, ``x_(ij)`` otherwise),
``\\frac``, ``\\sqrt``, accents (``\\hat``, ``\\bar``...), sums and products, relations and
operators, ``\\mathbb``/``\\mathcal`` letters, ``\\text``, ``\\left``/``\\right`` and the
matrix, ``cases`` and ``aligned`` environments. Layout stays on one line (rows of an
``aligned`` block become lines), which reads well in a terminal. It is not a TeX engine:
``strict=True`` raises on a command it does not know, and the card tests use it so that
every formula a card ships renders.

>>> latex_to_unicode(r"\\hat{y} = \\sigma(w^\\top x + b)")
'ŷ = σ(wᵀ x + b)'
>>> latex_to_unicode(r"\\frac{1}{n}\\sum_{i=1}^{n} (y_i - \\hat{y}_i)^2")
'1/n Σᵢ₌₁ⁿ (yᵢ − ŷᵢ)²'
"""

from __future__ import annotations

import re
import unicodedata

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip

#: Relations and binary operators: shown with a space on each side.
OPERATORS = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "in": "∈", "notin": "∉",
    "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "iff": "⇔", "implies": "⇒",
    "mapsto": "↦", "gets": "←", "times": "×", "cdot": "·", "pm": "±", "mp": "∓",
    "div": "÷", "ll": "≪", "gg": "≫", "land": "∧", "lor": "∨", "circ": "∘", "ast": "∗",
    "star": "⋆", "mid": "|", "setminus": "∖", "oplus": "⊕", "otimes": "⊗", "perp": "⊥",
}  # fmt: skip

#: Everything else that stands for one symbol.
SYMBOLS = {
    "sum": "Σ", "prod": "∏", "int": "∫", "partial": "∂", "nabla": "∇", "infty": "∞",
    "forall": "∀", "exists": "∃", "neg": "¬", "emptyset": "∅", "varnothing": "∅",
    "top": "⊤", "prime": "′", "ell": "ℓ", "hbar": "ℏ", "dots": "…", "ldots": "…",
    "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "langle": "⟨", "rangle": "⟩",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "lvert": "|", "rvert": "|",
    "vert": "|", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "{": "{",
    "}": "}", "%": "%", "_": "_", "&": "&", "#": "#", "$": "$", "lbrace": "{", "rbrace": "}",
    "square": "□", "checkmark": "✓", "dagger": "†",
}  # fmt: skip

#: Named functions, written upright: ``\log x`` is "log x".
FUNCTIONS = frozenset({
    "log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "max", "min", "sup", "inf",
    "lim", "det", "arg", "Pr", "dim", "ker", "deg", "gcd", "argmax", "argmin",
})  # fmt: skip

SPACES = {",": " ", ":": " ", ";": " ", " ": " ", "quad": "  ", "qquad": "   ", "!": ""}
#: Commands that only change the size or style of what follows: they vanish.
IGNORED = frozenset({
    "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "big", "Big", "bigg",
    "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "middle", "nonumber", "notag",
})  # fmt: skip

#: Combining marks for accents over one character.
ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
    "tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307",
    "ddot": "\u0308", "check": "\u030c",
}  # fmt: skip

FONTS = frozenset({
    "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "mathnormal",
})  # fmt: skip
TEXTS = frozenset({
    "text", "textrm", "textbf", "textit", "textsf", "texttt", "mbox", "operatorname",
})  # fmt: skip

BLACKBOARD = {
    "R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "1": "𝟙", "I": "𝕀",
}  # fmt: skip
CALLIGRAPHIC = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵", strict=True))

SUPERSCRIPT = dict(
    zip(
        "0123456789+−-=()niabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθϕφχ⊤′*,",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵠᵡᵀ′*,",
        strict=True,
    )
)
SUBSCRIPT = dict(
    zip(
        "0123456789+−-=()aehijklmnoprstuvxβγρϕφχ,",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵩᵪ,",
        strict=True,
    )
)

#: Characters that make an expression need parentheses as a fraction's part or a root.
_COMPOUND = set(" +−-=<>≤≥≠≈·×/,;|∈→")
_SCRIPTS = "".join(sorted(set(SUPERSCRIPT.values()) | set(SUBSCRIPT.values()) - {",", "*"}))
#: One symbol or number, with its scripts and accents: ``n``, ``0.5``, ``∂wⱼ``, ``√n``, ``x̄²``.
_ATOM = re.compile(rf"^[∂∇√]?(\d+(\.\d+)?|[^\W\d_][\u0300-\u036f\u20d7]*)[{re.escape(_SCRIPTS)}]*$")
#: Markers for an environment's cell and row breaks while its body is read.
_CELL, _ROW = "\x1f", "\x1e"


class LatexError(ValueError):
    """The LaTeX source uses a command this converter does not know (strict mode)."""


def latex_to_unicode(source: str, *, strict: bool = False) -> str:
    """Render LaTeX math as Unicode text that reads well in a terminal.

    Parameters
    ----------
    source : str
        The math, without its ``$`` delimiters.
    strict : bool, default=False
        Raise :class:`LatexError` on an unknown command instead of writing its name.

    Examples
    --------
    >>> latex_to_unicode(r"\\sqrt{\\frac{1}{n}}")
    '√(1/n)'
    >>> latex_to_unicode(r"x_{ij} + x_{\\text{big}}")
    'xᵢⱼ + x_(big)'
    """
    reader = _Reader(source, strict)
    return unicodedata.normalize("NFC", _tidy(reader.sequence(until=None)))  # ŷ as one character


class _Reader:
    """Reads the source left to right; every method returns the Unicode of what it read."""

    def __init__(self, source: str, strict: bool) -> None:
        self.text = source
        self.pos = 0
        self.strict = strict

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def sequence(self, until: str | None) -> str:
        """Read until the closing brace (or ``\\end``) that ends this group."""
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "}" and until == "}":
                self.pos += 1
                break
            if until is not None and until != "}" and self.text.startswith(until, self.pos):
                self.pos += len(until)
                break
            if ch in "^_":
                self.pos += 1
                argument = self.argument(text_mode=False)
                out.append(_script(argument, superscript=ch == "^"))
            elif ch == "{":
                self.pos += 1
                out.append(self.sequence(until="}"))
            elif ch == "\\":
                out.append(self.command())
            elif ch == "&":
                self.pos += 1
                out.append(_CELL)
            elif ch == "}":  # an unmatched brace: keep it visible
                self.pos += 1
                out.append("}")
            else:
                self.pos += 1
                out.append(_char(ch))
        return "".join(out)

    def argument(self, *, text_mode: bool) -> str:
        """One argument: a ``{group}``, a command, or a single character."""
        while self.peek().isspace():
            self.pos += 1
        ch = self.peek()
        if not ch:
            return ""
        if ch == "{":
            self.pos += 1
            if text_mode:
                return self.raw_group()
            return self.sequence(until="}")
        if ch == "\\":
            return self.command()
        self.pos += 1
        return ch if text_mode else _char(ch)

    def raw_group(self) -> str:
        """The text inside a ``\\text{...}`` group, braces balanced, as written."""
        depth, start = 1, self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            depth += ch == "{"
            depth -= ch == "}"
            self.pos += 1
            if depth == 0:
                return self.text[start : self.pos - 1]
        return self.text[start:]

    def optional(self) -> str | None:
        """An optional ``[argument]``, as for ``\\sqrt[3]{x}``."""
        if self.peek() != "[":
            return None
        end = self.text.find("]", self.pos)
        if end < 0:
            return None
        inner = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return latex_to_unicode(inner, strict=self.strict)

    def command(self) -> str:
        """Read ``\\name`` (or ``\\,``) and whatever arguments it takes."""
        self.pos += 1  # the backslash
        match = re.compile(r"[A-Za-z]+").match(self.text, self.pos)
        if match is None:  # a one-character command: \, \{ \| \\ ...
            name = self.peek()
            self.pos += 1
            if name == "\\":
                return _ROW
            if name in SPACES:
                return SPACES[name]
            if name in SYMBOLS:
                return SYMBOLS[name]
            return self.unknown(name)
        name = match.group()
        self.pos = match.end()
        return self.named(name)

    def named(self, name: str) -> str:
        """The Unicode for command *name*, reading its arguments (one branch per kind)."""
        if name in GREEK:
            return GREEK[name]
        if name in OPERATORS:
            return f" {OPERATORS[name]} "
        if name in ("sum", "prod", "int"):
            return " " + SYMBOLS[name]  # a big operator starts a new term: 1/n Σ...
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FUNCTIONS:
            return name if self.peek() in "({[^_ " or not self.peek() else name + " "
        if name in SPACES:
            return SPACES[name]
        if name in IGNORED:
            return ""
        if name in ("left", "right"):
            while self.peek().isspace():
                self.pos += 1
            if self.peek() == ".":
                self.pos += 1
                return ""
            return ""  # the delimiter itself is read next, as usual
        if name in ("frac", "dfrac", "tfrac"):
            top, bottom = self.argument(text_mode=False), self.argument(text_mode=False)
            return f"{_wrap(top)}/{_wrap(bottom, denominator=True)}"
        if name == "binom":
            n, k = self.argument(text_mode=False), self.argument(text_mode=False)
            return f"C({_tidy(n)}, {_tidy(k)})"
        if name == "sqrt":
            index = self.optional()
            body = _wrap(self.argument(text_mode=False))
            roots = {"3": "∛", "4": "∜"}
            if index is None or index == "2":
                return "√" + body
            return roots.get(index, _script(index, superscript=True) + "√") + body
        if name in ACCENTS:
            body = _tidy(self.argument(text_mode=False))
            if len(body) == 1:
                return body + ACCENTS[name]
            if name in ("bar", "overline"):
                return "".join(ch + "\u0305" for ch in body)
            return f"{name}({body})"
        if name in FONTS:
            return self.argument(text_mode=False)
        if name in TEXTS:
            return self.argument(text_mode=True)
        if name == "mathbb":
            letter = _tidy(self.argument(text_mode=True))
            return BLACKBOARD.get(letter, letter)
        if name == "mathcal":
            letter = _tidy(self.argument(text_mode=True))
            return "".join(CALLIGRAPHIC.get(ch, ch) for ch in letter)
        if name == "begin":
            return self.environment(_tidy(self.argument(text_mode=True)))
        return self.unknown(name)

    def environment(self, name: str) -> str:
        """``\\begin{name} ... \\end{name}``: matrices, cases and aligned rows."""
        if name == "array":
            self.argument(text_mode=True)  # the column spec, e.g. {cc}
        body = self.sequence(until=f"\\end{{{name}}}")
        rows = [row for row in body.split(_ROW) if row.strip()]
        cells = [[_tidy(cell) for cell in row.split(_CELL)] for row in rows]
        if name in ("cases",):
            return "{ " + "; ".join(" ".join(c for c in row if c) for row in cells)
        if name in ("aligned", "align", "align*", "gathered", "split", "eqnarray"):
            return "\n".join(" ".join(c for c in row if c) for row in cells)
        brackets = {
            "pmatrix": "()", "bmatrix": "[]", "Bmatrix": "{}", "vmatrix": "||",
            "Vmatrix": "‖‖", "matrix": "  ", "smallmatrix": "  ", "array": "  ",
        }  # fmt: skip
        if name not in brackets:
            return self.unknown(f"begin{{{name}}}")
        left, right = brackets[name][0], brackets[name][1]
        inner = "; ".join("  ".join(row) for row in cells)
        return f"{left}{inner}{right}".strip()

    def unknown(self, name: str) -> str:
        if self.strict:
            raise LatexError(
                f"Unknown LaTeX command \\{name} in {self.text!r}. Use one the terminal "
                "renderer knows (see tinkerlab.insight._latex), or add it there."
            )
        return name


def _char(ch: str) -> str:
    """A plain source character in math: a true minus sign, a prime."""
    return {"-": "−", "'": "′", "~": " "}.get(ch, ch)


def _script(text: str, *, superscript: bool) -> str:
    """``text`` as a super- or subscript: Unicode if every character has a form."""
    compact = _tidy(text).replace(" ", "")
    table = SUPERSCRIPT if superscript else SUBSCRIPT
    if compact and all(ch in table for ch in compact):
        return "".join(table[ch] for ch in compact)
    marker = "^" if superscript else "_"
    if len(compact) == 1:
        return marker + compact
    return f"{marker}({compact})"


def _wrap(text: str, *, denominator: bool = False) -> str:
    """Parenthesise a fraction's part or a root's body unless it is one piece.

    A denominator must be a single symbol or number (``2σ²`` becomes ``(2σ²)``), since
    ``a/2σ²`` reads as ``(a/2)σ²``.
    """
    body = _tidy(text)
    compound = any(ch in _COMPOUND for ch in _outside_parentheses(body))
    if compound or (denominator and not _ATOM.match(body)):
        return f"({body})"
    return body


def _outside_parentheses(text: str) -> str:
    """The characters of *text* at parenthesis depth 0: ``p(1 − p)`` gives ``p``."""
    kept, depth = [], 0
    for ch in text:
        depth += ch in "([{"
        if depth == 0:
            kept.append(ch)
        depth -= ch in ")]}" and depth > 0
    return "".join(kept)


def _tidy(text: str) -> str:
    """Collapse spaces, and drop those that only the source's layout put there."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        line = re.sub(r"\( ", "(", line)
        line = re.sub(r" ([),;!?′])", r"\1", line)
        line = re.sub(r"([∂∇√¬]) ", r"\1", line)
        line = re.sub(r"\[ ", "[", line)
        lines.append(line)
    return "\n".join(lines)


__all__ = ["LatexError", "latex_to_unicode"]
