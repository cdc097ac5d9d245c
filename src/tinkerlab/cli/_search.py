"""``tinkerlab search``: several knobs of one model at once, raced by successive halving."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from tinkerlab.cli._declared import command
from tinkerlab.cli._output import console, errors, print_json, term_as_interrupt
from tinkerlab.data import data_words

if TYPE_CHECKING:
    from tinkerlab.experiment import Search
    from tinkerlab.options import Settings


@command("search")
def search(settings: Settings) -> None:
    """Tune several knobs of one model at once: the settings raced by successive halving.

    Every setting is cross-validated on a share of each fold's rows; only the best third
    go on with three times as many rows, until the last rung runs on every row
    (scikit-learn's HalvingGridSearchCV, on the same paired folds as tinker and compare).
    The two best settings are cross-validated again on every full fold and the best
    one's lead is tested (corrected resampled t-test); the best is scored once on the
    held-out test rows. Ranges are spaced by each knob's scale (C and gamma: log).

    Examples:

      tinkerlab search iris --model svm --knob C=0.1:100 --knob gamma=0.0001:1

      tinkerlab search wine --model random_forest --knob max_depth=2:16
      --knob max_features=sqrt,log2 --strategy random --candidates 20

      tinkerlab search titanic --model svm --knob C=0.1:100 --script best.py --html s.html
    """
    from tinkerlab import _api

    outputs = [p for p in (settings.script, settings.html) if p is not None]
    _check_outputs(outputs, settings.force)  # before minutes of fitting
    with term_as_interrupt():
        if settings.json:
            found = _api.search_settled(settings)
        else:
            with errors.status("searching...") as status:
                found = _api.search_settled(
                    settings, progress=lambda what: status.update(escape(what) + "...")
                )
    written = _write(found, settings)
    if settings.json:
        print_json(found.to_dict() | {"files": [str(p) for p in written]})
        return
    _show(found, written)


def _check_outputs(paths: list[Path], force: bool) -> None:
    from tinkerlab.exceptions import InputError

    for path in paths:
        if Path(path).exists() and not force:
            raise InputError(
                f"{path} exists; the search would replace it. Fix: add --force, or name "
                "another file."
            )


def _write(found: Search, settings: Settings) -> list[Path]:
    written = []
    if settings.script is not None and found.best_recipe is not None:
        written.append(found.write_script(settings.script))
    if settings.html is not None:
        path = Path(settings.html)
        path.write_text(found.html(), encoding="utf-8")
        written.append(path)
    return written


def _show(found: Search, written: list[Path]) -> None:
    from rich.table import Table

    name = found.metric.name
    better = "higher" if found.higher_is_better else "lower"
    number = f"Search #{found.id}" if found.id is not None else "Search (not recorded)"
    console.print(
        f"[bold]{number}[/] · {escape(found.model)} on {escape(found.dataset)} · "
        f"{len(found.candidates)} settings ({found.strategy}) · {name} ({better} is better) · "
        f"{found.repeats}×{found.cv} paired folds · {found.n_fits} fits in "
        f"{found.elapsed:.1f} s ({escape(found.engine)})"
    )
    for domain in found.domains:
        console.print(f"  {escape(domain)}")
    if found.racing:
        console.print(f"  raced: {escape(found.racing)}")
    table = Table(caption="★ best  ▲ runner-up (both on every full fold); rung: how far it got")
    for knob in found.knobs:
        table.add_column(escape(knob), justify="right")
    for column in (f"{name} mean ± std", "", "rows", "rung"):
        table.add_column(column, justify="right", no_wrap=True)
    for i in found.ranked()[:15]:
        c = found.candidates[i]
        mark = "★" if i == found.best else "▲" if i == found.runner_up else ""
        table.add_row(*[escape(_word(c.params[k])) for k in found.knobs],
                      f"{c.mean:.4f} ± {c.std:.4f}", mark, str(c.rows), str(c.rung))  # fmt: skip
    console.print(table)
    console.print(escape(found.verdict_text()))
    for metric, score in found.test_scores.items():
        console.print(f"Test {metric} of the best setting (scored once): {score:.4f}")
    for notice in found.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}")
    for path in written:
        console.print(f"  wrote: {escape(str(path))}")
    if found.best is not None:
        sets = " ".join(f"--set {k}={_word(v)}" for k, v in found.best_params.items())
        data = data_words(found.dataset, found.target)
        console.print(
            f"Next: run it  tinkerlab run {escape(data)} --model "
            f"{escape(found.model)} {escape(sets)}"
        )


def _word(value: object) -> str:
    from tinkerlab.options._constraints import word

    return word(value)
