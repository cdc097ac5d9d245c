"""Defects found by walking the lab in Chromium as a newcomer would (2026-12-06), where what
the browser does matters; each pinned by a test that failed before its fix."""

from __future__ import annotations

import re
from typing import Any

import pytest
from lab_helpers import MAIN_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_unticking_none_shows_the_number_that_will_be_sent(page: Any, lab_url: str) -> None:
    """max_depth's "none" unticked left its number box empty: the slider was live but the
    run quietly kept the default (``model settings: defaults``), whatever the learner meant.
    Now the box shows the slider's number, and the run uses it. The box no longer holds
    "none" either (Chromium warned: 'The specified value "none" cannot be parsed')."""
    tab = page.page
    warnings: list[str] = []
    tab.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto("/run?dataset=iris&model=random_forest")
    number = tab.locator("#in-knob-max_depth")
    assert number.is_disabled()
    assert not [w for w in warnings if "cannot be parsed" in w], warnings
    tab.uncheck("input[name='knob.max_depth'][data-special]")
    assert number.is_enabled()
    shown = number.input_value()
    assert shown != ""
    assert shown == "1"  # the slider's left end: the knob's low
    number.fill("3")
    tab.click("form button:has-text('Run')")
    tab.wait_for_url(re.compile(r"/journal/runs/\d+"), timeout=180_000)
    run_id = int(tab.url.rsplit("/", 1)[1])
    import httpx

    script = httpx.get(f"{lab_url}/journal/runs/{run_id}/script.py").text
    assert re.search(r"max_depth\W+3\b", script), script  # the script that reproduces it
    page.assert_clean()


def test_the_playgrounds_knobs_stay_inside_their_form_at_800_px(page: Any) -> None:
    """At 800 px the Model box is about 15rem wide, but each knob's column asked for 17rem:
    n_neighbors' number box and the weights menu stuck out past the box's border."""
    tab = page.page
    tab.set_viewport_size({"width": 800, "height": 800})
    page.goto("/playground")
    tab.wait_for_selector("#pg-knobs .field-knob")
    overflow = tab.evaluate(
        """() => {
          const form = document.querySelector('#pg-knobs').closest('fieldset');
          const box = form.getBoundingClientRect();
          const right = (el) => el.getBoundingClientRect().right;
          return [...document.querySelectorAll('#pg-knobs input, #pg-knobs select')]
            .filter(el => el.type !== 'checkbox' && right(el) > box.right - 1)
            .map(el => el.name + ' ' + right(el) + ' > ' + box.right);
        }"""
    )
    assert overflow == []
    page.assert_clean()


def test_the_theory_question_box_shows_a_whole_question(page: Any) -> None:
    """The Theory page's "Ask why" box shrank to its label's width (about 13 characters):
    its own example, "why does my tree score 1.0 on train but 0.7 on test?", was cut off
    after "why does my tree scor", and so was anything the learner typed."""
    tab = page.page
    page.goto("/theory")
    box = tab.locator("#why")
    box.fill(box.get_attribute("placeholder") or "")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.assert_clean()


@pytest.mark.parametrize("width", [1280, 800])
def test_no_page_is_wider_than_the_window(page: Any, width: int) -> None:
    """At 1280 px the twin page of logistic_regression was 2875 px wide: scikit-learn's
    repr, one long line, stretched its half of the side-by-side grid, and the whole page
    scrolled sideways. Wide content scrolls inside its own box; no page is wider than a
    laptop's window or a narrow one."""
    tab = page.page
    tab.set_viewport_size({"width": width, "height": 800})
    wide = []
    for path in MAIN_PAGES:
        page.goto(path)
        tab.wait_for_load_state("networkidle")
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append(f"{path}: {scroll} px")
    assert wide == []
    page.assert_clean()


def test_the_data_reports_charts_are_not_cut_off_at_800_px(page: Any) -> None:
    """At 800 px iris's "How much each feature tells about species" chart (415 px) sat in
    a 378 px column: its title and its axis were cut off, behind a sideways scroll."""
    tab = page.page
    tab.set_viewport_size({"width": 800, "height": 800})
    page.goto("/data/iris")
    tab.wait_for_selector("#look-dependence svg")
    tab.wait_for_timeout(500)  # vega sizes the SVG after it is inserted
    cut = tab.evaluate(
        """() => [...document.querySelectorAll('figure.chart')]
          .filter(f => f.scrollWidth > f.clientWidth + 1)
          .map(f => f.querySelector('.vl').id + ': ' + f.scrollWidth + ' > ' + f.clientWidth)"""
    )
    assert cut == []
    page.assert_clean()
