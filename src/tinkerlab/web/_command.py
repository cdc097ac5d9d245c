"""The pages of ``run``, ``tinker``, ``compare`` and ``search``: one form, drawn and
settled alike.

:func:`form_context` draws a command's form for what the learner has chosen so far (the
dataset decides the columns and the task, the model its knobs), and
:func:`settle_posted` turns a posted form into :class:`~tinkerlab.options.Settings`
through :func:`~tinkerlab.options.settle`, speaking ``web``: a bad value comes back as
the same error the command line gives, its fix written for the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# At run time: FastAPI reads the page functions' annotations (Request) to call them.
from fastapi import APIRouter, Request
from fastapi.responses import Response

from tinkerlab.exceptions import TinkerlabError
from tinkerlab.options import Option, help_text, options_for, settle, speaking
from tinkerlab.web import _uploads
from tinkerlab.web._choices import Choices, default_target, load_cached
from tinkerlab.web._forms import (
    Field,
    form_fields,
    given_from_form,
    knob_fields,
    knob_texts,
    search_knob_fields,
    search_knob_words,
)

if TYPE_CHECKING:
    from tinkerlab.options import Settings

#: The selects that redraw the form when changed (they decide columns, task and knobs).
REDRAWS = ("dataset", "target", "model", "impl", "knob")


def values_of(command: str, data: Any) -> dict[str, Any]:
    """The form's values by option name, from a query string or a posted form."""
    values: dict[str, Any] = {}
    for option in options_for(command, "web"):
        found = [v for v in data.getlist(option.name) if isinstance(v, str)]
        if not found:
            continue
        multiple = option.repeat or option.rule.widget().get("multiple")
        values[option.name] = [v for v in found if v] if multiple else found[-1]
    return values


def choices_for(request: Request, values: dict[str, Any]) -> tuple[Choices, str | None]:
    """The selects' lists for this form, and the error of loading its dataset, if any."""
    config = request.app.state.config
    choices = Choices(config.folder("uploads"))
    problem = None
    dataset = values.get("dataset")
    if dataset:
        try:
            with speaking("web"):
                source = _uploads.resolve(config.folder("uploads"), dataset)
                if not values.get("target"):
                    proposed = default_target(source)  # a file: its last column, to change
                    if proposed is not None:
                        values["target"] = proposed
                choices.dataset = load_cached(source, values.get("target") or None)
        except TinkerlabError as error:
            problem = str(error)
    choices.model = values.get("model") or None
    choices.impl = values.get("impl") or "sklearn"
    return choices, problem


def form_context(
    request: Request,
    command: str,
    values: dict[str, Any],
    *,
    knobs_posted: dict[str, str] | None = None,
    searched: list[str] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """Everything the command's form template needs; *searched* are the search form's
    ``NAME=WHERE`` words (the query string's ``knobs`` when not given)."""
    choices, problem = choices_for(request, values)
    groups = form_fields(command, values, choices)
    for _, fields in groups:
        for f in fields:
            if f.name in REDRAWS and f.control == "select":
                f.attrs = _redraw(command)
            if error and f"The {f.label} option" in error:
                f.error = error
    has_params = any(o.name == "params" for o in options_for(command, "web"))
    knobs = knob_fields(choices.model_knobs(), knobs_posted) if has_params else []
    dataset = _dataset_field(command, values.get("dataset"), choices)
    return {
        "command": command,
        "dataset_field": dataset,
        "groups": groups,
        "knobs": knobs,
        "model_name": choices.model_name(),
        "loaded": choices.dataset,
        "problems": [m for m in (problem, error) if m],
        "search_knobs": search_knob_fields(
            choices.model_knobs(), values.get("knobs", []) if searched is None else searched
        )
        if command == "search"
        else [],
    }


def add_form_pages(router: APIRouter, command: str, template: str) -> None:
    """Add ``GET /COMMAND`` (the page, its form filled from the query string: a card's
    "try this", a finding's link) and ``GET /COMMAND/form`` (the form alone, which htmx
    asks for again when a select that decides the others changes) to *router*."""
    from tinkerlab.web._render import render

    def page(request: Request) -> Response:
        return render(request, template, **page_context(request, command))

    def form(request: Request) -> Response:
        return render(request, "_command_form.html", **page_context(request, command))

    router.add_api_route(f"/{command}", page, methods=["GET"], name=f"{command}_page")
    router.add_api_route(f"/{command}/form", form, methods=["GET"], name=f"{command}_form")


def page_context(request: Request, command: str) -> dict[str, Any]:
    """The form of ``GET /COMMAND`` and of its htmx redraw ``GET /COMMAND/form``, filled
    from the query string (a card's "try this", a finding's link, the form itself)."""
    params = request.query_params
    knobs = {k[len("knob.") :]: v for k, v in params.items() if k.startswith("knob.") and v}
    searched = (searched_words(request, params) or None) if command == "search" else None
    values = values_of(command, params)
    return form_context(request, command, values, knobs_posted=knobs, searched=searched)


def _redraw(command: str) -> dict[str, str]:
    """htmx attributes: redraw the whole form when this select changes."""
    return {
        "hx-get": f"/{command}/form",
        "hx-trigger": "change",
        "hx-target": "#command-form",
        "hx-swap": "outerHTML",
        "hx-include": "closest form",
        "hx-params": "not csrf_token",
    }


def _dataset_field(command: str, value: str | None, choices: Choices) -> Field:
    option: Option = next(o for o in options_for(command, "web") if o.name == "dataset")
    with speaking("web", command):
        text = help_text(option)
    return Field(
        name="dataset",
        label="Dataset",
        help=text + " Upload your own on the Data page.",
        control="select",
        group="Data",
        value=value,
        choices=choices.datasets(),
        placeholder="— choose a dataset —",
        required=True,
        attrs=_redraw(command),
    )


def settle_posted(request: Request, command: str, form: Any) -> tuple[Settings, dict[str, str]]:
    """The posted form as Settings (what ``tinkerlab COMMAND`` would get from the same
    text), and the knob values posted (to show them again if something is wrong)."""
    config = request.app.state.config
    given = given_from_form(command, form)
    values = values_of(command, form)
    choices, _ = choices_for(request, values)
    posted, words = knob_texts(form, choices.model_knobs())
    if command == "search":  # the knobs searched, as --knob words; the others stay fixed
        spans = search_knob_words(form, choices.model_knobs())
        if spans:
            given["knobs"] = spans
        searched = {w.split("=", 1)[0] for w in spans}
        words = [w for w in words if w.split("=", 1)[0] not in searched]
    if words and any(o.name == "params" for o in options_for(command, "web")):
        given["params"] = words
    with speaking("web", command):
        if given.get("dataset"):
            given["dataset"] = _uploads.resolve(config.folder("uploads"), given["dataset"])
        if config.journal:
            given["db"] = config.journal
        settings = settle(command, given, text=True)
        _check_knobs(settings, choices)
        return settings, posted


def searched_words(request: Request, data: Any) -> list[str]:
    """The search form's ticked knobs (posted, or sent by a redraw) as ``--knob`` words."""
    choices, _ = choices_for(request, values_of("search", data))
    return search_knob_words(data, choices.model_knobs())


def _check_knobs(settings: Settings, choices: Choices) -> None:
    """Check knob values against the model's registry row now, so that a bad one shows
    on the form at once (the job would find it too, after loading the data again)."""
    from tinkerlab.recipe import parse_settings

    params = settings.get("params")
    task = choices.task
    if params and task is not None:
        model = settings.get("model") or choices.model_name()
        parse_settings(model, task, params, settings.get("impl", "sklearn"))  # type: ignore[arg-type]
