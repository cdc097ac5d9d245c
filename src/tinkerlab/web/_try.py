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

import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
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


#: A command at the end of a sentence (a detector's "Sweep a knob ...: tinkerlab tinker ...").
_COMMAND = re.compile(r"tinkerlab (?:run|tinker|compare) [^\n]+$")


def link_in(text: str, uploads: Path) -> str | None:
    """The form that runs the command a sentence ends with, if it ends with one; a file
    it names that is one of this lab's uploads becomes that upload."""
    from tinkerlab.web._uploads import choice_for_path

    found = _COMMAND.search(text.strip())
    if found is None:
        return None
    try:
        words = shlex.split(found.group(0).rstrip("."))
    except ValueError:
        return None
    if len(words) > 2 and words[2].startswith("/"):
        choice = choice_for_path(uploads, words[2])
        if choice is None:
            return None
        words[2] = choice
    return form_link(shlex.join(words))


def with_links(findings: Sequence[Mapping[str, Any]], uploads: Path) -> list[dict[str, Any]]:
    """Findings (``summary["phenomena"]``) with ``try_href``: the form of their next step."""
    return [{**f, "try_href": link_in(str(f.get("evidence", "")), uploads)} for f in findings]
