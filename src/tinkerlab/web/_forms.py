"""Forms drawn from the declared options, and posted forms settled like typed flags.

The lab never lists an option itself. :func:`form_fields` walks
:func:`~tinkerlab.options.options_for` ``(command, "web")`` and turns each row's rule
(``rule.widget()``) into a :class:`Field`: a slider for a bounded number, a select for
choices, a checkbox for a switch, a multi-select for columns. The lists a select offers
(datasets, models, metrics, columns, knobs) come from :class:`~tinkerlab.web._choices.Choices`.

A posted form goes back through :func:`given_from_form` (the text the learner typed,
by option name) into :func:`~tinkerlab.options.settle` with ``text=True``: exactly the
parsing the command line gets, inside ``speaking("web", command)`` so that a fix reads
as a form fix ("Fix: Test size: 0.2").

Model knobs are not options but rows of the model registry; :func:`knob_fields` draws
them the same way (sliders on the knob's scale), and :func:`knob_texts` turns them back
into the ``NAME=VALUE`` words ``--set`` takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tinkerlab.options import GROUPS, Boolean, Option, help_text, options_for, speaking
from tinkerlab.options._constraints import word

if TYPE_CHECKING:
    from tinkerlab.recipe import Knob
    from tinkerlab.web._choices import Choices

#: Options drawn elsewhere on the page (the dataset picker, the knob sliders, the knobs
#: a search tunes).
DRAWN_APART = frozenset({"dataset", "params", "knobs"})
#: Options a page does not offer: the lab always records sweeps and comparisons, because
#: their live view and their reveal are pages of the journal.
NOT_OFFERED = {
    "tinker": frozenset({"record"}),
    "compare": frozenset({"record"}),
    "search": frozenset({"record"}),
}
#: Options shown under "More options", closed at first: column role overrides (the Data
#: page explains the roles), file reading and set-up details.
ADVANCED = frozenset(
    {"drop", "text", "categorical", "numeric", "sep", "encoding", "sheet", "max_bytes"}
    | {"n_jobs", "fast", "record", "mode", "scale"}
)
#: What a select offers when the option is left to the data ("decided from the data").
_INFERRED = "— decided from the data —"


@dataclass
class Field:
    """One form control, drawn from one declared option."""

    name: str  # the option's name: the form field's name
    label: str  # Option.title: "Test size"
    help: str  # the option's help, other options named as the form labels them
    control: str  # range, number, select, checkbox, text
    group: str  # one of GROUPS
    value: Any = None  # what the form shows: text, or a list of texts for a multi-select
    default: Any = None  # the declared default
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, text) for selects
    multiple: bool = False  # a multi-select (columns)
    low: float | None = None  # a number's bounds and step
    high: float | None = None
    step: Any = "any"
    scale: str = "linear"  # how the slider spaces values
    kind: str = "float"  # int or float
    placeholder: str = ""
    required: bool = False
    advanced: bool = False
    error: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)  # extra attributes (htmx triggers)

    @property
    def text(self) -> str:
        """The value as the input shows it."""
        if self.value is None:
            return ""
        if isinstance(self.value, list):
            return ",".join(self.value)
        return str(self.value)

    def selected(self, value: str) -> bool:
        """Whether *value* is chosen in this select."""
        if isinstance(self.value, list):
            return value in self.value
        return self.value is not None and str(self.value) == value


def form_fields(
    command: str, values: Mapping[str, Any], choices: Choices
) -> list[tuple[str, list[Field]]]:
    """The fields of *command*'s web form, grouped as :data:`GROUPS` orders them.

    *values* are what the form held (text by option name); *choices* resolves the lists
    that selects offer.
    """
    with speaking("web", command):
        fields = [
            _field(option, values.get(option.name), choices)
            for option in options_for(command, "web")
            if option.name not in DRAWN_APART | NOT_OFFERED.get(command, frozenset())
        ]
    groups: dict[str, list[Field]] = {}
    for f in fields:
        groups.setdefault(f.group, []).append(f)
    return [(g, groups[g]) for g in GROUPS if g in groups]


def _field(option: Option, value: Any, choices: Choices) -> Field:
    widget = option.rule.widget()
    control = widget["control"]
    default = option.default
    shown = value if value not in (None, "", []) else _default_text(option)
    f = Field(
        name=option.name,
        label=option.title,
        help=help_text(option),
        control="text",
        group=option.group,
        value=shown,
        default=default,
        advanced=option.name in ADVANCED,
    )
    if control == "checkbox":
        f.control = "checkbox"
        f.value = _truthy(value) if value is not None else bool(default)
    elif control in ("range", "number"):
        f.control = control
        f.low, f.high, f.step = widget["min"], widget["max"], widget["step"]
        f.scale = widget.get("scale", "linear")
        f.kind = "int" if widget["step"] == 1 else "float"
        f.placeholder = "" if default is not None else f"e.g. {_example_text(option)}"
    elif control == "select":
        f.control = "select"
        f.multiple = bool(widget.get("multiple"))
        source = widget.get("from")
        listed = (
            choices.resolve(source) if source else [(word(c), word(c)) for c in widget["choices"]]
        )
        if source and not listed:  # nothing to offer yet (no dataset chosen): type it
            f.control = "text"
            f.value = ",".join(value) if isinstance(value, list) else shown
        f.choices = listed
        f.placeholder = _INFERRED if default is None else f"default: {word(default)}"
        if f.multiple:
            f.value = list(value) if isinstance(value, list) else ([value] if value else [])
    else:
        f.placeholder = "" if option.example is None else f"e.g. {_example_text(option)}"
    return f


def _default_text(option: Option) -> Any:
    default = option.default
    if default is None or default == ():
        return None
    if isinstance(option.rule, Boolean):
        return default
    return word(default)


def _example_text(option: Option) -> str:
    return ", ".join(option.rule.to_text(option.example))


def _truthy(value: Any) -> bool:
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip().lower() in ("true", "on", "1", "yes")


def given_from_form(command: str, form: Any) -> dict[str, Any]:
    """What the learner typed, by option name, for :func:`~tinkerlab.options.settle`.

    Empty fields are left out (the default applies); a multi-select or a repeated option
    gives a list; a checkbox gives ``"true"``/``"false"`` (a hidden ``false`` precedes
    each checkbox, so an unticked box still says so); the knob sliders give ``params``
    as the ``NAME=VALUE`` words ``--set`` takes.
    """
    given: dict[str, Any] = {}
    for option in options_for(command, "web"):
        if option.name in ("params", "knobs") or option.name in NOT_OFFERED.get(command, ()):
            continue
        values = [v.strip() for v in form.getlist(option.name) if isinstance(v, str)]
        values = [v for v in values if v]
        if not values:
            continue
        if isinstance(option.rule, Boolean):
            given[option.name] = values[-1]
        elif option.repeat or option.rule.widget().get("multiple"):
            given[option.name] = values if option.repeat else ",".join(values)
        else:
            given[option.name] = values[-1]
    return given


# --- model knobs ---------------------------------------------------------------------------


@dataclass
class KnobField:
    """One model knob as a form control: a slider on its scale, or a select."""

    name: str
    help: str
    control: str  # range or select
    text: str  # the value shown
    default_text: str
    kind: str = "float"
    low: float | None = None
    high: float | None = None
    step: Any = "any"
    scale: str = "linear"
    choices: list[tuple[str, str]] = field(default_factory=list)
    specials: list[str] = field(default_factory=list)  # e.g. "none" for max_depth=None
    placeholder: str = ""


def knob_fields(knobs: Iterable[Knob], posted: Mapping[str, str] | None = None) -> list[KnobField]:
    """Controls for a model's knobs, showing *posted* text where given, else the default."""
    posted = posted or {}
    fields = []
    for knob in knobs:
        default_text = word(knob.default)
        text = posted.get(knob.name, default_text)
        specials = [word(s) for s in knob.specials]
        if knob.kind in ("int", "float"):
            fields.append(
                KnobField(
                    name=knob.name,
                    help=knob.help,
                    control="range",
                    text=text,
                    default_text=default_text,
                    kind=knob.kind,
                    low=knob.low,
                    high=knob.high,
                    step=1 if knob.kind == "int" else "any",
                    scale=knob.scale,
                    specials=specials,
                    placeholder=" or ".join(specials),
                )
            )
        else:
            values = list(knob.choices) if knob.kind == "choice" else [True, False]
            options = [word(v) for v in [*values, *knob.specials]]
            fields.append(
                KnobField(
                    name=knob.name,
                    help=knob.help,
                    control="select",
                    text=text,
                    default_text=default_text,
                    choices=[(o, o) for o in options],
                )
            )
    return fields


def knob_texts(form: Any, knobs: Iterable[Knob]) -> tuple[dict[str, str], list[str]]:
    """The knob values posted (by name), and the ``NAME=VALUE`` words of those that differ
    from their defaults (what ``--set`` would be given)."""
    posted: dict[str, str] = {}
    words: list[str] = []
    for knob in knobs:
        values = [v.strip() for v in form.getlist(f"knob.{knob.name}") if isinstance(v, str)]
        values = [v for v in values if v]
        if not values:
            continue
        specials = {word(s) for s in knob.specials}
        chosen = next((v for v in values if v in specials), values[0])
        posted[knob.name] = chosen
        if chosen != word(knob.default):
            words.append(f"{knob.name}={chosen}")
    return posted, words


# --- the knobs a search tunes --------------------------------------------------------------


@dataclass
class SearchKnobField:
    """One model knob on the search form: searched or not, over a range or some values."""

    name: str
    help: str
    control: str  # span (a number's LOW:HIGH) or values (choices to tick)
    searched: bool  # ticked: the search tunes it
    low_text: str = ""  # a span's ends as the inputs show them
    high_text: str = ""
    kind: str = "float"
    low: float | None = None  # the registry's bounds
    high: float | None = None
    step: Any = "any"
    scale: str = "linear"
    choices: list[str] = field(default_factory=list)  # a values knob's values...
    chosen: list[str] = field(default_factory=list)  # ... and those ticked


#: How many knobs the search form ticks at first (two: the heat map).
FIRST_SEARCHED = 2


def search_knob_fields(knobs: Iterable[Knob], given: Iterable[str] = ()) -> list[SearchKnobField]:
    """Controls for the knobs a search may tune. *given* are ``NAME=LOW:HIGH`` or
    ``NAME=A,B`` words (the form posted, or a query string's ``knobs``); with none, the
    first two numeric knobs are ticked over their whole registry range."""
    spans = dict(w.split("=", 1) for w in given if "=" in w)
    fields: list[SearchKnobField] = []
    for knob in knobs:
        where = spans.get(knob.name)
        if knob.kind in ("int", "float"):
            low, _, high = (where or "").partition(":")
            fields.append(
                SearchKnobField(
                    name=knob.name,
                    help=knob.help,
                    control="span",
                    searched=where is not None,
                    low_text=low or word(knob.low),
                    high_text=high or word(knob.high),
                    kind=knob.kind,
                    low=knob.low,
                    high=knob.high,
                    step=1 if knob.kind == "int" else "any",
                    scale=knob.scale,
                )
            )
        else:
            values = [word(v) for v in (knob.choices if knob.kind == "choice" else (True, False))]
            chosen = [v for v in (where or "").split(",") if v] or values
            fields.append(
                SearchKnobField(
                    name=knob.name,
                    help=knob.help,
                    control="values",
                    searched=where is not None,
                    choices=values,
                    chosen=chosen,
                )
            )
    if not any(f.searched for f in fields):  # nothing given (or another model's knobs)
        for f in [f for f in fields if f.control == "span"][:FIRST_SEARCHED]:
            f.searched = True
    return fields


def search_knob_words(form: Any, knobs: Iterable[Knob]) -> list[str]:
    """The ticked knobs of a posted search form as the words ``--knob`` takes:
    ``C=0.1:100`` for a span, ``kernel=rbf,linear`` for values."""
    words = []
    for knob in knobs:
        if not _truthy(form.getlist(f"search.{knob.name}")):
            continue
        if knob.kind in ("int", "float"):
            low = str(form.get(f"search.{knob.name}.low") or "").strip()
            high = str(form.get(f"search.{knob.name}.high") or "").strip()
            words.append(f"{knob.name}={low}:{high}")
        else:
            values = [v.strip() for v in form.getlist(f"search.{knob.name}.values") if v.strip()]
            words.append(f"{knob.name}={','.join(values)}")
    return words
