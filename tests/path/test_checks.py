"""Each journal check, with a journal that passes it and one that does not.

The journals are real: runs and experiments made by ``tl.run`` and ``tl.tinker`` on small
data (``conftest.worked``), plus the learner's own acts through the journal's API (a
question, a card read), as ``tinkerlab why`` and ``tinkerlab theory`` record them.
"""

from __future__ import annotations

import pytest

import tinkerlab as tl
from tinkerlab.journal import Journal


def check(lab_id, url, **where):
    return tl.path.check(lab_id, db=url, **where)


def test_an_empty_journal_fails_every_journal_check_with_a_next_command():
    for lab in tl.path.labs():
        if lab.check["kind"] in ("script", "served", "project"):
            continue
        result = check(lab.id, "sqlite://")
        assert not result.passed, lab.id
        assert result.missing, lab.id
        # lab 1.2's writes a file of your own first, so that pasting it works
        assert result.next_command.startswith(("tinkerlab", "pip install", "python -c")), lab.id


def test_run_on_a_builtin_passes_1_1_but_not_1_2(worked_copy):
    url = worked_copy["url"]
    one = check("1.1", url)
    assert one.passed
    assert f"run #{worked_copy['run']}: knn on iris" in one.found[0]
    two = check("1.2", url)
    assert not two.passed
    assert "file of your own" in two.missing
    assert "Your one run so far is on: iris." in two.missing  # not "Your 1 runs"
    with Journal(url) as journal:  # the pass is recorded, once, with what the journal proves
        done = [e.lab_id for e in journal.labs_done()]
    assert done.count("1.1") == 1
    assert "1.2" not in done
    assert "2.1" in done  # the worked journal's predicted max_depth sweep


def test_a_run_on_a_file_passes_1_2(worked_copy, noisy_csv):
    url = worked_copy["url"]
    assert not check("1.2", url).passed
    tl.run(noisy_csv, target="label", model="naive_bayes", db=url)
    result = check("1.2", url)
    assert result.passed
    assert "noisy.csv" in result.found[0]


def test_a_scratch_run_passes_6_1(worked_copy):
    url = worked_copy["url"]
    failed = check("6.1", url)
    assert not failed.passed
    assert "--impl scratch" in failed.missing
    tl.run("iris", model="knn", impl="scratch", db=url)
    assert check("6.1", url).passed


def test_experiments_need_a_prediction_made_first(worked_copy):
    url = worked_copy["url"]
    # 2.1 (a model parameter): the overfitting sweep had a prediction
    result = check("2.1", url)
    assert result.passed
    assert f"experiment #{worked_copy['overfit']}: max_depth" in result.found[0]
    # 2.7 needs three; one is predicted, the other was seen before predicting
    three = check("2.7", url)
    assert not three.passed
    assert "you have 1" in three.missing
    assert (
        f"Experiment #{worked_copy['blind']} (n_neighbors on iris) had no prediction"
        in three.missing
    )
    for values in ([1, 3], [2, 9]):
        tl.tinker("iris", "n_neighbors", values, model="knn", repeats=1, predict="up", db=url)
    assert check("2.7", url).passed


def test_a_learning_curve_lab_is_not_passed_by_another_knob(worked_copy):
    result = check("2.2", worked_copy["url"])
    assert not result.passed
    assert "train_size" in result.missing
    assert result.next_command.startswith("tinkerlab tinker")


def test_overfitting_needs_a_question_linked_to_it(worked_copy):
    url = worked_copy["url"]
    before = check("3.1", url)
    assert not before.passed
    assert f"Experiment #{worked_copy['overfit']} shows" in before.missing
    assert before.next_command.endswith(f"--experiment {worked_copy['overfit']}")
    with Journal(url) as journal:
        journal.add_question("why does it fall?", experiment_id=worked_copy["blind"])
    assert not check("3.1", url).passed  # a question about another experiment
    with Journal(url) as journal:
        journal.add_question("why does it fall?", experiment_id=worked_copy["overfit"])
    after = check("3.1", url)
    assert after.passed
    assert "why does it fall?" in after.found[1]


def test_a_card_unlocked_by_a_finding_must_be_opened(worked_copy):
    url = worked_copy["url"]
    before = check("3.2", url)
    assert not before.passed
    assert before.next_command.startswith("tinkerlab theory ")
    card = before.next_command.split()[-1]
    with Journal(url) as journal:
        journal.record_card_read("knn_distance")  # read, but not unlocked by a finding
    assert not check("3.2", url).passed
    with Journal(url) as journal:
        journal.record_card_read(card)
    assert check("3.2", url).passed


def test_the_math_timeline_needs_two_topics_unlocked_and_read(worked_copy):
    url = worked_copy["url"]
    from tinkerlab.insight import math_timeline

    with Journal(url) as journal:
        unlocked = [s.card for s in math_timeline(journal) if s.unlocked is not None]
    result = check("3.3", url)
    assert not result.passed
    tl.run("iris", model="logistic_regression", db=url)  # probability: a classifier's confidence
    tl.run("diabetes", model="ridge", db=url)  # matrices: a linear model
    with Journal(url) as journal:
        unlocked = [s.card for s in math_timeline(journal) if s.unlocked is not None]
        assert len(unlocked) >= 2
        journal.record_card_read(unlocked[0])
    one = check("3.3", url)
    assert not one.passed
    assert one.next_command == f"tinkerlab theory {unlocked[1]}"
    with Journal(url) as journal:
        journal.record_card_read(unlocked[1])
    assert check("3.3", url).passed


def test_the_understanding_test_lab_needs_three_answers_half_right(worked_copy):
    url = worked_copy["url"]
    with Journal(url) as journal:
        journal.record_answer("predict", {}, "up", "down", False)
        journal.record_answer("predict", {}, "up", "too noisy to tell", None)
    few = check("3.4", url)
    assert not few.passed
    assert "you have 2" in few.missing
    with Journal(url) as journal:
        journal.record_answer("explain", {}, "overfitting", "underfitting", False)
    wrong = check("3.4", url)
    assert not wrong.passed
    assert "50%" in wrong.missing
    with Journal(url) as journal:
        journal.record_answer("explain", {}, "overfitting", "overfitting", True)
        journal.record_answer("predict", {}, "up", "up", True)
    assert check("3.4", url).passed


@pytest.mark.slow
def test_a_feedback_analysis_passes_4_2(worked_copy, tmp_path):
    import pandas as pd

    url = worked_copy["url"]
    assert not check("4.2", url).passed
    kinds = ["great product, works well", "terrible, broke after a day", "okay value for money"]
    texts = [f"{kinds[i % 3]} (order {i}, batch {i // 3} of {i * 7 % 11} items)" for i in range(30)]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "fb.csv", index=False)
    tl.feedback(tmp_path / "fb.csv", text="text", db=url)
    result = check("4.2", url)
    assert result.passed
    assert "feedback of fb" in result.found[0]


@pytest.mark.slow
def test_vader_text_features_pass_4_1(worked_copy, tmp_path):
    import pandas as pd

    url = worked_copy["url"]
    assert not check("4.1", url).passed
    good = ["love it, great", "excellent and nice", "wonderful, happy"]
    bad = ["awful, hate it", "terrible and sad", "horrible, broken"]
    frame = pd.DataFrame({"review": (good + bad) * 10, "label": (["pos"] * 3 + ["neg"] * 3) * 10})
    frame.to_csv(tmp_path / "reviews.csv", index=False)
    tl.run(tmp_path / "reviews.csv", target="label", text=["review"], text_features="vader", db=url)
    assert check("4.1", url).passed


def test_a_regression_run_is_described_by_its_rmse_as_tinkerlab_run_shows_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    run = tl.run("diabetes", model="ridge", db=url)
    assert next(iter(run.metrics)) != "rmse"  # the first metric recorded is another one
    result = check("1.1", url)
    assert result.found[0].startswith(f"run #{run.id}: ridge on diabetes (rmse ")
