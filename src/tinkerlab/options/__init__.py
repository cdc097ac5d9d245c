"""Options: every setting of ``run``, ``tinker``, ``compare`` and ``search``, declared once.

The rows of :data:`OPTIONS` say each option's rule (:mod:`._constraints`), default,
help and an example; :data:`COMMANDS` says which command takes which; :data:`RULES`
how they go together. :func:`settle` checks what a learner gave — typed text from the
command line or a web form, or Python values — in one place, and returns
:class:`Settings`. The command line builds its flags from the rows, the Python API
checks its keywords with them, and the web lab draws its forms from them.

Errors name the fix the way the learner types it (:func:`speaking`, :func:`spell`):
``--test-size 0.2`` in a terminal, ``test_size=0.2`` in Python.

This package sits with the foundations (it imports only :mod:`tinkerlab.exceptions`),
so every layer can read the declarations and write its fixes through them.

>>> settle("tinker", {"dataset": "iris", "knob": "n_neighbors", "model": "knn"}).repeats is None
True
"""

from __future__ import annotations

from tinkerlab.options._constraints import (
    Boolean,
    ByteSize,
    Choices,
    Constraint,
    FilePath,
    Interval,
    InvalidValueError,
    Items,
    KnobSpans,
    KnobValues,
    Source,
    Span,
    Text,
    Value,
)
from tinkerlab.options._declared import (
    COMMANDS,
    GROUPS,
    OPTIONS,
    RULES,
    Excludes,
    Needs,
    Option,
    Requires,
    Surface,
    Use,
    options_for,
)
from tinkerlab.options._python import declared, parameters_doc
from tinkerlab.options._settle import Settings, check_option, settle
from tinkerlab.options._surface import (
    Where,
    fix,
    help_text,
    name_of,
    speaking,
    spell,
    suggest,
    where,
)

__all__ = [
    "COMMANDS",
    "GROUPS",
    "OPTIONS",
    "RULES",
    "Boolean",
    "ByteSize",
    "Choices",
    "Constraint",
    "Excludes",
    "FilePath",
    "Interval",
    "InvalidValueError",
    "Items",
    "KnobSpans",
    "KnobValues",
    "Needs",
    "Option",
    "Requires",
    "Settings",
    "Source",
    "Span",
    "Surface",
    "Text",
    "Use",
    "Value",
    "Where",
    "check_option",
    "declared",
    "fix",
    "help_text",
    "name_of",
    "options_for",
    "parameters_doc",
    "settle",
    "speaking",
    "spell",
    "suggest",
    "where",
]
