"""The detectors on a labelled suite of scenarios whose truth is known by construction
(``findings_suite.py``): each detector's precision and recall, and the suite's coverage."""

from __future__ import annotations

import pytest
from findings_suite import ALL, BY_NAME, SCENARIOS, found, overall, tally

#: Targets: precision and recall over every detector, and the least any detector may have.
OVERALL_TARGET = 0.95
DETECTOR_TARGET = 0.9


def test_the_suite_covers_every_detector_knob_kind_task_and_size():
    assert len(SCENARIOS) >= 40
    for detector in ALL:
        positives = [s for s in SCENARIOS if detector in s.present]
        negatives = [s for s in SCENARIOS if detector not in s.present | s.ambiguous]
        assert positives, f"{detector}: no scenario where it is present"
        assert negatives, f"{detector}: no scenario where it is absent"
    knobs = {s.build()[1].get("knob") for s in SCENARIOS if s.kind == "sweep"}
    kinds = {"train_size", "features", "label_noise", "scaling", "seed", "model"}
    assert kinds <= knobs
    assert knobs - kinds, "and model parameters"
    assert {s.task for s in SCENARIOS} == {"classification", "regression"}
    assert any(s.rows <= 300 for s in SCENARIOS)
    assert any(s.rows >= 2000 for s in SCENARIOS)
    assert {s.origin for s in SCENARIOS} == {"synthetic", "bundled"}
    assert any(s.kind == "run" for s in SCENARIOS)


def test_ambiguous_labels_are_few_and_never_contradict_the_present_ones():
    for s in SCENARIOS:
        assert not s.present & s.ambiguous, s.name
        assert len(s.ambiguous) <= 2, s.name
        assert s.why, s.name


@pytest.mark.slow
def test_each_detector_is_precise_and_finds_what_is_there():
    results = {s.name: found(s) for s in SCENARIOS}
    counts = tally(results)
    report = "\n".join(
        f"{d}: precision {t.precision:.2f} recall {t.recall:.2f} missed {t.misses} false {t.false}"
        for d, t in counts.items()
        if t.precision < 1 or t.recall < 1
    )
    precision, recall = overall(counts)
    assert precision >= OVERALL_TARGET, report
    assert recall >= OVERALL_TARGET, report
    for detector, t in counts.items():
        assert t.precision >= DETECTOR_TARGET, f"{detector}\n{report}"
        assert t.recall >= DETECTOR_TARGET, f"{detector}\n{report}"
    assert set(results) == set(BY_NAME)
