"""The lab in a real Chromium (Playwright, Debian's browser): pages, a learner's whole
loop, the playground, escaping, and a reload in the middle of a sweep.

A real ``tinkerlab lab`` process serves every test of this module (``lab_url``); each
test gets a fresh tab that fails it on any console error or failed request.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from lab_helpers import MAIN_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Where screenshots of the main pages go when asked (``TINKERLAB_SCREENSHOTS=docs/screenshots``);
#: by default the tests leave the working tree alone.
SCREENSHOTS = os.environ.get("TINKERLAB_SCREENSHOTS")
XSS = "<script>alert(1)</script>"


def _csv(path: Path, rows: int = 240, first: str = "x1") -> Path:
    """A small table a tree can overfit: two signal columns, one noise column, a label."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 3))
    label = np.where(x[:, 0] + 0.5 * x[:, 1] + rng.normal(0, 0.6, rows) > 0, "yes", "no")
    lines = [f"{first},x2,noise,label"]
    lines += [f"{a:.4f},{b:.4f},{c:.4f},{y}" for (a, b, c), y in zip(x, label, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _shoot(page: Any, name: str) -> None:
    """Keep a screenshot of a main page for the docs (1280 px wide), when asked."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    full = os.environ.get("TINKERLAB_SCREENSHOTS_FULL") == "1"  # whole pages, to review them
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full)


def _charts_drawn(tab: Any, *selectors: str, marks: str = "") -> None:
    """Each chart is drawn: vega-embed (served by the lab from ``tinkerlab.charts``' vendored
    files) put an SVG in its container, with marks in it (bars, points, lines...).

    *marks* (e.g. ``"area"``) also asks for at least one mark of that kind in each."""
    assert tab.locator("script[src='/static/vendor/vega-embed.min.js']").count() == 1
    for selector in selectors:
        tab.wait_for_selector(f"{selector} svg", timeout=30_000)
        tab.wait_for_function(
            "(s) => document.querySelector(s).querySelectorAll('svg g.role-mark > *').length > 0",
            arg=selector,
            timeout=30_000,
        )
        if marks:
            found = tab.locator(f"{selector} svg g.mark-{marks} path").count()
            assert found >= 1, f"no {marks} mark in {selector}"


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_every_page_loads_cleanly(page: Any, path: str) -> None:
    answer = page.goto(path)
    assert answer.status == 200
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("nav a").count() >= 11
    page.assert_clean()


def test_a_learners_whole_loop(page: Any, tmp_path: Path) -> None:
    """Upload a CSV → run → tinker with a prediction → see it scored → open the card →
    write a note → save → serve → the try-it form returns a prediction."""
    tab = page.page
    page.goto("/data")
    _shoot(tab, "data")
    tab.set_input_files("#file", str(_csv(tmp_path / "signals.csv")))
    tab.click("button:has-text('Upload')")
    tab.wait_for_url(re.compile(r"/data/upload:"))
    assert tab.locator("th:has-text('x1')").count() >= 1
    tab.wait_for_selector("#look h3:has-text('Alerts')")  # the data report, swapped in
    assert "Target: label (classification)" in tab.inner_text("#look")
    _charts_drawn(tab, "#look-target", "#look-dependence")
    _shoot(tab, "data-upload")
    tab.click("text=Run a model on it with these roles")
    tab.wait_for_url(re.compile(r"/run\?"))
    tab.select_option("#in-model", "decision_tree")
    tab.wait_for_selector("#in-knob-max_depth")
    _shoot(tab, "run")
    tab.click("button:has-text('Run')")
    tab.wait_for_url(re.compile(r"/journal/runs/\d+"), timeout=180_000)
    assert tab.locator("table.metrics").count() == 1
    assert "baseline test" in tab.content()
    _charts_drawn(tab, "#chart-metrics", "#chart-confusion", "#chart-importances")
    _shoot(tab, "run-result")
    run_url = tab.url

    tab.click("text=Tinker with it")
    tab.wait_for_url(re.compile(r"/tinker\?"))
    with tab.expect_response(re.compile(r"/tinker/form")):  # the form redraws for the knob
        tab.select_option("#in-knob", "max_depth")
    tab.wait_for_function("document.querySelector('.htmx-request, .htmx-settling') === null")
    tab.fill("#in-values", "1,2,4,8,16")
    tab.click("button:has-text('Predict, then run')")  # no prediction yet: refused
    assert tab.locator("input[name=predict]:invalid").count() >= 1  # the browser says so first
    tab.check("input[name=predict][value=peak]")
    tab.fill("#in-predict_best", "4")
    _shoot(tab, "tinker")
    tab.click("button:has-text('Predict, then run')")
    tab.wait_for_url(re.compile(r"/experiments/\d+"), timeout=120_000)
    tab.wait_for_selector("#scored", timeout=240_000)  # the reveal: the scored prediction
    assert "You predicted peak" in tab.inner_text("#scored")
    assert tab.locator("tbody[data-points] tr").count() == 5  # the values typed: 1,2,4,8,16
    _charts_drawn(tab, "#chart-curve", marks="area")  # the ± std bands
    _shoot(tab, "reveal")

    tab.fill("#whyq", "why does a deeper tree overfit?")
    tab.click("#why button")
    tab.wait_for_selector("#why a[href^='/theory/']")
    tab.click("#why a[href^='/theory/']")
    tab.wait_for_url(re.compile(r"/theory/\w+"))
    assert tab.locator("math").count() >= 1
    _shoot(tab, "theory-card")
    tab.go_back()
    tab.fill("#note", "depth 4 looked best; deeper trees memorise the noise column")
    tab.click("#notes button")
    tab.wait_for_selector("text=memorise the noise column")

    page.goto(run_url.removeprefix(page.base))
    tab.click("button:has-text('Save as a model to ship')")
    tab.wait_for_url(re.compile(r"/ship/[\w.-]+$"), timeout=180_000)
    # The page answers once the child process is healthy: slow on a busy machine.
    tab.click("button:has-text('Start the service')", timeout=150_000)
    tab.wait_for_selector("text=Stop the service", timeout=90_000)
    tab.fill("input[name='col.x1']", "2.5")
    tab.fill("input[name='col.x2']", "1.0")
    tab.fill("input[name='col.noise']", "0")
    tab.click("#try button")
    tab.wait_for_selector("#answer .prediction", timeout=30_000)
    assert tab.inner_text("#answer .prediction") in ("yes", "no")
    _shoot(tab, "ship")
    tab.click("button:has-text('Stop the service')")
    tab.wait_for_selector("text=Start the service")
    page.goto("/")
    assert "Shapes right" in tab.content()
    _charts_drawn(tab, "#chart-record")  # the prediction record
    _shoot(tab, "home")
    page.goto("/journal")
    _charts_drawn(tab, "#chart-record")
    assert tab.locator("table.predictions tbody tr").count() >= 1
    page.assert_clean()


def test_the_playground_redraws_when_a_slider_moves(page: Any) -> None:
    tab = page.page
    page.goto("/playground")
    canvas = tab.locator("#pg-canvas")
    tab.wait_for_function("document.getElementById('pg-canvas').dataset.draws >= '1'")
    before = tab.inner_text("#pg-train")
    draws = int(canvas.get_attribute("data-draws"))
    slider = tab.locator("#knob-n_neighbors input[type=range]")
    slider.evaluate(
        "(el) => { el.value = 0; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    tab.wait_for_function(f"Number(document.getElementById('pg-canvas').dataset.draws) > {draws}")
    assert tab.input_value("#in-knob-n_neighbors") == "1"
    assert tab.inner_text("#pg-train") == "1.000"  # one neighbour remembers every point
    assert tab.inner_text("#pg-train") != before
    _shoot(tab, "playground")
    tab.select_option("#pg-model", "decision_tree")
    tab.wait_for_selector("#in-knob-max_depth")
    page.assert_clean()


def test_user_text_is_shown_never_run(page: Any, tmp_path: Path) -> None:
    tab = page.page
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/data")
    tab.set_input_files("#file", str(_csv(tmp_path / "xss.csv", first=XSS)))
    tab.click("button:has-text('Upload')")
    tab.wait_for_url(re.compile(r"/data/upload:"))
    assert tab.locator(f"th:text-is('{XSS}')").count() >= 1  # the name, as text
    tab.wait_for_selector("#look h3:has-text('Columns')")  # the data report names it too
    assert tab.locator(f"#look th:text-is('{XSS}')").count() == 1
    _charts_drawn(tab, "#look-dependence")  # a chart's labels are text in the SVG
    tab.click("text=Run a model on it with these roles")
    tab.wait_for_url(re.compile(r"/run\?"))
    tab.click("summary:has-text('More options')")  # the column overrides live there
    assert XSS in tab.inner_text("#field-drop")
    assert dialogs == []
    page.assert_clean()


def test_a_reload_during_a_sweep_resumes_the_live_view(page: Any) -> None:
    tab = page.page
    page.goto("/tinker?dataset=digits&model=random_forest&knob=n_estimators")
    tab.fill("#in-values", "5,10,20,40,80")
    tab.fill("#in-repeats", "2")
    tab.click("summary:has-text('More options')")
    tab.fill("#in-n_jobs", "1")
    tab.uncheck("input[type=checkbox][name=fast]")
    tab.check("input[name=predict][value=up]")
    tab.click("button:has-text('Predict, then run')")
    tab.wait_for_url(re.compile(r"/experiments/\d+"), timeout=120_000)
    tab.wait_for_selector("tbody[data-points] tr", timeout=240_000)
    assert tab.locator("[data-experiment-events]").count() == 1  # still running, streaming
    _charts_drawn(tab, "#chart-curve")  # the curve grows as points arrive
    _shoot(tab, "tinker-live")
    seen = tab.locator("tbody[data-points] tr").count()
    tab.reload()
    assert tab.locator("tbody[data-points] tr").count() >= seen  # the journal kept them
    if tab.locator("[data-experiment-events]").count():  # still running: it streams again
        tab.wait_for_function(
            f"document.querySelectorAll('tbody[data-points] tr').length > {seen}"
            " || document.querySelector('#scored') !== null",
            timeout=240_000,
        )
    tab.wait_for_selector("#scored", timeout=300_000)
    assert tab.locator("tbody[data-points] tr").count() == 5
    page.assert_clean()


def test_a_built_ins_data_report_draws_and_its_next_step_opens_the_form(page: Any) -> None:
    tab = page.page
    page.goto("/data/titanic")
    tab.wait_for_selector("#look .look-alert")
    _charts_drawn(tab, "#look-target", "#look-dependence", "#look-missing")
    assert "'age' is empty in 263 of 1,309 rows" in tab.inner_text("#look")
    tab.evaluate("document.getElementById('report').scrollIntoView()")
    _shoot(tab, "data-report")
    tab.click("#look a:has-text('Open it here')")
    tab.wait_for_url(re.compile(r"/tinker\?dataset=titanic&knob=features&values=age"))
    assert tab.input_value("#in-values") == "age"
    page.assert_clean()


def test_a_regression_run_draws_its_residuals(page: Any) -> None:
    tab = page.page
    page.goto("/run?dataset=diabetes&model=ridge")
    tab.click("button:has-text('Run')")
    tab.wait_for_url(re.compile(r"/journal/runs/\d+"), timeout=180_000)
    _charts_drawn(tab, "#chart-metrics", "#chart-residuals", "#chart-importances")
    assert tab.locator("#chart-residuals svg g.mark-symbol path").count() > 50  # test rows
    page.assert_clean()


def test_the_compare_leaderboard_fills_in_and_draws(page: Any) -> None:
    tab = page.page
    page.goto("/compare?dataset=iris&models=knn,decision_tree,naive_bayes&budget=60&n_jobs=1")
    tab.click("button:has-text('Compare')")
    tab.wait_for_url(re.compile(r"/experiments/\d+"), timeout=120_000)
    tab.wait_for_selector("text=Comparison #")
    tab.wait_for_function(
        "document.querySelectorAll('#chart-board svg g.mark-rect path').length >= 3",
        timeout=240_000,
    )
    _shoot(tab, "compare")
    tab.wait_for_function(  # finished: the page reloaded without its event stream
        "document.querySelector('[data-experiment-events]') === null", timeout=240_000
    )
    _charts_drawn(tab, "#chart-board")
    _best_first(tab)
    page.assert_clean()


def _best_first(tab: Any) -> None:
    """The leaderboard's bars are in the table's order: the models that ran every fold by
    their scores, best first (ranked), then the ones the race dropped (no rank)."""
    labels = tab.locator("#chart-board svg g.role-axis-label text").all_text_contents()
    means, ranked = {}, []
    for row in tab.locator("tbody[data-points] tr").all():
        cells = row.locator("td").all_inner_texts()
        if "±" in cells[2]:
            means[cells[1]] = float(cells[2].split("±")[0])
            ranked.append(cells[0].strip() != "–")
    shown = [label for label in labels if label in means]
    assert shown == list(means), (labels, means)
    assert len(shown) >= 3, (labels, means)
    assert ranked == sorted(ranked, reverse=True), (labels, ranked)  # unranked ones last
    finished = [means[label] for label, r in zip(shown, ranked, strict=True) if r]
    assert finished, (labels, means)
    assert finished == sorted(finished, reverse=True), (labels, means)


def test_a_search_streams_its_progress_then_draws_its_heat_map(page: Any) -> None:
    """The search form (two knobs ticked at first), the race's progress over SSE, then the
    heat map, the best setting and its lead; the journal lists it."""
    tab = page.page
    page.goto("/search?dataset=digits&model=random_forest")
    tab.check("input[type=checkbox][name='search.n_estimators']")
    tab.fill("input[name='search.n_estimators.low']", "5")
    tab.fill("input[name='search.n_estimators.high']", "80")
    tab.check("input[type=checkbox][name='search.max_depth']")
    tab.fill("input[name='search.max_depth.low']", "2")
    tab.fill("input[name='search.max_depth.high']", "16")
    tab.fill("#in-steps", "3")
    tab.fill("#in-repeats", "2")
    tab.click("summary:has-text('More options')")
    tab.fill("#in-n_jobs", "1")
    tab.evaluate("document.getElementById('field-model').scrollIntoView()")
    _shoot(tab, "search-form")
    tab.click("button:has-text('Search')")
    tab.wait_for_url(re.compile(r"/experiments/\d+"), timeout=120_000)
    if tab.locator("[data-experiment-events]").count():  # racing: the stream speaks
        tab.wait_for_function(
            "(document.querySelector('.job-what') || {textContent: ''}).textContent"
            ".match(/\\(\\d+(\\.\\d+)? s\\)$/) !== null"
            " || document.querySelector('#verdict') !== null",
            timeout=120_000,
        )
    tab.wait_for_selector("#verdict", timeout=300_000)
    _charts_drawn(tab, "#chart-search", marks="rect")
    assert "Its lead over" in tab.inner_text("#lead")
    assert tab.locator("table.settings tbody tr").count() == 9  # the 3 × 3 grid
    _shoot(tab, "search")
    experiment = tab.url.rsplit("/", 1)[1]
    page.goto("/journal")
    assert tab.locator(f"a[href='/experiments/{experiment}']").count() >= 1
    page.assert_clean()


def test_a_nets_training_curve_grows_live_then_is_kept(page: Any) -> None:
    """A tiny net on digits: its loss after each epoch draws on the job's page as the
    epochs end (the run's own listener, streamed), then the run's page draws the final
    net's recorded curve."""
    pytest.importorskip("torch", reason="the live epoch curve needs the 'deep' extra (torch)")
    tab = page.page
    page.goto("/run?dataset=digits&model=mlp_torch")
    tab.fill("#in-knob-epochs", "40")
    tab.fill("#in-knob-batch_size", "32")
    tab.fill("#in-cv", "2")
    tab.click("button:has-text('Run')")
    tab.wait_for_url(re.compile(r"/jobs/[0-9a-f]+"), timeout=60_000)
    tab.wait_for_function(  # the curve is drawn, and grows, while the net still trains
        "(() => { const box = document.querySelector('[data-epochs]');"
        " if (box === null || box.hidden) { return false; }"
        " const spec = JSON.parse(box.querySelector('script[data-chart]').textContent);"
        " return spec.datasets.epochs.length >= 12"
        " && box.querySelectorAll('svg g.mark-line path').length > 0; })()",
        timeout=120_000,
    )
    assert re.search(r"/jobs/[0-9a-f]+$", tab.url)  # still on the job's page: live
    _shoot(tab, "run-epochs-live")
    tab.wait_for_url(re.compile(r"/journal/runs/\d+"), timeout=300_000)
    _charts_drawn(tab, "#chart-training", marks="line")
    page.assert_clean()


def test_the_live_leaderboards_tooltip_says_how_many_folds_scored(page: Any) -> None:
    """While the race runs, each bar drawn from the stream carries its folds scored and
    the race's word (what the tooltip shows), as a reload would."""
    tab = page.page
    models = "knn,decision_tree,random_forest,svm,logistic_regression"
    page.goto(f"/compare?dataset=digits&models={models}&budget=120&n_jobs=1")
    tab.click("button:has-text('Compare')")
    tab.wait_for_url(re.compile(r"/experiments/\d+"), timeout=120_000)
    live = tab.wait_for_function(
        "(() => { if (!document.querySelector('[data-experiment-events]')) { return false; }"
        " const view = (window.tlCharts || {})['chart-board'];"
        " const rows = view ? view.data('models') : [];"
        " return rows.length > 0 ? rows.map(r => [r.folds, r.status]) : false; })()",
        timeout=240_000,
    ).json_value()
    assert all(isinstance(folds, int) and folds >= 1 for folds, _ in live), live
    assert {status for _, status in live} <= {"to the end", "dropped early"}, live
    page.assert_clean()
