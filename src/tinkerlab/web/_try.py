"""A ``tinkerlab …`` command line as a link to the lab's form, filled in the same way.

Theory cards say "try this" as a command (``tinkerlab tinker credit --model
decision_tree --knob max_depth --range 1:20``). :func:`form_link` reads it with the
declared options (each row knows its flag) and returns the page's URL with the same
values in its query string: ``/tinker?dataset=credit&model=decision_tree&knob=max_depth&
span=1:20``. ``--set NAME=VALUE`` becomes the knob slider ``knob.NAME``.

>>> form_link("tinkerlab tinker wine --model knn --knob scaling")
'/tinker?dataset=wine&model=knn&knob=scaling'
"""

from __future__ import annotations

import shlex
from urllib.parse import urlencode

from tinkerlab.options import Boolean, options_for

#: The commands whose pages take a form.
PAGES = ("run", "tinker", "compare")


def form_link(command_line: str) -> str | None:
    """The page URL that fills the form as *command_line* would; None if it is not a
    ``tinkerlab run|tinker|compare`` command or names a flag the page does not take."""
    try:
        words = shlex.split(command_line)
    except ValueError:
        return None
    if len(words) < 2 or words[0] != "tinkerlab" or words[1] not in PAGES:
        return None
    command, rest = words[1], words[2:]
    options = {o.cli_flag.split("/")[0]: o for o in options_for(command, "web")}
    switches = {
        part: (o, part == o.cli_flag.split("/")[0])
        for o in options_for(command, "web")
        if isinstance(o.rule, Boolean)
        for part in o.cli_flag.split("/")
    }
    query: list[tuple[str, str]] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        if not word.startswith("--"):
            query.append(("dataset", word))
            i += 1
            continue
        if word in switches:
            option, on = switches[word]
            query.append((option.name, "true" if on else "false"))
            i += 1
            continue
        found = options.get(word)
        if found is None or i + 1 >= len(rest):
            return None
        value = rest[i + 1]
        if found.name == "params":
            name, _, text = value.partition("=")
            query.append((f"knob.{name}", text))
        else:
            query.append((found.name, value))
        i += 2
    return f"/{command}?{urlencode(query)}"
